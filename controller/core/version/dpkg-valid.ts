/**
 * The trusted dpkg comparator: the dpkg order of two versions ALREADY KNOWN to be valid, without
 * the grammar pass of `compareDpkgVersions` (dpkg.ts). See ADR 0012 for where it may be used.
 */
import type { Comparison } from '../../ports/version-scheme.js';
import { CHAR_0, CHAR_9, CHAR_COLON, CHAR_HYPHEN, CHAR_TILDE, compareDigitRuns } from './char-codes.js';
import { compareParts, knownEqual, WEIGHT } from './dpkg-order.js';

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
 * (advisory bounds at index build, installed versions and approvals in `assess`; see ADR 0012).
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
  return decideInDigitRuns(a, b, ac, bc, same, partStart);
}

/**
 * `decideInPart` inside or at the start of digit runs (kept apart so that the JIT can inline the
 * common, short part above): the runs' values decide, unless they are equal. The runs are
 * identical on [runStart, same).
 */
function decideInDigitRuns(a: string, b: string, ac: number, bc: number, same: number, partStart: number): Comparison {
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
