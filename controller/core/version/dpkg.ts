/**
 * The dpkg version order (Debian, Ubuntu): `[epoch:]upstream[-revision]`, compared as dpkg 1.21
 * does (`dpkg --compare-versions`, `verrevcmp` in lib/dpkg/version.c), and the dpkg grammar
 * (`dpkg --validate-version`, `parseversion` in lib/dpkg/parsehelp.c), made stricter: no
 * surrounding whitespace, a bounded length. Written from the algorithm's description; no code
 * was copied.
 *
 * Order inside upstream and revision: alternate non-digit and digit runs. Non-digit runs compare
 * character by character where `~` sorts before everything (even the end of the string), then the
 * end of the string and digits, then letters, then all other characters. Digit runs compare by
 * value, as digit strings of any length.
 */
import type { Comparison, VersionScheme } from '../../ports/version-scheme.js';
import {
  CHAR_0,
  CHAR_9,
  CHAR_COLON,
  CHAR_DOT,
  CHAR_HYPHEN,
  CHAR_PLUS,
  CHAR_TILDE,
  charClass,
  compareDigitRuns,
  CLASS_ALPHA,
  CLASS_DIGIT,
  CLASS_DPKG_REVISION,
  CLASS_DPKG_UPSTREAM,
  isAlpha,
  isDigit,
  isLowerAlpha,
} from './char-codes.js';
import { invalidVersionError, MAX_PACKAGE_NAME_LENGTH, MAX_VERSION_LENGTH } from './invalid-version.js';

const UPSTREAM_CHARS = CLASS_DIGIT | CLASS_ALPHA | CLASS_DPKG_UPSTREAM;

/** What a UTF-16 code unit is in a version: not allowed, ordinary, `-` or `:`. */
const NOT_ALLOWED = 0;
const ORDINARY = 1;
const HYPHEN = 2;
const COLON = 3;

/** The kind of every UTF-16 code unit (read-only data, 64 KiB): one lookup, no range test. */
const KIND_OF_UNIT: Readonly<Uint8Array> = buildUnitKinds();

function buildUnitKinds(): Uint8Array {
  const table = new Uint8Array(0x10000);
  for (let code = 0; code < 128; code++) {
    if (code === CHAR_HYPHEN) table[code] = HYPHEN;
    else if (code === CHAR_COLON) table[code] = COLON;
    else table[code] = (charClass(code) & UPSTREAM_CHARS) === 0 ? NOT_ALLOWED : ORDINARY;
  }
  return table;
}
const REVISION_CHARS = CLASS_DIGIT | CLASS_ALPHA | CLASS_DPKG_REVISION;

/** dpkg stores the epoch in a C `int`. */
const MAX_EPOCH = 2147483647;

/**
 * Why `version` is not a valid dpkg version, or `undefined` when it is. Mirrors the errors and
 * warnings of `dpkg --validate-version` (both make it fail), plus our whitespace and length bounds.
 */
export function dpkgVersionProblem(version: string): string | undefined {
  const length = version.length;
  if (length === 0) return 'version string is empty';
  if (length > MAX_VERSION_LENGTH) return `version string is longer than ${MAX_VERSION_LENGTH} characters`;
  const colon = version.indexOf(':');
  let upstreamStart = 0;
  if (colon >= 0) {
    if (colon === 0) return 'epoch in version is empty';
    let epoch = 0;
    for (let index = 0; index < colon; index++) {
      const code = version.charCodeAt(index);
      if (!isDigit(code)) return 'epoch in version is not number';
      epoch = epoch * 10 + (code - CHAR_0);
      if (epoch > MAX_EPOCH) return 'epoch in version is too big';
    }
    if (colon === length - 1) return 'nothing after colon in version number';
    upstreamStart = colon + 1;
  }
  const hyphen = version.lastIndexOf('-');
  let upstreamEnd = length;
  if (hyphen >= upstreamStart) {
    if (hyphen === length - 1) return 'revision number is empty';
    upstreamEnd = hyphen;
  }
  if (upstreamEnd === upstreamStart) return 'version number is empty';
  if (!isDigit(version.charCodeAt(upstreamStart))) return 'version number does not start with digit';
  for (let index = upstreamStart + 1; index < upstreamEnd; index++) {
    if ((charClass(version.charCodeAt(index)) & UPSTREAM_CHARS) === 0) return 'invalid character in version number';
  }
  for (let index = upstreamEnd + 1; index < length; index++) {
    if ((charClass(version.charCodeAt(index)) & REVISION_CHARS) === 0) return 'invalid character in revision number';
  }
  return undefined;
}

