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
  CHAR_DOT,
  CHAR_HYPHEN,
  CHAR_PLUS,
  CHAR_TILDE,
  charClass,
  CLASS_ALPHA,
  CLASS_DIGIT,
  CLASS_DPKG_REVISION,
  CLASS_DPKG_UPSTREAM,
  isAlpha,
  isDigit,
  isLowerAlpha,
  sign,
} from './char-codes.js';
import { invalidVersionError, MAX_PACKAGE_NAME_LENGTH, MAX_VERSION_LENGTH } from './invalid-version.js';

const UPSTREAM_CHARS = CLASS_DIGIT | CLASS_ALPHA | CLASS_DPKG_UPSTREAM;
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

/** Weight of one character in a non-digit run; `code` is -1 at the end of the part. */
function order(code: number): number {
  if (code < 0 || isDigit(code)) return 0;
  if (isAlpha(code)) return code;
  if (code === CHAR_TILDE) return -1;
  return code + 256;
}

/** dpkg's `verrevcmp` on `a[aStart, aEnd)` and `b[bStart, bEnd)`; the sign is the result. */
function compareParts(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): number {
  let ai = aStart;
  let bi = bStart;
  while (ai < aEnd || bi < bEnd) {
    // Non-digit run: compare weights character by character.
    for (;;) {
      const ac = ai < aEnd ? a.charCodeAt(ai) : -1;
      const bc = bi < bEnd ? b.charCodeAt(bi) : -1;
      const aInRun = ac >= 0 && !isDigit(ac);
      const bInRun = bc >= 0 && !isDigit(bc);
      if (!aInRun && !bInRun) break;
      const aOrder = order(ac);
      const bOrder = order(bc);
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
      if (!isDigit(ac) || !isDigit(bc)) break;
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

function epochOf(version: string, colon: number): number {
  let epoch = 0;
  for (let index = 0; index < colon; index++) epoch = epoch * 10 + (version.charCodeAt(index) - CHAR_0);
  return epoch;
}

function checked(version: string): void {
  const problem = dpkgVersionProblem(version);
  if (problem !== undefined) throw invalidVersionError('dpkg', version, problem);
}

/** Compares two valid dpkg versions; throws a `StalledError` (`InvalidVersion`) otherwise. */
export function compareDpkgVersions(a: string, b: string): Comparison {
  checked(a);
  if (a === b) return 0;
  checked(b);
  const aColon = a.indexOf(':');
  const bColon = b.indexOf(':');
  const aEpoch = aColon < 0 ? 0 : epochOf(a, aColon);
  const bEpoch = bColon < 0 ? 0 : epochOf(b, bColon);
  if (aEpoch !== bEpoch) return aEpoch > bEpoch ? 1 : -1;
  // A valid version's last hyphen, if any, lies after the epoch: upstream starts with a digit.
  const aHyphen = a.lastIndexOf('-');
  const bHyphen = b.lastIndexOf('-');
  const aUpstreamEnd = aHyphen < 0 ? a.length : aHyphen;
  const bUpstreamEnd = bHyphen < 0 ? b.length : bHyphen;
  const upstream = compareParts(a, aColon + 1, aUpstreamEnd, b, bColon + 1, bUpstreamEnd);
  if (upstream !== 0) return sign(upstream);
  // A missing revision compares as the empty string, so `1.0` equals `1.0-0`.
  return sign(compareParts(a, aUpstreamEnd + 1, a.length, b, bUpstreamEnd + 1, b.length));
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
  isValidVersion: (version: string): boolean => dpkgVersionProblem(version) === undefined,
  isValidPackageName: isValidDpkgPackageName,
});
