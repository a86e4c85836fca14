import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { policyRevision } from '../../../../controller/cli/commands/rollout.js';
import type { PolicySet } from '../../../../controller/core/model/policy-set.js';
import { GIT_ENV } from '../../../helpers/git-env.js';

function policyDir(): { dir: string; policySet: PolicySet } {
  const dir = mkdtempSync(join(tmpdir(), 'pw-revision-'));
  writeFileSync(join(dir, 'baseline.yaml'), 'kind: PatchBaseline\n');
  return { dir, policySet: { files: ['baseline.yaml'] } as unknown as PolicySet };
}

describe('policyRevision: what a rollout id names', () => {
  it('is the Git HEAD commit in a work tree', async () => {
    const { dir, policySet } = policyDir();
    execFileSync('git', ['init', '-q', dir], { env: GIT_ENV });
    execFileSync('git', ['-C', dir, 'add', '-A'], { env: GIT_ENV });
    execFileSync('git', ['-C', dir, 'commit', '-qm', 'policy'], { env: GIT_ENV });
    const head = execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    assert.equal(await policyRevision(dir, policySet), head);
  });

  it('is a digest of the policy files outside a work tree, and in one without commits; it follows their content', async () => {
    const { dir, policySet } = policyDir();
    const first = await policyRevision(dir, policySet);
    assert.match(first, /^sha256:[0-9a-f]{16}$/);
    writeFileSync(join(dir, 'baseline.yaml'), 'kind: PatchBaseline\nmetadata: {}\n');
    assert.notEqual(await policyRevision(dir, policySet), first);
    execFileSync('git', ['init', '-q', dir], { env: GIT_ENV });
    assert.match(await policyRevision(dir, policySet), /^sha256:/);
  });
});
