/**
 * The dpkg order itself (`verrevcmp` of lib/dpkg/version.c, as described there; no code copied),
 * shared by the checked comparator (dpkg.ts) and the trusted one (dpkg-valid.ts).
 */
import { CHAR_0, CHAR_9, CHAR_TILDE, isAlpha, isDigit } from './char-codes.js';

/**
 * Weight of a character in a non-digit run (dpkg's `order`): `~` -1, digits 0 (like the end of
 * the part), letters their code, every other character its code + 256. One entry per UTF-16 code
 * unit (read-only data, 128 KiB): valid versions are ASCII, but the trusted comparator
 * (`compareValidDpkgVersions`) is never given a check, so it must read a defined weight for any
 * code unit rather than `undefined` past the end of an ASCII table.
 */
export const WEIGHT: Readonly<Int16Array> = buildWeights();

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
export function compareParts(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number, equal: number): number {
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

/** How many characters from `start` lie in the common prefix `[0, same)` and in both parts. */
export function knownEqual(same: number, start: number, aEnd: number, bEnd: number): number {
  const end = same < aEnd ? (same < bEnd ? same : bEnd) : aEnd < bEnd ? aEnd : bEnd;
  return end > start ? end - start : 0;
}
