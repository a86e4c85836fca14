import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { createPolicyRepositoryLoader, type PolicyRepositoryLoader } from '../../../../controller/edges/policy-repo/load.js';
import type { Problem } from '../../../../controller/core/model/problem.js';

const CORPUS = join(process.cwd(), 'test', 'fixtures', 'policy-corpus');
const NOW = new Date('2026-11-21T12:00:00Z');
/** Generated here rather than kept in Git. */
const GENERATED = new Set(['hostile-five-megabytes']);

function render(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column} ${problem.severity} ${problem.path === '' ? '-' : problem.path} ${problem.code}`;
}

const manifest = parse(await readFile(join(CORPUS, 'manifest.yaml'), 'utf8')) as { cases: Record<string, string[] | null> };
const caseDirectories = (await readdir(CORPUS, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name);

describe('bad-input corpus (test/fixtures/policy-corpus)', () => {
  let loader: PolicyRepositoryLoader;
  let generatedRoot: string;

  before(async () => {
    loader = await createPolicyRepositoryLoader({ now: () => NOW });
    generatedRoot = await mkdtemp(join(tmpdir(), 'patchward-corpus-'));
    const big = join(generatedRoot, 'hostile-five-megabytes');
    await import('node:fs/promises').then(({ mkdir }) => mkdir(big));
    const line = '# padding padding padding padding padding padding padding padding padding padding\n';
    await writeFile(
      join(big, 'policy.yaml'),
      `apiVersion: patchward.io/v1alpha1\nkind: Fleet\n${line.repeat(Math.ceil((5 * 1024 * 1024) / line.length))}`,
    );
  });

  after(async () => {
    await rm(generatedRoot, { recursive: true, force: true });
  });

  it('has at least 40 cases and a manifest entry for each, and no stale entries', () => {
    const listed = Object.keys(manifest.cases);
    assert.ok(listed.length >= 40, `only ${listed.length} cases`);
    assert.deepEqual([...caseDirectories].sort(), listed.filter((name) => !GENERATED.has(name)).sort());
  });

  for (const [name, expected] of Object.entries(manifest.cases)) {
    // A case that blows up (billion laughs, deep nesting) is caught by this test's own timeout, not by timing it.
    it(`${name}: reports exactly the expected problems`, { timeout: 30_000 }, async () => {
      const directory = GENERATED.has(name) ? join(generatedRoot, name) : join(CORPUS, name);
      const result = await loader.load(directory);
      const problems = result.ok ? result.warnings : result.error;
      assert.deepEqual(problems.map(render), expected ?? []);
      const hasError = problems.some((problem) => problem.severity === 'error');
      assert.equal(result.ok, !hasError, 'ok must be false exactly when there is an error');
      for (const problem of problems)
        assert.ok(problem.message.length > 0 && !problem.message.includes('\n'), `one-line message: ${problem.message}`);
    });
  }
});