/**
 * Weight of a character in a non-digit run (dpkg's `order`): `~` -1, digits 0 (like the end of
 * the part), letters their code, every other character its code + 256. One entry per UTF-16 code
 * unit (read-only data, 128 KiB): valid versions are ASCII, but the trusted comparator
 * (`compareValidDpkgVersions`) is never given a check, so it must read a defined weight for any
 * code unit rather than `undefined` past the end of an ASCII table.
 */
const WEIGHT: Readonly<Int16Array> = buildWeights();

function buildWeights(): Int16Array {
  const table = new Int16Array(0x10000);
  for (let code = 0; code < 0x10000; code++) {
    if (isDigit(code)) table[code] = 0;
    else if (isAlpha(code)) table[code] = code;
    else if (code === CHAR_TILDE) table[code] = -1;
    else table[code] = code < 128 ? code + 256 : 384;
  }
  return table;
}

/**
 * dpkg's `verrevcmp` on `a[aStart, aEnd)` and `b[bStart, bEnd)`; the sign is the result. The
 * caller may say that the first `equal` characters of both are known to be the same.
 */
function compareParts(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number, equal: number): number {
  let ai = aStart + equal;
  let bi = bStart + equal;
  // Equal characters decide nothing: skip the common prefix, then step back to the start of the
  // digit run it ends in (a digit run is compared as a whole), which is where verrevcmp would be.
  while (ai < aEnd && bi < bEnd && a.charCodeAt(ai) === b.charCodeAt(bi)) {
    ai++;
    bi++;
  }
  if (ai === aEnd && bi === bEnd) return 0;
  for (;;) {
    if (ai === aStart) break;
    const previous = a.charCodeAt(ai - 1);
    if (previous < CHAR_0 || previous > CHAR_9) break;
    ai--;
    bi--;
  }
  while (ai < aEnd || bi < bEnd) {
    // Non-digit run: compare weights character by character (the end of a part weighs 0).
    for (;;) {
      const ac = ai < aEnd ? a.charCodeAt(ai) : CHAR_0;
      const bc = bi < bEnd ? b.charCodeAt(bi) : CHAR_0;
      const aInRun = ac < CHAR_0 || ac > CHAR_9;
      const bInRun = bc < CHAR_0 || bc > CHAR_9;
      if (!aInRun && !bInRun) break;
      const aOrder = aInRun ? (WEIGHT[ac] as number) : 0;
      const bOrder = bInRun ? (WEIGHT[bc] as number) : 0;
      if (aOrder !== bOrder) return aOrder - bOrder;
      ai++;
      bi++;
    }
    // Digit run: compare by value, leading zeros ignored, any length.
    while (ai < aEnd && a.charCodeAt(ai) === CHAR_0) ai++;
    while (bi < bEnd && b.charCodeAt(bi) === CHAR_0) bi++;
    let firstDiff = 0;
    while (ai < aEnd && bi < bEnd) {
      const ac = a.charCodeAt(ai);
      const bc = b.charCodeAt(bi);
      if (ac < CHAR_0 || ac > CHAR_9 || bc < CHAR_0 || bc > CHAR_9) break;
      if (firstDiff === 0) firstDiff = ac - bc;
      ai++;
      bi++;
    }
    if (ai < aEnd && isDigit(a.charCodeAt(ai))) return 1;
    if (bi < bEnd && isDigit(b.charCodeAt(bi))) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

/**
 * The epoch of `version` whose first colon is at `colon`: digits only, at least one, at most
 * MAX_EPOCH; -1 when it is not a valid epoch.
 */
function epochBefore(version: string, colon: number): number {
  if (colon === 0) return -1;
  let epoch = 0;
  for (let index = 0; index < colon; index++) {
    const code = version.charCodeAt(index);
    if (code < CHAR_0 || code > CHAR_9) return -1;
    epoch = epoch * 10 + (code - CHAR_0);
    if (epoch > MAX_EPOCH) return -1;
  }
  return epoch;
}

/**
 * Whether the parts found by a scan form a valid version (the rest of `dpkgVersionProblem`'s
 * rules once every character is known to be allowed somewhere in a version): something after the
 * epoch's colon; a non-empty revision without a colon after the last hyphen; an upstream part
 * that is not empty and starts with a digit.
 */
function validParts(version: string, firstColon: number, lastColon: number, lastHyphen: number): boolean {
  const length = version.length;
  if (firstColon === length - 1) return false;
  if (lastHyphen === length - 1 || (lastHyphen >= 0 && lastColon > lastHyphen)) return false;
  const upstreamStart = firstColon + 1;
  if ((lastHyphen < 0 ? length : lastHyphen) === upstreamStart) return false;
  const first = version.charCodeAt(upstreamStart);
  return first >= CHAR_0 && first <= CHAR_9;
}

function invalid(version: string): never {
  throw invalidVersionError('dpkg', version, dpkgVersionProblem(version) ?? 'invalid version');
}

/**
 * Compares two valid dpkg versions; throws a `StalledError` (`InvalidVersion`) otherwise. Parses
 * both strings on every call and caches nothing: one pass checks the grammar of the common prefix
 * once for both, then of each rest; the comparison starts where they differ.
 */
export function compareDpkgVersions(a: string, b: string): Comparison {
  const aLength = a.length;
  const bLength = b.length;
  if (aLength === 0 || aLength > MAX_VERSION_LENGTH) invalid(a);
  if (bLength === 0 || bLength > MAX_VERSION_LENGTH) invalid(b);
  const shorter = aLength < bLength ? aLength : bLength;
  // The common prefix: checked once for both; its separators are both strings' separators.
  let colon = -1;
  let lastColon = -1;
  let hyphen = -1;
  let same = 0;
  for (; same < shorter; same++) {
    const code = a.charCodeAt(same);
    if (code !== b.charCodeAt(same)) break;
    const kind = KIND_OF_UNIT[code] as number;
    if (kind !== ORDINARY) {
      if (kind === NOT_ALLOWED) invalid(a);
      if (kind === HYPHEN) hyphen = same;
      else {
        if (colon < 0) colon = same;
        lastColon = same;
      }
    }
  }
  // The rest of a.
  let aColon = colon;
  let aLastColon = lastColon;
  let aHyphen = hyphen;
  for (let index = same; index < aLength; index++) {
    const code = a.charCodeAt(index);
    const kind = KIND_OF_UNIT[code] as number;
    if (kind !== ORDINARY) {
      if (kind === NOT_ALLOWED) invalid(a);
      if (kind === HYPHEN) aHyphen = index;
      else {
        if (aColon < 0) aColon = index;
        aLastColon = index;
      }
    }
  }
  const aEpoch = aColon < 0 ? 0 : epochBefore(a, aColon);
  if (aEpoch < 0 || !validParts(a, aColon, aLastColon, aHyphen)) invalid(a);
  if (same === aLength && aLength === bLength) return 0;
  // The rest of b.
  let bColon = colon;
  let bLastColon = lastColon;
  let bHyphen = hyphen;
  for (let index = same; index < bLength; index++) {
    const code = b.charCodeAt(index);
    const kind = KIND_OF_UNIT[code] as number;
    if (kind !== ORDINARY) {
      if (kind === NOT_ALLOWED) invalid(b);
      if (kind === HYPHEN) bHyphen = index;
      else {
        if (bColon < 0) bColon = index;
        bLastColon = index;
      }
    }
  }
  const bEpoch = bColon < 0 ? 0 : epochBefore(b, bColon);
  if (bEpoch < 0 || !validParts(b, bColon, bLastColon, bHyphen)) invalid(b);
  if (aEpoch !== bEpoch) return aEpoch > bEpoch ? 1 : -1;
  const aUpstreamEnd = aHyphen < 0 ? aLength : aHyphen;
  const bUpstreamEnd = bHyphen < 0 ? bLength : bHyphen;
  // Shortcut: the first difference lies inside the same part of both (the upstream, or the
  // revision after identical upstreams). Outside a digit run and not between two digits, the
  // weights of the two characters decide, as verrevcmp's non-digit loop would there; inside or at
  // the start of digit runs, the two runs' values decide unless they are equal.
  if (aColon === bColon && same < aLength && same < bLength) {
    const partStart =
      same < aUpstreamEnd && same < bUpstreamEnd
        ? aColon + 1
        : aUpstreamEnd === bUpstreamEnd && same > aUpstreamEnd
          ? aUpstreamEnd + 1
          : -1;
    if (partStart >= 0) {
      const ac = a.charCodeAt(same);
      const bc = b.charCodeAt(same);
      const aDigit = ac >= CHAR_0 && ac <= CHAR_9;
      const bDigit = bc >= CHAR_0 && bc <= CHAR_9;
      const previous = same > partStart ? a.charCodeAt(same - 1) : -1;
      const previousDigit = previous >= CHAR_0 && previous <= CHAR_9;
      if (!(aDigit && bDigit) && !previousDigit)
        return (aDigit ? 0 : (WEIGHT[ac] as number)) < (bDigit ? 0 : (WEIGHT[bc] as number)) ? -1 : 1;
      let runStart = same;
      while (runStart > partStart) {
        const code = a.charCodeAt(runStart - 1);
        if (code < CHAR_0 || code > CHAR_9) break;
        runStart--;
      }
      let aRunEnd = same;
      while (aRunEnd < aLength) {
        const code = a.charCodeAt(aRunEnd);
        if (code < CHAR_0 || code > CHAR_9) break;
        aRunEnd++;
      }
      let bRunEnd = same;
      while (bRunEnd < bLength) {
        const code = b.charCodeAt(bRunEnd);
        if (code < CHAR_0 || code > CHAR_9) break;
        bRunEnd++;
      }
      const byValue = compareDigitRuns(a, runStart, aRunEnd, b, runStart, bRunEnd);
      if (byValue !== 0) return byValue;
    }
  }
  // Characters known equal at the start of each part, when both parts start at the same index.
  const upstreamEqual = aColon === bColon ? knownEqual(same, aColon + 1, aUpstreamEnd, bUpstreamEnd) : 0;
  const upstream = compareParts(a, aColon + 1, aUpstreamEnd, b, bColon + 1, bUpstreamEnd, upstreamEqual);
  if (upstream !== 0) return upstream < 0 ? -1 : 1;
  // A missing revision compares as the empty string, so `1.0` equals `1.0-0`.
  const revisionEqual = aUpstreamEnd === bUpstreamEnd ? knownEqual(same, aUpstreamEnd + 1, aLength, bLength) : 0;
  const revision = compareParts(a, aUpstreamEnd + 1, aLength, b, bUpstreamEnd + 1, bLength, revisionEqual);
  return revision < 0 ? -1 : revision > 0 ? 1 : 0;
}

/** How many characters from `start` lie in the common prefix `[0, same)` and in both parts. */
function knownEqual(same: number, start: number, aEnd: number, bEnd: number): number {
  const end = same < aEnd ? (same < bEnd ? same : bEnd) : aEnd < bEnd ? aEnd : bEnd;
  return end > start ? end - start : 0;
}

/**
 * Index of the colon ending a leading run of digits (the epoch), or -1. In a valid version the
 * first colon, if any, ends the epoch and the epoch is digits only, so this finds it after reading
 * just the epoch (or the first non-digit: usually one or two characters), never the whole string.
 */
function epochColon(version: string): number {
  const length = version.length;
  let index = 0;
  while (index < length) {
    const code = version.charCodeAt(index);
    if (code < CHAR_0 || code > CHAR_9) return code === CHAR_COLON ? index : -1;
    index++;
  }
  return -1;
}

/** How many digits `version` starts with. */
function leadingDigits(version: string): number {
  const length = version.length;
  let index = 0;
  while (index < length) {
    const code = version.charCodeAt(index);
    if (code < CHAR_0 || code > CHAR_9) break;
    index++;
  }
  return index;
}

/** Whether `version` has a hyphen at or after `from`. */
function hasHyphenFrom(version: string, from: number): boolean {
  const length = version.length;
  for (let index = from; index < length; index++) if (version.charCodeAt(index) === CHAR_HYPHEN) return true;
  return false;
}

/**
 * Index of the last hyphen after `start` (the revision separator), or -1. Read from the end,
 * because the revision is short and the upstream part is long.
 */
function revisionHyphen(version: string, start: number): number {
  for (let index = version.length - 1; index > start; index--) {
    if (version.charCodeAt(index) === CHAR_HYPHEN) return index;
  }
  return -1;
}

/**
 * Compares two dpkg versions that are ALREADY KNOWN to be valid (`isValidVersion`), without
 * checking the grammar again: apt's `version_compare` does not check it either. This is the hot
 * path of matching (assess, the advisory index), whose every version was checked where it entered
 * (inventory loader, OSV edge schema and index build, baseline loader; see ADR 0012).
 *
 * On a string that is not a valid version it returns some -1/0/1 and never throws, loops or reads
 * out of bounds, but the order is then meaningless: untrusted strings go to `compareDpkgVersions`.
 * Parses both strings on every call and caches nothing.
 */
export function compareValidDpkgVersions(a: string, b: string): Comparison {
  const aLength = a.length;
  const bLength = b.length;
  // Equal characters decide nothing: find where the strings first differ, once, and let each part
  // start its comparison there (identical strings end here). Note the last hyphen of the prefix.
  const shorter = aLength < bLength ? aLength : bLength;
  let same = 0;
  let prefixHyphen = -1;
  for (; same < shorter; same++) {
    const code = a.charCodeAt(same);
    if (code !== b.charCodeAt(same)) break;
    if (code === CHAR_HYPHEN) prefixHyphen = same;
  }
  if (same === aLength && same === bLength) return 0;
  const aDigits = leadingDigits(a);
  const aColon = aDigits < aLength && a.charCodeAt(aDigits) === CHAR_COLON ? aDigits : -1;
  // When the character after `a`'s leading digits (its epoch colon or not) lies in the common
  // prefix, `b` has the same epoch colon or none: no need to read it again.
  const bColon = aDigits < same ? aColon : epochColon(b);
  if (aColon >= 0 || bColon >= 0) {
    // A missing epoch is 0; compared by value, so `0:1.0` equals `1.0`.
    const epoch = compareDigitRuns(a, 0, aColon < 0 ? 0 : aColon, b, 0, bColon < 0 ? 0 : bColon);
    if (epoch !== 0) return epoch;
  }
  // Most pairs differ at a character that both have, in the same part of both at the same offset
  // (same epoch): there those two characters usually decide alone. Find that part's start.
  if (aColon === bColon && same > aColon && same < shorter) {
    const ac = a.charCodeAt(same);
    const bc = b.charCodeAt(same);
    let partStart = -1;
    if (prefixHyphen < 0) {
      // No hyphen before the difference, and none at it: the revision separator (the last hyphen)
      // comes later in both, so the difference is in the upstream part, and the revisions need not
      // even be found.
      if (ac !== CHAR_HYPHEN && bc !== CHAR_HYPHEN) partStart = aColon + 1;
    } else if (!hasHyphenFrom(a, same) && !hasHyphenFrom(b, same)) {
      // The prefix's last hyphen is the last hyphen of both: identical upstream parts, and the
      // difference is in the revisions.
      partStart = prefixHyphen + 1;
    }
    if (partStart >= 0) {
      const decided = decideInPart(a, b, ac, bc, same, partStart);
      if (decided !== 0) return decided;
    }
  }
  // Next most often, one side's part ends at the difference (the string ends, or its revision
  // separator is there) while the other's goes on in the same part.
  if (aColon === bColon && same > aColon) {
    const aEnds = partEndsAt(a, same, prefixHyphen);
    const bEnds = partEndsAt(b, same, prefixHyphen);
    if (aEnds !== bEnds) {
      const longer = aEnds ? b : a;
      const next = longer.charCodeAt(same);
      // With a hyphen in the prefix, the same part means: the string that ends is the prefix, and
      // the other has no hyphen after it (the prefix's last hyphen is the last of both).
      const samePart = prefixHyphen < 0 ? next !== CHAR_HYPHEN : same === shorter && !hasHyphenFrom(longer, same);
      if (samePart) {
        const longerOrder = goesOnAfterEnd(longer, next, same, prefixHyphen < 0 ? aColon + 1 : prefixHyphen + 1);
        if (longerOrder !== 0) return aEnds ? (longerOrder < 0 ? 1 : -1) : longerOrder;
      }
    }
  }
  const aHyphen = revisionHyphen(a, aColon + 1);
  const bHyphen = revisionHyphen(b, bColon + 1);
  const aUpstreamEnd = aHyphen < 0 ? aLength : aHyphen;
  const bUpstreamEnd = bHyphen < 0 ? bLength : bHyphen;
  const upstreamEqual = aColon === bColon ? knownEqual(same, aColon + 1, aUpstreamEnd, bUpstreamEnd) : 0;
  const upstream = compareParts(a, aColon + 1, aUpstreamEnd, b, bColon + 1, bUpstreamEnd, upstreamEqual);
  if (upstream !== 0) return upstream < 0 ? -1 : 1;
  // A missing revision compares as the empty string, so `1.0` equals `1.0-0`.
  const revisionEqual = aUpstreamEnd === bUpstreamEnd ? knownEqual(same, aUpstreamEnd + 1, aLength, bLength) : 0;
  const revision = compareParts(a, aUpstreamEnd + 1, aLength, b, bUpstreamEnd + 1, bLength, revisionEqual);
  return revision < 0 ? -1 : revision > 0 ? 1 : 0;
}

/**
 * The order of two valid versions that are identical before index `same` and differ there, with
 * characters `ac` and `bc`, both inside the same part (upstream or revision) that starts at
 * `partStart`, at the same offset. Returns 0 when these characters alone do not decide (equal
 * digit-run values such as `01` and `1`): the caller then compares whole parts.
 */
function decideInPart(a: string, b: string, ac: number, bc: number, same: number, partStart: number): Comparison {
  const aDigit = ac >= CHAR_0 && ac <= CHAR_9;
  const bDigit = bc >= CHAR_0 && bc <= CHAR_9;
  const previous = same > partStart ? a.charCodeAt(same - 1) : -1;
  const previousDigit = previous >= CHAR_0 && previous <= CHAR_9;
  // Outside a digit run, verrevcmp compares these two characters' weights (a digit weighs 0, and
  // two different characters never weigh the same). That is also the case after a digit run when
  // neither is a digit: the run ended at `same` in both, with the same value.
  if (!(aDigit && bDigit) && !(previousDigit && (aDigit || bDigit))) {
    return (aDigit ? 0 : (WEIGHT[ac] as number)) < (bDigit ? 0 : (WEIGHT[bc] as number)) ? -1 : 1;
  }
  // Inside or at the start of digit runs: the runs' values decide, unless they are equal. The runs
  // are identical on [runStart, same).
  let runStart = same;
  while (runStart > partStart) {
    const code = a.charCodeAt(runStart - 1);
    if (code < CHAR_0 || code > CHAR_9) break;
    runStart--;
  }
  const aRunEnd = digitRunEnd(a, same);
  const bRunEnd = digitRunEnd(b, same);
  const aFirst = runStart < same ? a.charCodeAt(runStart) : ac;
  const bFirst = runStart < same ? aFirst : bc;
  // Without leading zeros, the longer run is the larger number, and between runs of one length the
  // first differing digit (this one) decides. With a leading zero, count properly.
  if (aFirst === CHAR_0 || bFirst === CHAR_0) return compareDigitRuns(a, runStart, aRunEnd, b, runStart, bRunEnd);
  if (aRunEnd !== bRunEnd) return aRunEnd > bRunEnd ? 1 : -1;
  return ac < bc ? -1 : 1;
}

/**
 * Whether the part of `version` that holds index `same` ends there: the string ends, or its last
 * hyphen (the revision separator) is there. With no hyphen before `same` (`prefixHyphen` < 0), a
 * hyphen at `same` is the separator when no other follows.
 */
function partEndsAt(version: string, same: number, prefixHyphen: number): boolean {
  if (same === version.length) return true;
  return prefixHyphen < 0 && version.charCodeAt(same) === CHAR_HYPHEN && !hasHyphenFrom(version, same + 1);
}

/**
 * The order of a part that goes on with `next` at index `same` against the same part, identical
 * up to there, that ends there (verrevcmp with the end weighing 0): 1 when the longer part is
 * greater, -1 when smaller, 0 when this alone does not decide (a digit run whose value might
 * still be equal, as in `1.0` and `1.00`).
 */
function goesOnAfterEnd(longer: string, next: number, same: number, partStart: number): Comparison {
  if (next === CHAR_TILDE) return -1;
  if (next < CHAR_0 || next > CHAR_9) return 1;
  // A digit: the longer side's run is longer, or the other side has none (value 0), so the longer
  // side is greater unless the run starts with a zero.
  let runStart = same;
  while (runStart > partStart) {
    const code = longer.charCodeAt(runStart - 1);
    if (code < CHAR_0 || code > CHAR_9) break;
    runStart--;
  }
  return longer.charCodeAt(runStart) === CHAR_0 ? 0 : 1;
}

/** The end of the run of digits that starts at or before `from`. */
function digitRunEnd(version: string, from: number): number {
  const length = version.length;
  let index = from;
  while (index < length) {
    const code = version.charCodeAt(index);
    if (code < CHAR_0 || code > CHAR_9) break;
    index++;
  }
  return index;
}

/**
 * Debian policy §5.6.1: lower-case letters, digits, `+`, `-`, `.`; at least two characters;
 * starting with a letter or digit. No architecture qualifier (`libc6:amd64` is not a name).
 */
export function isValidDpkgPackageName(name: string): boolean {
  const length = name.length;
  if (length < 2 || length > MAX_PACKAGE_NAME_LENGTH) return false;
  const first = name.charCodeAt(0);
  if (!isDigit(first) && !isLowerAlpha(first)) return false;
  for (let index = 1; index < length; index++) {
    const code = name.charCodeAt(index);
    if (!isDigit(code) && !isLowerAlpha(code) && code !== CHAR_PLUS && code !== CHAR_DOT && code !== CHAR_HYPHEN) return false;
  }
  return true;
}

/** The dpkg `VersionScheme`. Stateless; safe to share. */
export const dpkgVersionScheme: VersionScheme = Object.freeze({
  id: 'dpkg',
  compare: compareDpkgVersions,
  compareValid: compareValidDpkgVersions,
  isValidVersion: (version: string): boolean => dpkgVersionProblem(version) === undefined,
  isValidPackageName: isValidDpkgPackageName,
});
