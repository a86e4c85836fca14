import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCliCaptured } from '../../helpers/run-cli.js';

const CORPUS = join(process.cwd(), 'test', 'fixtures', 'policy-corpus');

describe('patchward validate', () => {
  it('exits 0 for policies/ and summarises what it read', async () => {
    const run = await runCliCaptured(['validate', 'policies']);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.equal(run.stdout, 'policies: valid (5 files: 1 Fleet, 2 MaintenanceWindow, 3 Ring, 1 PatchPolicy, 1 PatchBaseline; 12 hosts)\n');
  });

  it('defaults to the current directory', async () => {
    const run = await runCliCaptured(['validate'], { cwd: join(process.cwd(), 'policies') });
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /^\.: valid/);
  });

  it('exits 1 and prints every problem as file:line:column: severity: path: message, sorted', async () => {
    const run = await runCliCaptured(['validate', join(CORPUS, 'jump-host-cycle')]);
    assert.equal(run.code, 1);
    const lines = run.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.slice(0, 2), [
      'policy.yaml:15:24: error: spec.hosts[0].ssh.jumpHost: jump hosts of h1 form a loop: h1 -> h2 -> h1',
      'policy.yaml:18:24: error: spec.hosts[1].ssh.jumpHost: jump hosts of h2 form a loop: h2 -> h1 -> h2',
    ]);
    assert.match(lines[2] ?? '', /: invalid: 2 errors$/);
  });

  it('prints warnings and still exits 0 when there is no error', async () => {
    const run = await runCliCaptured(['validate', join(CORPUS, 'warning-selector-matches-nothing')]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^policy\.yaml:41:13: warning: spec\.selector: Ring b selects no host of any fleet$/m);
    assert.match(run.stdout, /valid \(1 file: 1 Fleet, 1 MaintenanceWindow, 2 Ring; 1 host, 1 warning\)/);
  });

  it('writes machine-readable JSON with --output json', async () => {
    const run = await runCliCaptured(['validate', '--output', 'json', join(CORPUS, 'unknown-field-host')]);
    assert.equal(run.code, 1);
    const body = JSON.parse(run.stdout) as { valid: boolean; problems: Record<string, unknown>[] };
    assert.equal(body.valid, false);
    assert.deepEqual(body.problems, [
      {
        severity: 'error',
        file: 'policy.yaml',
        line: 13,
        column: 7,
        path: 'spec.hosts[0].adress',
        message: 'unknown field "adress" (did you mean "address"?)',
        code: 'UnknownField',
        object: 'Fleet/prod',
      },
    ]);
    const ok = JSON.parse((await runCliCaptured(['validate', '--output=json', 'policies'])).stdout) as {
      valid: boolean;
      documents: Record<string, number>;
    };
    assert.equal(ok.valid, true);
    assert.deepEqual(ok.documents, { Fleet: 1, MaintenanceWindow: 2, Ring: 3, PatchPolicy: 1, PatchBaseline: 1 });
  });

  for (const [args, pattern] of [
    [['--output', 'xml'], /--output must be table or json/],
    [['--frobnicate'], /unknown option --frobnicate/],
    [['a', 'b'], /only one directory/],
    [['does-not-exist'], /not a directory/],
  ] as const) {
    it(`exits 2 on usage errors: ${args.join(' ')}`, async () => {
      const run = await runCliCaptured(['validate', ...args]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, pattern);
    });
  }

  it('prints its usage with --help', async () => {
    const run = await runCliCaptured(['validate', '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^usage: patchward validate \[DIR\]/);
  });
});
