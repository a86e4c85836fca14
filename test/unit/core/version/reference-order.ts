/**
 * The straightforward comparators that the fused ones in controller/core/version replaced
 * (validate each side whole, then compare from the first character), kept as the oracle of
 * `fused-compare.test.ts`. They assume valid input: the grammar is checked by
 * `dpkgVersionProblem` / `rpmVersionProblem`, which did not change.
 */
import { compareDigitRuns, isAlnum, isAlpha, isDigit } from '../../../../controller/core/version/char-codes.js';

const CHAR_0 = 48;
const CHAR_TILDE = 126;
const CHAR_CARET = 94;

const sign = (value: number): -1 | 0 | 1 => (value < 0 ? -1 : value > 0 ? 1 : 0);

function order(code: number): number {
  if (code < 0 || isDigit(code)) return 0;
  if (isAlpha(code)) return code;
  if (code === CHAR_TILDE) return -1;
  return code + 256;
}

function verrevcmp(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): number {
  let ai = aStart;
  let bi = bStart;
  while (ai < aEnd || bi < bEnd) {
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

/** dpkg order of two VALID versions. */
export function referenceDpkgCompare(a: string, b: string): -1 | 0 | 1 {
  const aColon = a.indexOf(':');
  const bColon = b.indexOf(':');
  const aEpoch = aColon < 0 ? 0 : Number(a.slice(0, aColon));
  const bEpoch = bColon < 0 ? 0 : Number(b.slice(0, bColon));
  if (aEpoch !== bEpoch) return aEpoch > bEpoch ? 1 : -1;
  const aHyphen = a.lastIndexOf('-');
  const bHyphen = b.lastIndexOf('-');
  const aUpstreamEnd = aHyphen < 0 ? a.length : aHyphen;
  const bUpstreamEnd = bHyphen < 0 ? b.length : bHyphen;
  const upstream = verrevcmp(a, aColon + 1, aUpstreamEnd, b, bColon + 1, bUpstreamEnd);
  if (upstream !== 0) return sign(upstream);
  return sign(verrevcmp(a, aUpstreamEnd + 1, a.length, b, bUpstreamEnd + 1, b.length));
}

const isSegmentStart = (code: number): boolean => isAlnum(code) || code === CHAR_TILDE || code === CHAR_CARET;

function compareBytes(a: string, b: string): -1 | 0 | 1 {
  return a < b ? -1 : a > b ? 1 : 0;
}

function rpmvercmp(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): -1 | 0 | 1 {
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
      if (bRunEnd === bi) return 1;
      const byValue = compareDigitRuns(a, ai, aRunEnd, b, bi, bRunEnd);
      if (byValue !== 0) return byValue;
    } else {
      while (aRunEnd < aEnd && isAlpha(a.charCodeAt(aRunEnd))) aRunEnd++;
      while (bRunEnd < bEnd && isAlpha(b.charCodeAt(bRunEnd))) bRunEnd++;
      if (bRunEnd === bi) return -1;
      const byBytes = compareBytes(a.slice(ai, aRunEnd), b.slice(bi, bRunEnd));
      if (byBytes !== 0) return byBytes;
    }
    ai = aRunEnd;
    bi = bRunEnd;
  }
  if (ai >= aEnd && bi >= bEnd) return 0;
  return ai >= aEnd ? -1 : 1;
}

function epochColon(evr: string): number {
  let index = 0;
  while (index < evr.length && isDigit(evr.charCodeAt(index))) index++;
  return index < evr.length && evr.charCodeAt(index) === 58 ? index : -1;
}

/** rpm EVR order of two VALID EVRs. */
export function referenceRpmCompare(a: string, b: string): -1 | 0 | 1 {
  if (a === b) return 0;
  const aColon = epochColon(a);
  const bColon = epochColon(b);
  const epoch = compareDigitRuns(a, 0, aColon < 0 ? 0 : aColon, b, 0, bColon < 0 ? 0 : bColon);
  if (epoch !== 0) return epoch;
  const aHyphen = a.indexOf('-', aColon + 1);
  const bHyphen = b.indexOf('-', bColon + 1);
  const aVersionEnd = aHyphen < 0 ? a.length : aHyphen;
  const bVersionEnd = bHyphen < 0 ? b.length : bHyphen;
  const version = rpmvercmp(a, aColon + 1, aVersionEnd, b, bColon + 1, bVersionEnd);
  if (version !== 0) return version;
  if (aHyphen >= 0 && bHyphen >= 0) return rpmvercmp(a, aHyphen + 1, a.length, b, bHyphen + 1, b.length);
  if (aHyphen >= 0) return 1;
  if (bHyphen >= 0) return -1;
  return 0;
}
