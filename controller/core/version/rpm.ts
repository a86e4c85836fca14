/**
 * The rpm EVR order (AlmaLinux, Rocky, RHEL): `[epoch:]version[-release]`, compared as rpm 4.18's
 * `rpm.vercmp` does (`rpmverCmp` over `rpmvercmp` in rpmio/rpmvercmp.c and lib/rpmver.c). Written
 * from the algorithm's description; no code was copied.
 *
 * - A missing epoch is `0`. Epochs compare as digit strings of any length.
 * - Version, then release, compare with `rpmvercmp`: skip separators (anything but letters,
 *   digits, `~`, `^`); `~` sorts before everything, even the end; `^` sorts after the end but before
 *   anything else; then compare one maximal digit run or letter run from each side: digits beat
 *   letters, digit runs compare by value (any length), letter runs byte-wise; when one side runs
 *   out, the side with something left is greater.
 * - When epoch and version are equal and only one side has a release, that side is greater
 *   (`1.0` < `1.0-1`): the `rpm.vercmp` rule, not the dependency-matching rule.
 *
 * Grammar (stricter than rpm, since EVRs end up on command lines): epoch is digits; version and
 * release use letters, digits and `._+~^`; the version starts with a letter or digit; the release,
 * when present, is not empty; at most one hyphen.
 */
import type { Comparison, VersionScheme } from '../../ports/version-scheme.js';
import {
  CHAR_CARET,
  CHAR_COLON,
  CHAR_DOT,
  CHAR_HYPHEN,
  CHAR_PLUS,
  CHAR_TILDE,
  CHAR_UNDERSCORE,
  charClass,
  CLASS_ALPHA,
  CLASS_DIGIT,
  CLASS_RPM_EVR,
  compareDigitRuns,
  isAlnum,
  isAlpha,
  isDigit,
} from './char-codes.js';
import { invalidVersionError, MAX_PACKAGE_NAME_LENGTH, MAX_VERSION_LENGTH } from './invalid-version.js';

const EVR_CHARS = CLASS_DIGIT | CLASS_ALPHA | CLASS_RPM_EVR;

function isEvrChar(code: number): boolean {
  return (charClass(code) & EVR_CHARS) !== 0;
}

/** Index of the colon ending a leading digit run (the epoch), or -1 when there is no epoch. */
function epochColon(evr: string): number {
  let index = 0;
  while (index < evr.length && isDigit(evr.charCodeAt(index))) index++;
  return index < evr.length && evr.charCodeAt(index) === CHAR_COLON ? index : -1;
}

/** Why `evr` is not a valid rpm EVR, or `undefined` when it is. */
export function rpmVersionProblem(evr: string): string | undefined {
  const length = evr.length;
  if (length === 0) return 'version string is empty';
  if (length > MAX_VERSION_LENGTH) return `version string is longer than ${MAX_VERSION_LENGTH} characters`;
  const colon = epochColon(evr);
  if (colon === 0) return 'epoch is empty';
  const versionStart = colon + 1;
  if (versionStart === length) return 'version is empty';
  if (!isAlnum(evr.charCodeAt(versionStart))) return 'version does not start with a letter or digit';
  let hyphen = -1;
  for (let index = versionStart; index < length; index++) {
    const code = evr.charCodeAt(index);
    if (code === CHAR_HYPHEN) {
      if (hyphen >= 0) return 'more than one hyphen';
      hyphen = index;
    } else if (!isEvrChar(code)) {
      return code === CHAR_COLON ? 'colon outside the epoch' : 'invalid character';
    }
  }
  if (hyphen === length - 1) return 'release is empty';
  return undefined;
}

/**
 * `rpmvercmp` on `a[aStart, aEnd)` and `b[bStart, bEnd)`. Identical strings compare equal under
 * this loop as well, so rpm's `strcmp` shortcut needs no special case.
 */
