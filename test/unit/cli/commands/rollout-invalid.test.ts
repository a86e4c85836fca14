/**
 * `patchward rollout` on a repository whose Fleet is valid and whose Ring is not: the first look at
 * the Fleet starts SSH handshakes (here to a port where nothing listens), the whole check refuses the
 * repository, and the command ends with the problem and exit 2, its connections closed, no state made.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCliCaptured } from '../../../helpers/run-cli.js';
import { freePort } from '../../../servers/process.js';

describe('patchward rollout on an invalid repository', () => {
  it('reports the problem with exit 2 after a first look at the Fleet, and makes no state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-rollout-invalid-'));
    // Free a moment ago: nothing listens there.
    const port = await freePort();
    writeFileSync(
      join(dir, 'fleet.yaml'),
      [
        'apiVersion: patchward.io/v1alpha1',
        'kind: Fleet',
        'metadata: { name: f }',
        'spec:',
        '  defaults:',
        '    ssh: { user: root, keyRef: { file: /nonexistent/key }, hostKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl"] }',
        '  hosts:',
        `    - { name: h1, address: 127.0.0.1, port: ${port}, labels: { ring: canary } }`,
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'policy.yaml'),
      ['apiVersion: patchward.io/v1alpha1', 'kind: Ring', 'metadata: { name: canary }', 'spec: { order: "first" }'].join('\n'),
    );
    const state = join(dir, 'state');
    const run = await runCliCaptured(['rollout', '-f', dir, '--state', state, '--until', 'idle']);
    assert.equal(run.code, 2, run.stdout + run.stderr);
    assert.match(run.stderr, /is not a valid policy repository:\n/);
    assert.match(run.stderr, /^policy\.yaml:4:\d+: error: spec\.order: must be a whole number/m);
    assert.equal(existsSync(state), false, 'no state directory for an invalid repository');
  });
});
