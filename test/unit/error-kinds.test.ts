import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PolicySourceProblem } from '../../controller/cli/fleet-source.js';
import { err, InvalidInputError, isPatchwardError, ok, UsageError } from '../../controller/errors.js';
import { parseOsRelease } from '../../controller/core/inventory/os-release.js';

describe('one error hierarchy', () => {
  it("the CLI's usage and input problems are Stalled PatchwardErrors", () => {
    for (const [error, code] of [
      [new UsageError('--timeout must be a positive number'), 'Usage'],
      [new InvalidInputError('inventory.json: not JSON'), 'InvalidInput'],
      [new PolicySourceProblem('policies/ is not a valid policy repository'), 'InvalidInput'],
    ] as const) {
      assert.ok(isPatchwardError(error));
      assert.equal(error.kind, 'Stalled');
      assert.equal(error.code, code);
    }
  });

  it('expected outcomes are the one Result type', () => {
    assert.deepEqual(ok(1), { ok: true, value: 1 });
    assert.deepEqual(err('no'), { ok: false, error: 'no' });
    assert.deepEqual(parseOsRelease('VERSION_ID=12'), { ok: false, error: 'os-release has no ID' });
    assert.equal(parseOsRelease('ID=debian\nVERSION_ID=12').ok, true);
  });
});
