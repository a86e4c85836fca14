/**
 * Oracle test: our dpkg and rpm orders against the real tools, on real versions from the fixtures
 * plus tricky mutations of them. Needs `dpkg` and `rpm` (test/system-packages.txt); when a tool is
 * missing the test fails, it does not skip.
 *
 * Random but replayable: the seed is printed, and PATCHWARD_ORACLE_SEED=<n> replays a run.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { versionSchemeFor } from '../../controller/core/version/index.js';
import type { VersionSchemeId } from '../../controller/ports/version-scheme.js';
import { distinctVersions } from '../unit/core/version/pairs-fixture.js';
import { relatedTripleArbitrary, versionArbitrary } from '../unit/core/version/version-mutations.js';

const SEED = Number(process.env['PATCHWARD_ORACLE_SEED'] ?? Date.now() % 2_147_483_647);
/** Pairs per scheme: half two independent versions, half related (two pairs from each triple of a version and its mutations). */
const PAIRS = 400;

type Pair = readonly [string, string];

function samplePairs(scheme: VersionSchemeId): Pair[] {
  const pool = distinctVersions(scheme);
  const version = versionArbitrary(scheme, pool);
  const independent = fc.sample(fc.tuple(version, version), { numRuns: PAIRS / 2, seed: SEED });
  const related = fc.sample(relatedTripleArbitrary(scheme, pool), { numRuns: PAIRS / 4, seed: SEED + 1 });
  const pairs: Pair[] = independent.map(([a, b]) => [a, b] as const);
  for (const [a, b, c] of related) pairs.push([a, b], [b, c]);
  return pairs;
}

/** Runs a program; a missing program or a non-zero exit fails the test with a clear message. */
function run(file: string, args: readonly string[], input: string, hint: string): string {
  try {
    return execFileSync(file, [...args], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') assert.fail(`${hint} is not installed; test/run.sh installs it from test/system-packages.txt`);
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    assert.fail(`${file} failed: ${stderr.slice(0, 2000)}`);
  }
}

/** dpkg's answers, one shell for all pairs; versions travel on stdin, never through the shell. */
function dpkgOracle(pairs: readonly Pair[]): number[] {
  const script = [
    'command -v dpkg >/dev/null || { echo "dpkg missing" >&2; exit 127; }',
    "tab=$(printf '\\t')",
    'while IFS="$tab" read -r a b; do',
    '  dpkg --validate-version "$a" 2>/dev/null && dpkg --validate-version "$b" 2>/dev/null || { echo invalid; continue; }',
    '  if dpkg --compare-versions "$a" lt "$b"; then echo -1; elif dpkg --compare-versions "$a" eq "$b"; then echo 0; else echo 1; fi',
    'done',
  ].join('\n');
  const input = pairs.map(([a, b]) => `${a}\t${b}\n`).join('');
  const output = run('sh', ['-c', script], input, 'dpkg');
  return output
    .trimEnd()
    .split('\n')
    .map((line) => (line === 'invalid' ? Number.NaN : Number(line)));
}

/** rpm's answers from one `rpm --eval` running a Lua loop over a file of pairs. */
function rpmOracle(pairs: readonly Pair[], folder: string): number[] {
  const file = join(folder, 'rpm-pairs.tsv');
  writeFileSync(file, pairs.map(([a, b]) => `${a}\t${b}\n`).join(''));
  // No % in the Lua body: rpm would expand it as a macro. Tabs are found with a plain find.
  const lua = [
    `for line in io.lines(${JSON.stringify(file)}) do`,
    '  local tab = line:find(string.char(9), 1, true)',
    '  local r = rpm.vercmp(line:sub(1, tab - 1), line:sub(tab + 1))',
    '  io.write(r < 0 and "-1" or (r > 0 and "1" or "0"), string.char(10))',
    'end',
  ].join(' ');
  const output = run('rpm', ['--eval', `%{lua: ${lua}}`], '', 'rpm');
  return output
    .trimEnd()
    .split('\n')
    .filter((line) => line !== '')
    .map(Number);
}

function disagreements(scheme: VersionSchemeId, pairs: readonly Pair[], oracle: readonly number[]): string[] {
  const ours = versionSchemeFor(scheme);
  assert.equal(oracle.length, pairs.length, `${scheme}: the oracle answered ${oracle.length} of ${pairs.length} pairs`);
  const found: string[] = [];
  pairs.forEach(([a, b], index) => {
    const truth = oracle[index];
    const got = ours.compare(a, b);
    if (got !== truth) found.push(`${a} vs ${b}: ours ${got}, ${scheme} ${truth}`);
  });
  return found;
}

describe(`version order agrees with dpkg and rpm on random real and mutated versions (seed ${SEED})`, () => {
  let folder = '';
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'patchward-oracle-'));
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it(`dpkg --compare-versions, ${PAIRS} pairs (replay: PATCHWARD_ORACLE_SEED=${SEED})`, () => {
    const pairs = samplePairs('dpkg');
    assert.equal(pairs.length, PAIRS);
    const found = disagreements('dpkg', pairs, dpkgOracle(pairs));
    assert.deepEqual(
      found.slice(0, 10),
      [],
      `${found.length} of ${pairs.length} pairs disagree (NaN: dpkg --validate-version refused one)`,
    );
  });

  it(`rpm.vercmp of rpm --eval, ${PAIRS} pairs (replay: PATCHWARD_ORACLE_SEED=${SEED})`, () => {
    const pairs = samplePairs('rpm');
    assert.equal(pairs.length, PAIRS);
    const found = disagreements('rpm', pairs, rpmOracle(pairs, folder));
    assert.deepEqual(found.slice(0, 10), [], `${found.length} of ${pairs.length} pairs disagree`);
  });
});
