/**
 * Generated version pairs that share prefixes of every length, mostly version-like text with every
 * separator and some characters no grammar allows: valid and invalid pairs for the comparator
 * tests (fused-compare.test.ts, trusted-compare.test.ts). Deterministic per seed.
 */

/** mulberry32: a small deterministic PRNG, so that every run checks the same pairs. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mostly version-like text, with every separator and some characters no grammar allows. */
const PIECES = [
  '0',
  '1',
  '2',
  '9',
  '10',
  '00',
  '007',
  '123456789012345678901',
  'a',
  'b',
  'z',
  'A',
  'rc',
  'el9',
  'deb12u1',
  '.',
  '.',
  '+',
  '~',
  '^',
  '_',
  '-',
  '-',
  ':',
  ':',
  ' ',
  '\u00e9',
  '/',
];

function generate(next: () => number): string {
  const length = 1 + Math.floor(next() * 7);
  let text = next() < 0.85 ? String(Math.floor(next() * 12)) : '';
  for (let index = 0; index < length; index++) text += PIECES[Math.floor(next() * PIECES.length)];
  return text;
}

export function pairs(seed: number, count: number): [string, string][] {
  const next = random(seed);
  const result: [string, string][] = [];
  for (let index = 0; index < count; index++) {
    const a = generate(next);
    const keep = Math.floor(next() * (a.length + 1));
    const b = next() < 0.1 ? a : a.slice(0, keep) + (next() < 0.5 ? generate(next) : PIECES[Math.floor(next() * PIECES.length)]);
    result.push(next() < 0.5 ? [a, b] : [b, a]);
  }
  return result;
}
