/**
 * The fused comparators (grammar and order in one pass, the common prefix checked once) against
 * the straightforward ones they replaced (reference-order.ts) and the unchanged grammar checks,
 * on generated pairs that share prefixes of every length: same order on valid pairs, and a typed
 * InvalidVersion error naming the first invalid side otherwise.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dpkgVersionScheme, INVALID_VERSION, rpmVersionScheme } from '../../../../controller/core/version/index.js';
import { isPatchwardError } from '../../../../controller/errors.js';
import type { VersionScheme } from '../../../../controller/ports/version-scheme.js';
import { referenceDpkgCompare, referenceRpmCompare } from './reference-order.js';

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

function pairs(seed: number, count: number): [string, string][] {
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

function check(scheme: VersionScheme, reference: (a: string, b: string) => number, seed: number): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  for (const [a, b] of pairs(seed, 40_000)) {
    const aValid = scheme.isValidVersion(a);
    const bValid = scheme.isValidVersion(b);
    if (aValid && bValid) {
      valid++;
      assert.equal(scheme.compare(a, b), reference(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      continue;
    }
    invalid++;
    const culprit = aValid ? b : a;
    const shown = culprit.length <= 80 ? culprit : `${culprit.slice(0, 77)}...`;
    assert.throws(
      () => scheme.compare(a, b),
      (error: unknown) =>
        isPatchwardError(error) && error.kind === 'Stalled' && error.code === INVALID_VERSION && error.context['version'] === shown,
      `${JSON.stringify(a)} vs ${JSON.stringify(b)}`,
    );
  }
  return { valid, invalid };
}

describe('fused comparators agree with the straightforward ones and with the grammar', () => {
  it('dpkg: 40,000 generated pairs sharing prefixes', () => {
    const { valid, invalid } = check(dpkgVersionScheme, referenceDpkgCompare, 1);
    assert.ok(valid > 5_000 && invalid > 5_000, `valid ${valid}, invalid ${invalid}`);
  });
  it('rpm: 40,000 generated pairs sharing prefixes', () => {
    const { valid, invalid } = check(rpmVersionScheme, referenceRpmCompare, 2);
    assert.ok(valid > 5_000 && invalid > 5_000, `valid ${valid}, invalid ${invalid}`);
  });
});
