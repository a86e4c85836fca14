import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCliCaptured } from '../../helpers/run-cli.js';

describe('patchward cli dispatcher', () => {
  it('lists every command in --help and exits 0', async () => {
    const run = await runCliCaptured(['--help']);
    assert.equal(run.code, 0);
    for (const name of ['validate', 'vercmp', 'assess', 'inventory']) assert.match(run.stdout, new RegExp(`^  ${name} `, 'm'));
  });

  it('refuses an unknown command with exit 2 and names it', async () => {
    const run = await runCliCaptured(['frobnicate']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown command 'frobnicate'/);
  });
});
