/**
 * The policy validators generated at build time (scripts/generate-validators.mjs, run by test/run.sh
 * as by `npm run build`) against the CRDs compiled at run time: present for this tree's crds/, the
 * same problems for every case of the bad-input corpus and for the example policies, and never
 * used for CRD files they were not generated from.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PolicyFileInput } from '../../../../controller/core/model/yaml-source.js';
import { createPolicyValidator, type PolicyValidator } from '../../../../controller/core/model/validate-policy-set.js';
import { generatedValidatorsFor, installedPolicyValidator } from '../../../../controller/edges/policy-repo/installed-validator.js';
import { defaultCrdDirectory, readCrdSchemas } from '../../../../controller/edges/policy-repo/read-crds.js';

const NOW = new Date('2026-11-21T12:00:00Z');
const REPO_ROOT = process.cwd();

/** Every YAML file of a directory tree, as the loader would hand it to the validator. */
function filesUnder(directory: string): PolicyFileInput[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
    .map((path) => ({ path: path.slice(directory.length + 1), text: readFileSync(path, 'utf8') }));
}

describe('policy validators generated ahead of time', () => {
  let compiledNow: PolicyValidator;
  let installed: PolicyValidator;
  const scratch = mkdtempSync(join(tmpdir(), 'pw-generated-validators-'));

  before(async () => {
    compiledNow = createPolicyValidator(await readCrdSchemas());
    installed = await installedPolicyValidator();
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('exist for this tree and match its crds/ (the build generated them from these files)', async () => {
    const generated = await generatedValidatorsFor();
    assert.ok(generated, 'dist has no generated validators for crds/: run `npm run build` (tsc, then scripts/generate-validators.mjs)');
    assert.deepEqual(Object.keys(generated).sort(), ['Fleet', 'MaintenanceWindow', 'PatchBaseline', 'PatchPolicy', 'Ring']);
  });

  it('give exactly the problems of the run-time compile for every corpus case and the example policies', () => {
    const corpus = join(REPO_ROOT, 'test/fixtures/policy-corpus');
    const cases = readdirSync(corpus, { withFileTypes: true }).filter((entry) => entry.isDirectory());
    assert.ok(cases.length >= 60, `corpus cases: ${cases.length}`);
    const repositories = [...cases.map((entry) => join(corpus, entry.name)), join(REPO_ROOT, 'policies')];
    let problems = 0;
    for (const repository of repositories) {
      const files = filesUnder(repository);
      const expected = compiledNow.validate(files, { now: NOW });
      const actual = installed.validate(files, { now: NOW });
      assert.deepEqual(actual, expected, repository);
      problems += expected.ok ? 0 : expected.error.length;
    }
    assert.ok(problems >= 80, `problems compared: ${problems}`);
  });

  it('are not used for CRD files they were not generated from: those are compiled, and their rules hold', async () => {
    const crds = join(scratch, 'crds');
    cpSync(defaultCrdDirectory(), crds, { recursive: true });
    const rings = join(crds, 'patchward.io_rings.yaml');
    const text = readFileSync(rings, 'utf8');
    const changed = text.replace(/(\n(\s+)maxConcurrent:\n)/, '$1$2  maximum: 3\n');
    assert.notEqual(changed, text, 'the Ring CRD has a maxConcurrent field to restrict');
    writeFileSync(rings, changed);
    assert.equal(await generatedValidatorsFor(crds), undefined);
    const ring = [
      'apiVersion: patchward.io/v1alpha1',
      'kind: Ring',
      'metadata: { name: canary }',
      'spec:',
      '  order: 1',
      '  selector: { matchLabels: { ring: canary } }',
      '  maxConcurrent: 5',
      '  windows: [nightly]',
    ].join('\n');
    const result = (await installedPolicyValidator(undefined, crds)).validate([{ path: 'ring.yaml', text: ring }], {
      now: NOW,
      onlyKinds: ['Ring'],
    });
    assert.ok(!result.ok, 'the changed CRD forbids maxConcurrent 5');
    assert.deepEqual(
      result.error.map((problem) => [problem.path, problem.line]),
      [['spec.maxConcurrent', 7]],
    );
  });
});
