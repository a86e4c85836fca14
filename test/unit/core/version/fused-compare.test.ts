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
import { pairs } from './generated-pairs.js';
import { referenceDpkgCompare, referenceRpmCompare } from './reference-order.js';

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
