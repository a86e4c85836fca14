/**
 * The trusted comparators (`compareValid`: no grammar check, for strings checked where they
 * entered) against the checked ones (`compare`) and the straightforward reference order: the same
 * answer on every valid pair, ground truth included; on invalid input the checked one still
 * refuses with the typed InvalidVersion error, and the trusted one still returns -1, 0 or 1 (no
 * throw, no hang), whatever that order means.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dpkgVersionScheme, INVALID_VERSION, rpmVersionScheme } from '../../../../controller/core/version/index.js';
import { isPatchwardError } from '../../../../controller/errors.js';
import type { VersionScheme } from '../../../../controller/ports/version-scheme.js';
import { pairs } from './generated-pairs.js';
import { loadPairs } from './pairs-fixture.js';
import { referenceDpkgCompare, referenceRpmCompare } from './reference-order.js';

const SCHEMES = [
  { scheme: dpkgVersionScheme, reference: referenceDpkgCompare, seed: 11 },
  { scheme: rpmVersionScheme, reference: referenceRpmCompare, seed: 12 },
] as const;

function isInvalidVersionError(error: unknown): boolean {
  return isPatchwardError(error) && error.kind === 'Stalled' && error.code === INVALID_VERSION;
}

describe('trusted and checked comparators agree on valid versions', () => {
  for (const { scheme } of SCHEMES) {
    it(`${scheme.id}: every ground-truth pair, both ways`, () => {
      const wrong: string[] = [];
      for (const { line, a, b, cmp } of loadPairs(scheme.id)) {
        if (scheme.compareValid(a, b) !== cmp) wrong.push(`line ${line}: compareValid(${a}, ${b}) !== ${cmp}`);
        if (scheme.compareValid(b, a) !== (-cmp || 0)) wrong.push(`line ${line}: compareValid(${b}, ${a}) !== ${-cmp || 0}`);
        if (scheme.compare(a, b) !== scheme.compareValid(a, b)) wrong.push(`line ${line}: compare and compareValid differ`);
      }
      assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} disagreements; first ones listed`);
    });
  }

  for (const { scheme, reference, seed } of SCHEMES) {
    it(`${scheme.id}: 40,000 generated pairs sharing prefixes`, () => {
      let valid = 0;
      let invalid = 0;
      for (const [a, b] of pairs(seed, 40_000)) {
        const shown = `${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
        if (scheme.isValidVersion(a) && scheme.isValidVersion(b)) {
          valid++;
          const expected = reference(a, b);
          assert.equal(scheme.compareValid(a, b), expected, shown);
          assert.equal(scheme.compare(a, b), expected, shown);
          continue;
        }
        invalid++;
        assert.throws(() => scheme.compare(a, b), isInvalidVersionError, shown);
        assert.ok([-1, 0, 1].includes(trustedResult(scheme, a, b)), shown);
      }
      assert.ok(valid > 5_000 && invalid > 5_000, `valid ${valid}, invalid ${invalid}`);
    });
  }
});

describe('the checked comparator still refuses what the trusted one would not look at', () => {
  const cases: Record<string, readonly string[]> = {
    dpkg: ['', ' 1.0', '1.0 ', 'a1.0', '1:', ':1.0', 'x:1.0', '1.0-', '1.0$(id)', '1.0\u00e9', '1'.repeat(256)],
    rpm: ['', ' 1.0', '1.0 ', '-1.0', '1.0-', '1-2-3', 'x:1.0', '1:2:3', '1.0;id', '1.0\u00e9', '1'.repeat(256)],
  };
  for (const { scheme } of SCHEMES) {
    it(`${scheme.id}: InvalidVersion on either side, while compareValid returns -1, 0 or 1`, () => {
      for (const bad of cases[scheme.id] ?? []) {
        assert.throws(() => scheme.compare(bad, '1.0'), isInvalidVersionError, JSON.stringify(bad));
        assert.throws(() => scheme.compare('1.0', bad), isInvalidVersionError, JSON.stringify(bad));
        assert.ok([-1, 0, 1].includes(trustedResult(scheme, bad, '1.0')), JSON.stringify(bad));
        assert.ok([-1, 0, 1].includes(trustedResult(scheme, '1.0', bad)), JSON.stringify(bad));
      }
    });
  }
});

/** `compareValid` on any strings: must return, not throw (a throw fails the test). */
function trustedResult(scheme: VersionScheme, a: string, b: string): number {
  return scheme.compareValid(a, b);
}
