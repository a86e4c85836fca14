import { createHash } from 'node:crypto';

const KEPT = /[A-Za-z0-9_.-]/;
const MAX_FILE_STEM = 200;

/**
 * The file stem of a document name: letters, digits, `_`, `-` and `.` (not leading) are kept, every
 * other byte of its UTF-8 is written `%XX`; a stem longer than 200 characters becomes its first 150
 * characters, `~` and 32 hex digits of the name's SHA-256 (`~` is always escaped otherwise, so the
 * mapping stays one-to-one). The document itself holds its name, which is checked on every read.
 */
export function fileStemOf(name: string): string {
  let stem = '';
  for (const char of name) {
    if (KEPT.test(char) && !(char === '.' && stem === '')) stem += char;
    else for (const byte of Buffer.from(char, 'utf8')) stem += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  if (stem.length <= MAX_FILE_STEM) return stem;
  return `${stem.slice(0, 150)}~${createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 32)}`;
}
