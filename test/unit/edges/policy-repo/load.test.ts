import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  createPolicyRepositoryLoader,
  loadPolicyRepository,
  type PolicyRepositoryLoader,
} from '../../../../controller/edges/policy-repo/load.js';

const POLICIES = join(process.cwd(), 'policies');

describe('loadPolicyRepository', () => {
  let loader: PolicyRepositoryLoader;
  let scratch: string;

  before(async () => {
    loader = await createPolicyRepositoryLoader({ now: () => new Date('2026-11-21T12:00:00Z') });
    scratch = await mkdtemp(join(tmpdir(), 'patchward-load-'));
  });
  after(async () => rm(scratch, { recursive: true, force: true }));

  it('validates every file in policies/ (the example repository) without warnings', async () => {
    const result = await loadPolicyRepository(POLICIES);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.error, null, 2));
    assert.deepEqual(result.warnings, []);
    const set = result.value;
    assert.deepEqual(set.files, ['baseline.yaml', 'fleet.yaml', 'rings.yaml', 'security-policy.yaml', 'windows.yaml']);
    assert.equal(set.fleets.length, 1);
    assert.deepEqual(
      set.rings.map((ring) => ring.resource.metadata.name),
      ['canary', 'early', 'broad'],
    );
    assert.deepEqual(set.maintenanceWindows.map((window) => window.resource.metadata.name).sort(), ['patch-tuesday', 'weekly-nights']);
    assert.equal(set.patchPolicies[0]?.resource.spec.baseline, 'production');
    assert.deepEqual(set.rings[0]?.source, { file: 'rings.yaml', line: 3, column: 1 });
  });

  it('applies schema defaults the way the API server would', async () => {
    const result = await loader.load(POLICIES);
    assert.ok(result.ok);
    const broad = result.value.rings.find((ring) => ring.resource.metadata.name === 'broad');
    assert.equal(broad?.resource.spec.healthChecks?.[0]?.onTimeout, 'fail-host');
    assert.equal(result.value.patchPolicies[0]?.resource.spec.grouping?.by, 'advisory');
  });

  it('refuses the whole repository when one file is broken, and reports the other files too', async () => {
    const repo = join(scratch, 'one-bad');
    await cp(POLICIES, repo, { recursive: true });
    await writeFile(
      join(repo, 'extra.yml'),
      'apiVersion: patchward.io/v1alpha1\nkind: Ring\nmetadata: { name: extra }\nspec:\n  order: 0\n  selector: {}\n  windows: [nowhere]\n',
    );
    const result = await loader.load(repo);
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    const rendered = result.error.map((problem) => `${problem.file}:${problem.line}:${problem.column} ${problem.path} ${problem.code}`);
    // files load in path order, so the second Ring with order 0 is canary in rings.yaml
    assert.ok(rendered.includes('rings.yaml:8:10 spec.order DuplicateRingOrder'), rendered.join('\n'));
    assert.ok(rendered.includes('extra.yml:7:13 spec.windows[0] DanglingReference'), rendered.join('\n'));
    // every host is now in two rings: reported at each host in fleet.yaml
    assert.equal(result.error.filter((problem) => problem.code === 'HostInSeveralRings').length, 12);
  });

  it('skips dot-directories and node_modules, ignores other YAML with a warning', async () => {
    const repo = join(scratch, 'mixed');
    await cp(POLICIES, repo, { recursive: true });
    await mkdir(join(repo, '.github', 'workflows'), { recursive: true });
    await writeFile(join(repo, '.github', 'workflows', 'ci.yaml'), 'on: push\njobs: {}\n');
    await mkdir(join(repo, 'node_modules', 'x'), { recursive: true });
    await writeFile(join(repo, 'node_modules', 'x', 'bad.yaml'), ': : :\n');
    await writeFile(join(repo, 'kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n');
    await writeFile(join(repo, 'notes.txt'), 'not yaml');
    const result = await loader.load(repo);
    assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
    assert.deepEqual(
      result.warnings.map((problem) => `${problem.file}:${problem.line}:${problem.column} ${problem.code}`),
      ['kustomization.yaml:1:1 NotPatchward'],
    );
  });

  it('reports an empty repository as an error', async () => {
    const repo = join(scratch, 'empty');
    await mkdir(repo);
    const result = await loader.load(repo);
    assert.ok(!result.ok);
    assert.deepEqual(
      result.error.map((problem) => problem.code),
      ['Empty'],
    );
  });

  it('reports a directory that does not exist', async () => {
    const result = await loader.load(join(scratch, 'missing'));
    assert.ok(!result.ok);
    assert.equal(result.error[0]?.code, 'Unreadable');
  });

  it('refuses a file over the size limit before reading it', async () => {
    const repo = join(scratch, 'big');
    await mkdir(repo);
    await writeFile(join(repo, 'big.yaml'), `# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    const small = await createPolicyRepositoryLoader({ now: () => new Date('2026-11-21T12:00:00Z') });
    const result = await small.load(repo);
    assert.ok(!result.ok);
    assert.deepEqual(
      result.error.map((problem) => `${problem.file}:${problem.line}:${problem.column} ${problem.code}`),
      ['big.yaml:1:1 FileTooLarge'],
    );
  });
});
