/**
 * Reads every `*.json` entry of a zip archive on disk (osv.dev publishes `all.zip` per ecosystem
 * in this form) as OSV records, without holding the archive in memory, within per-read caps:
 *
 * - an entry whose declared size exceeds the `record` cap is skipped unread (yauzl checks that
 *   the inflated size matches the declared one, so a lying entry fails while being read);
 * - the entries read may inflate to at most the `archive-content` cap in total, and the archive
 *   may list at most `MAX_ARCHIVE_ENTRIES` entries (zip bombs of many entries);
 * - entries whose data overlaps an earlier entry's (the overlapping-entry zip bomb) refuse the
 *   archive; entries stored as symbolic links are skipped with a reason.
 *
 * Bad entries come back as `skipped` (the caller logs each, naming it); an archive that cannot be
 * used at all throws (`InputError` for a cap, `Error` for a file that is not a zip).
 */
import yauzl from 'yauzl';
import type { OsvRecord } from '../../core/advisory/osv-record.js';
import type { SkippedRecord } from '../../ports/advisory-source.js';
import {
  formatBytes,
  INPUT_ERROR_CODES,
  InputError,
  MAX_ARCHIVE_ENTRIES,
  openRegularFile,
  READ_LIMITS,
  type ReadLimit,
  tooLarge,
} from '../io/bounded-read.js';
import { createOsvRecordReader } from './osv-schema.js';

export interface ZipRecords {
  readonly records: OsvRecord[];
  /** Where each record came from (`all.zip:DSA-1.json`), index for index. */
  readonly origins: string[];
  readonly skipped: SkippedRecord[];
}

export interface ZipLimits {
  readonly record: ReadLimit;
  readonly archiveContent: ReadLimit;
}

const DEFAULT_ZIP_LIMITS: ZipLimits = { record: READ_LIMITS.record, archiveContent: READ_LIMITS.archiveContent };

/** Unix file type bits in the high half of `externalFileAttributes` (zip made on Unix). */
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

function openZip(fd: number): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromFd(fd, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false, autoClose: false }, (error, zip) => {
      if (error !== null || zip === undefined) reject(error ?? new Error('cannot open zip'));
      else resolve(zip);
    });
  });
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, cap: number): Promise<string> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error !== null || stream === undefined) {
        reject(error ?? new Error('cannot read entry'));
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      stream.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > cap) {
          stream.destroy(new Error(`entry inflates beyond ${formatBytes(cap)}`));
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
  });
}

/** The end of an entry's bytes in the archive (local header, name, extra field, data), for the overlap check. */
function entryEnd(entry: yauzl.Entry): number {
  return entry.relativeOffsetOfLocalHeader + 30 + entry.fileNameLength + entry.extraFieldLength + entry.compressedSize;
}

/** Reads the OSV records of the zip archive at `path` (a regular file); `display` names it in messages. */
export async function readOsvZipFile(path: string, options: { display?: string; limits?: ZipLimits } = {}): Promise<ZipRecords> {
  const display = options.display ?? path;
  const limits = options.limits ?? DEFAULT_ZIP_LIMITS;
  const handle = await openRegularFile(path, { display });
  try {
    // The handle owns the descriptor (autoClose: false; zip.close() would close it under the handle).
    const zip = await openZip(handle.fd);
    if (zip.entryCount > MAX_ARCHIVE_ENTRIES)
      throw new InputError(
        INPUT_ERROR_CODES.tooLarge,
        display,
        `${display} lists ${zip.entryCount} entries; at most ${MAX_ARCHIVE_ENTRIES} are read`,
      );
    return await readEntries(zip, display, limits);
  } finally {
    await handle.close();
  }
}

function readEntries(zip: yauzl.ZipFile, display: string, limits: ZipLimits): Promise<ZipRecords> {
  const read = createOsvRecordReader({ maxRecordBytes: limits.record.bytes });
  const result: ZipRecords = { records: [], origins: [], skipped: [] };
  let inflated = 0;
  let previousEnd = 0;
  return new Promise<ZipRecords>((resolve, reject) => {
    const fail = (error: unknown): void => {
      zip.removeAllListeners('entry');
      reject(error);
    };
    zip.on('error', fail);
    zip.on('end', () => resolve(result));
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = entry.fileName;
      if (entry.relativeOffsetOfLocalHeader < previousEnd) {
        fail(
          new InputError(
            INPUT_ERROR_CODES.tooLarge,
            display,
            `${display}: entry ${JSON.stringify(name)} overlaps an earlier entry (a zip bomb, or entries out of order); the archive is refused`,
          ),
        );
        return;
      }
      previousEnd = entryEnd(entry);
      const skip = (detail: string): void => {
        result.skipped.push({ origin: name, reason: 'unreadable', detail });
        zip.readEntry();
      };
      if (name.endsWith('/') || !name.endsWith('.json')) {
        zip.readEntry();
        return;
      }
      if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) {
        skip('a symbolic link entry, not read');
        return;
      }
      if (entry.uncompressedSize > limits.record.bytes) {
        skip(
          `entry of ${formatBytes(entry.uncompressedSize)} exceeds the ${limits.record.name} limit of ${formatBytes(limits.record.bytes)}`,
        );
        return;
      }
      inflated += entry.uncompressedSize;
      if (inflated > limits.archiveContent.bytes) {
        fail(tooLarge(`${display} (its entries' uncompressed content)`, limits.archiveContent));
        return;
      }
      readEntry(zip, entry, limits.record.bytes).then(
        (text) => {
          const checked = read(name, text);
          if (checked.ok) {
            result.records.push(checked.value);
            result.origins.push(`${display}:${name}`);
          } else result.skipped.push(checked.error);
          zip.readEntry();
        },
        (error: unknown) => skip(error instanceof Error ? error.message : 'unreadable entry'),
      );
    });
    zip.readEntry();
  });
}
