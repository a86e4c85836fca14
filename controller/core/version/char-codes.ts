/**
 * ASCII character classes for the version comparators. They work on char codes so that hot loops
 * allocate nothing and never run a regular expression.
 */

export const CHAR_0 = 48;
export const CHAR_9 = 57;
export const CHAR_TILDE = 126;
export const CHAR_CARET = 94;
export const CHAR_COLON = 58;
export const CHAR_HYPHEN = 45;
export const CHAR_PLUS = 43;
export const CHAR_DOT = 46;
export const CHAR_UNDERSCORE = 95;

/** Bits of `CHAR_CLASS`: which grammar allows a character. */
export const CLASS_DIGIT = 1;
export const CLASS_ALPHA = 2;
/** dpkg upstream version punctuation: `. + ~ - :`. */
export const CLASS_DPKG_UPSTREAM = 4;
/** dpkg revision punctuation: `. + ~`. */
export const CLASS_DPKG_REVISION = 8;
/** rpm version and release punctuation: `. _ + ~ ^`. */
export const CLASS_RPM_EVR = 16;
/** `:` and `-`, which split a version into epoch, version and revision/release. */
export const CLASS_SEPARATOR = 32;

/** Character class bits by ASCII code (index < 128 only); every other code has none. Read-only data. */
export const CHAR_CLASS_TABLE: Readonly<Uint8Array> = buildCharClass();

function buildCharClass(): Uint8Array {
  const table = new Uint8Array(128);
  for (let code = 48; code <= 57; code++) table[code] = CLASS_DIGIT;
  for (let code = 65; code <= 90; code++) table[code] = CLASS_ALPHA;
  for (let code = 97; code <= 122; code++) table[code] = CLASS_ALPHA;
  for (const char of '.+~-:') table[char.charCodeAt(0)]! |= CLASS_DPKG_UPSTREAM;
  for (const char of '.+~') table[char.charCodeAt(0)]! |= CLASS_DPKG_REVISION;
  for (const char of '._+~^') table[char.charCodeAt(0)]! |= CLASS_RPM_EVR;
  for (const char of ':-') table[char.charCodeAt(0)]! |= CLASS_SEPARATOR;
  return table;
}

/** The class bits of a char code (0 outside ASCII). */
export function charClass(code: number): number {
  return code < 128 ? (CHAR_CLASS_TABLE[code] as number) : 0;
}

export function isDigit(code: number): boolean {
  return code >= CHAR_0 && code <= CHAR_9;
}

/** ASCII letters only, like the C locale `isalpha` both tools use. */
export function isAlpha(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

export function isLowerAlpha(code: number): boolean {
  return code >= 97 && code <= 122;
}

export function isAlnum(code: number): boolean {
  return isDigit(code) || isAlpha(code);
}

/** Sign of a number as a `Comparison`. */
export function sign(value: number): -1 | 0 | 1 {
  return value < 0 ? -1 : value > 0 ? 1 : 0;
}

/**
 * Compares two runs of decimal digits of any length by value (leading zeros ignored), without
 * converting them to numbers: runs beyond 2^53 or 2^64 compare exactly.
 */
export function compareDigitRuns(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): -1 | 0 | 1 {
  while (aStart < aEnd && a.charCodeAt(aStart) === CHAR_0) aStart++;
  while (bStart < bEnd && b.charCodeAt(bStart) === CHAR_0) bStart++;
  const aLength = aEnd - aStart;
  const bLength = bEnd - bStart;
  if (aLength !== bLength) return aLength > bLength ? 1 : -1;
  for (let offset = 0; offset < aLength; offset++) {
    const diff = a.charCodeAt(aStart + offset) - b.charCodeAt(bStart + offset);
    if (diff !== 0) return diff > 0 ? 1 : -1;
  }
  return 0;
}

/** What a UTF-16 code unit is in a version of one scheme: not allowed, ordinary, `-` or `:`. */
export const UNIT_NOT_ALLOWED = 0;
export const UNIT_ORDINARY = 1;
export const UNIT_HYPHEN = 2;
export const UNIT_COLON = 3;

/**
 * The kind of every UTF-16 code unit for a scheme whose ordinary characters are the `allowed`
 * classes (read-only data, 64 KiB): the checked comparators decide a character with one lookup and
 * no range test.
 */
export function buildUnitKinds(allowed: number): Readonly<Uint8Array> {
  const table = new Uint8Array(0x10000);
  for (let code = 0; code < 128; code++) {
    if (code === CHAR_HYPHEN) table[code] = UNIT_HYPHEN;
    else if (code === CHAR_COLON) table[code] = UNIT_COLON;
    else table[code] = (charClass(code) & allowed) === 0 ? UNIT_NOT_ALLOWED : UNIT_ORDINARY;
  }
  return table;
}
