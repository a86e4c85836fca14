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
  buildUnitKinds,
  UNIT_HYPHEN,
  UNIT_NOT_ALLOWED,
  UNIT_ORDINARY,
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
export function rpmSegmentCompare(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number, equal = 0): Comparison {
  let ai = aStart + equal;
  let bi = bStart + equal;
  // Equal characters decide nothing: skip the common prefix, then step back to the start of the
  // digit or letter run it ends in (runs are compared whole), which is where rpmvercmp would be.
  while (ai < aEnd && bi < bEnd && a.charCodeAt(ai) === b.charCodeAt(bi)) {
    ai++;
    bi++;
  }
  if (ai > aStart) {
    const last = a.charCodeAt(ai - 1);
    if (isDigit(last)) {
      while (ai > aStart && isDigit(a.charCodeAt(ai - 1))) {
        ai--;
        bi--;
      }
    } else if (isAlpha(last)) {
      while (ai > aStart && isAlpha(a.charCodeAt(ai - 1))) {
        ai--;
        bi--;
      }
    }
  }
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

/** The kind of every UTF-16 code unit in a version of this scheme (char-codes.ts `buildUnitKinds`). */
const KIND_OF_UNIT = buildUnitKinds(EVR_CHARS);
const NOT_ALLOWED = UNIT_NOT_ALLOWED;
const ORDINARY = UNIT_ORDINARY;
const HYPHEN = UNIT_HYPHEN;

/**
 * Whether the separators found by a scan (every character being allowed somewhere in an EVR) make a valid EVR, as
 * `rpmVersionProblem` decides: at most one colon, after a non-empty run of digits only (the
 * epoch); a version that is not empty and starts with a letter or digit; at most one hyphen,
 * after the epoch and not last.
 */
function validParts(evr: string, colon: number, colons: number, hyphen: number, hyphens: number): boolean {
  const length = evr.length;
  if (colons > 1 || hyphens > 1) return false;
  if (colon >= 0) {
    if (colon === 0) return false;
    for (let index = 0; index < colon; index++) if (!isDigit(evr.charCodeAt(index))) return false;
  }
  const versionStart = colon + 1;
  if (versionStart === length || !isAlnum(evr.charCodeAt(versionStart))) return false;
  return hyphen !== length - 1;
}

function invalid(evr: string): never {
  throw invalidVersionError('rpm', evr, rpmVersionProblem(evr) ?? 'invalid version');
}

/** How many characters from `start` lie in the common prefix `[0, same)` and in both parts. */
function knownEqual(same: number, start: number, aEnd: number, bEnd: number): number {
  const end = same < aEnd ? (same < bEnd ? same : bEnd) : aEnd < bEnd ? aEnd : bEnd;
  return end > start ? end - start : 0;
}

/**
 * Compares two valid rpm EVRs; throws a `StalledError` (`InvalidVersion`) otherwise. Parses both
 * strings on every call and caches nothing: one pass checks the grammar of the common prefix once
 * for both, then of each rest; the comparison starts where they differ.
 */
export function compareRpmVersions(a: string, b: string): Comparison {
  const aLength = a.length;
  const bLength = b.length;
  if (aLength === 0 || aLength > MAX_VERSION_LENGTH) invalid(a);
  if (bLength === 0 || bLength > MAX_VERSION_LENGTH) invalid(b);
  const shorter = aLength < bLength ? aLength : bLength;
  // The common prefix: checked once for both; its separators are both strings' separators.
  let colon = -1;
  let colons = 0;
  let hyphen = -1;
  let hyphens = 0;
  let same = 0;
  for (; same < shorter; same++) {
    const code = a.charCodeAt(same);
    if (code !== b.charCodeAt(same)) break;
    const kind = KIND_OF_UNIT[code] as number;
    if (kind !== ORDINARY) {
      if (kind === NOT_ALLOWED) invalid(a);
      if (kind === HYPHEN) {
        hyphen = same;
        hyphens++;
      } else {
        if (colon < 0) colon = same;
        colons++;
      }
    }
  }
  let aColon = colon;
  let aColons = colons;
  let aHyphen = hyphen;
  let aHyphens = hyphens;
  for (let index = same; index < aLength; index++) {
    const code = a.charCodeAt(index);
    const kind = KIND_OF_UNIT[code] as number;
    if (kind !== ORDINARY) {
      if (kind === NOT_ALLOWED) invalid(a);
      if (kind === HYPHEN) {
        aHyphen = index;
        aHyphens++;
      } else {
        if (aColon < 0) aColon = index;
        aColons++;
      }
    }
  }
  if (!validParts(a, aColon, aColons, aHyphen, aHyphens)) invalid(a);
  if (same === aLength && aLength === bLength) return 0;
  let bColon = colon;
  let bColons = colons;
  let bHyphen = hyphen;
  let bHyphens = hyphens;
  for (let index = same; index < bLength; index++) {
    const code = b.charCodeAt(index);
    const kind = KIND_OF_UNIT[code] as number;
    if (kind !== ORDINARY) {
      if (kind === NOT_ALLOWED) invalid(b);
      if (kind === HYPHEN) {
        bHyphen = index;
        bHyphens++;
      } else {
        if (bColon < 0) bColon = index;
        bColons++;
      }
    }
  }
  if (!validParts(b, bColon, bColons, bHyphen, bHyphens)) invalid(b);
  // A missing epoch is "0"; an empty range compares equal to "0" and to "00".
  const epoch = compareDigitRuns(a, 0, aColon < 0 ? 0 : aColon, b, 0, bColon < 0 ? 0 : bColon);
  if (epoch !== 0) return epoch;
  const aVersionEnd = aHyphen < 0 ? aLength : aHyphen;
  const bVersionEnd = bHyphen < 0 ? bLength : bHyphen;
  const versionEqual = aColon === bColon ? knownEqual(same, aColon + 1, aVersionEnd, bVersionEnd) : 0;
  const version = rpmSegmentCompare(a, aColon + 1, aVersionEnd, b, bColon + 1, bVersionEnd, versionEqual);
  if (version !== 0) return version;
  if (aHyphen >= 0 && bHyphen >= 0) {
    const releaseEqual = aHyphen === bHyphen ? knownEqual(same, aHyphen + 1, aLength, bLength) : 0;
    return rpmSegmentCompare(a, aHyphen + 1, aLength, b, bHyphen + 1, bLength, releaseEqual);
  }
  if (aHyphen >= 0) return 1;
  if (bHyphen >= 0) return -1;
  return 0;
}

/**
 * Compares two rpm EVRs that are ALREADY KNOWN to be valid (`isValidVersion`), without checking
 * the grammar again (`rpm.labelCompare` does not check it either): the hot path of matching, whose
 * every version was checked where it entered (see ADR 0012). On a string that is not a valid EVR
 * it returns some -1/0/1 and never throws or loops, but the order is then meaningless: untrusted
 * strings go to `compareRpmVersions`. Parses both strings on every call and caches nothing.
 */
export function compareValidRpmVersions(a: string, b: string): Comparison {
  const aLength = a.length;
  const bLength = b.length;
  const shorter = aLength < bLength ? aLength : bLength;
  let same = 0;
  while (same < shorter && a.charCodeAt(same) === b.charCodeAt(same)) same++;
  if (same === aLength && same === bLength) return 0;
  const aColon = epochColon(a);
  const bColon = epochColon(b);
  // A missing epoch is "0"; an empty range compares equal to "0" and to "00".
  const epoch = compareDigitRuns(a, 0, aColon < 0 ? 0 : aColon, b, 0, bColon < 0 ? 0 : bColon);
  if (epoch !== 0) return epoch;
  // A valid EVR has at most one hyphen; the release after it is short, so look from the end.
  const aHyphen = releaseHyphen(a, aColon + 1);
  const bHyphen = releaseHyphen(b, bColon + 1);
  const aVersionEnd = aHyphen < 0 ? aLength : aHyphen;
  const bVersionEnd = bHyphen < 0 ? bLength : bHyphen;
  const versionEqual = aColon === bColon ? knownEqual(same, aColon + 1, aVersionEnd, bVersionEnd) : 0;
  const version = rpmSegmentCompare(a, aColon + 1, aVersionEnd, b, bColon + 1, bVersionEnd, versionEqual);
  if (version !== 0) return version;
  if (aHyphen >= 0 && bHyphen >= 0) {
    const releaseEqual = aHyphen === bHyphen ? knownEqual(same, aHyphen + 1, aLength, bLength) : 0;
    return rpmSegmentCompare(a, aHyphen + 1, aLength, b, bHyphen + 1, bLength, releaseEqual);
  }
  if (aHyphen >= 0) return 1;
  if (bHyphen >= 0) return -1;
  return 0;
}

/** Index of the last hyphen after `start` (the release separator), or -1. */
function releaseHyphen(evr: string, start: number): number {
  for (let index = evr.length - 1; index >= start; index--) {
    if (evr.charCodeAt(index) === CHAR_HYPHEN) return index;
  }
  return -1;
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
  compareValid: compareValidRpmVersions,
  isValidVersion: (evr: string): boolean => rpmVersionProblem(evr) === undefined,
  isValidPackageName: isValidRpmPackageName,
});
