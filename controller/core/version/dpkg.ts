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
  CHAR_DOT,
  CHAR_HYPHEN,
  CHAR_PLUS,
  charClass,
  compareDigitRuns,
  CLASS_ALPHA,
  CLASS_DIGIT,
  CLASS_DPKG_REVISION,
  CLASS_DPKG_UPSTREAM,
  isDigit,
  isLowerAlpha,
  buildUnitKinds,
  UNIT_HYPHEN,
  UNIT_NOT_ALLOWED,
  UNIT_ORDINARY,
} from './char-codes.js';
import { compareParts, knownEqual, WEIGHT } from './dpkg-order.js';
import { compareValidDpkgVersions } from './dpkg-valid.js';
import { invalidVersionError, MAX_PACKAGE_NAME_LENGTH, MAX_VERSION_LENGTH } from './invalid-version.js';

const UPSTREAM_CHARS = CLASS_DIGIT | CLASS_ALPHA | CLASS_DPKG_UPSTREAM;

/** The kind of every UTF-16 code unit in a version of this scheme (char-codes.ts `buildUnitKinds`). */
const KIND_OF_UNIT = buildUnitKinds(UPSTREAM_CHARS);
const NOT_ALLOWED = UNIT_NOT_ALLOWED;
const ORDINARY = UNIT_ORDINARY;
const HYPHEN = UNIT_HYPHEN;
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