export function rpmSegmentCompare(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): Comparison {
  let ai = aStart;
  let bi = bStart;
  while (ai < aEnd || bi < bEnd) {
    while (ai < aEnd && !isSegmentStart(a.charCodeAt(ai))) ai++;
    while (bi < bEnd && !isSegmentStart(b.charCodeAt(bi))) bi++;
    const ac = ai < aEnd ? a.charCodeAt(ai) : -1;
    const bc = bi < bEnd ? b.charCodeAt(bi) : -1;
    if (ac === CHAR_TILDE || bc === CHAR_TILDE) {
      if (ac !== CHAR_TILDE) return 1;
      if (bc !== CHAR_TILDE) return -1;
      ai++;
      bi++;
      continue;
    }
    if (ac === CHAR_CARET || bc === CHAR_CARET) {
      if (ac < 0) return -1;
      if (bc < 0) return 1;
      if (ac !== CHAR_CARET) return 1;
      if (bc !== CHAR_CARET) return -1;
      ai++;
      bi++;
      continue;
    }
    if (ac < 0 || bc < 0) break;
    let aRunEnd = ai;
    let bRunEnd = bi;
    if (isDigit(ac)) {
      while (aRunEnd < aEnd && isDigit(a.charCodeAt(aRunEnd))) aRunEnd++;
      while (bRunEnd < bEnd && isDigit(b.charCodeAt(bRunEnd))) bRunEnd++;
      // A digit run against a letter run: the digits are newer.
      if (bRunEnd === bi) return 1;
      const byValue = compareDigitRuns(a, ai, aRunEnd, b, bi, bRunEnd);
      if (byValue !== 0) return byValue;
    } else {
      while (aRunEnd < aEnd && isAlpha(a.charCodeAt(aRunEnd))) aRunEnd++;
      while (bRunEnd < bEnd && isAlpha(b.charCodeAt(bRunEnd))) bRunEnd++;
      if (bRunEnd === bi) return -1;
      const byBytes = compareBytes(a, ai, aRunEnd, b, bi, bRunEnd);
      if (byBytes !== 0) return byBytes;
    }
    ai = aRunEnd;
    bi = bRunEnd;
  }
  if (ai >= aEnd && bi >= bEnd) return 0;
  return ai >= aEnd ? -1 : 1;
}

function isSegmentStart(code: number): boolean {
  return isAlnum(code) || code === CHAR_TILDE || code === CHAR_CARET;
}

function compareBytes(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): Comparison {
  const aLength = aEnd - aStart;
  const bLength = bEnd - bStart;
  const common = aLength < bLength ? aLength : bLength;
  for (let offset = 0; offset < common; offset++) {
    const diff = a.charCodeAt(aStart + offset) - b.charCodeAt(bStart + offset);
    if (diff !== 0) return diff > 0 ? 1 : -1;
  }
  return aLength === bLength ? 0 : aLength > bLength ? 1 : -1;
}

function checked(evr: string): void {
  const problem = rpmVersionProblem(evr);
  if (problem !== undefined) throw invalidVersionError('rpm', evr, problem);
}

/** Compares two valid rpm EVRs; throws a `StalledError` (`InvalidVersion`) otherwise. */
export function compareRpmVersions(a: string, b: string): Comparison {
  checked(a);
  if (a === b) return 0;
  checked(b);
  const aColon = epochColon(a);
  const bColon = epochColon(b);
  // A missing epoch is "0"; an empty range compares equal to "0" and to "00".
  const epoch = compareDigitRuns(a, 0, aColon < 0 ? 0 : aColon, b, 0, bColon < 0 ? 0 : bColon);
  if (epoch !== 0) return epoch;
  const aHyphen = a.indexOf('-', aColon + 1);
  const bHyphen = b.indexOf('-', bColon + 1);
  const aVersionEnd = aHyphen < 0 ? a.length : aHyphen;
  const bVersionEnd = bHyphen < 0 ? b.length : bHyphen;
  const version = rpmSegmentCompare(a, aColon + 1, aVersionEnd, b, bColon + 1, bVersionEnd);
  if (version !== 0) return version;
  if (aHyphen >= 0 && bHyphen >= 0) return rpmSegmentCompare(a, aHyphen + 1, a.length, b, bHyphen + 1, b.length);
  if (aHyphen >= 0) return 1;
  if (bHyphen >= 0) return -1;
  return 0;
}

/**
 * rpm package NAME: `[A-Za-z0-9_+][A-Za-z0-9._+-]*`, at most 255 characters. Never a leading
 * `-` or `.`, no whitespace, no shell metacharacters.
 */
export function isValidRpmPackageName(name: string): boolean {
  const length = name.length;
  if (length < 1 || length > MAX_PACKAGE_NAME_LENGTH) return false;
  const first = name.charCodeAt(0);
  if (!isAlnum(first) && first !== CHAR_UNDERSCORE && first !== CHAR_PLUS) return false;
  for (let index = 1; index < length; index++) {
    const code = name.charCodeAt(index);
    if (!isAlnum(code) && code !== CHAR_DOT && code !== CHAR_UNDERSCORE && code !== CHAR_PLUS && code !== CHAR_HYPHEN) return false;
  }
  return true;
}

/** The rpm EVR `VersionScheme`. Stateless; safe to share. */
export const rpmVersionScheme: VersionScheme = Object.freeze({
  id: 'rpm',
  compare: compareRpmVersions,
  isValidVersion: (evr: string): boolean => rpmVersionProblem(evr) === undefined,
  isValidPackageName: isValidRpmPackageName,
});
