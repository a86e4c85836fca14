/**
 * Comparisons per second of the dpkg and rpm schemes on the real ground-truth pairs
 * (test/fixtures/versions), against python3-apt's `apt_pkg.version_compare` and python3-rpm's
 * `rpm.labelCompare` called per pair from a Python loop (`peers.py`), in the same run.
 *
 *   bash bench/vercmp/setup.sh        # apt-get install python3-apt python3-rpm (for --peers)
 *   npx tsc -p tsconfig.json && node dist/bench/vercmp/run.js [--peers]
 *
 * Our side: `scheme.compare(a, b)` on two strings: both parsed, grammar included, nothing cached.
 * The strings are flat (as JSON.parse gives them: inventories and advisories arrive as JSON), not
 * slices of the fixture text. Each scheme: a warm-up pass, then 7 rounds of about 0.3 s over all
 * pairs; best and median round (the machine is shared: the best round is the least disturbed).
 * Every result is first checked against the ground truth. With `--peers`: ours, the peers
 * (`/usr/bin/python3 bench/vercmp/peers.py`, which needs the Debian packages python3-apt and
 * python3-rpm), then ours again, so that both sides see the same load; the ratio uses our best
 * of both passes against the peer's best.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { versionSchemeFor } from '../../controller/core/version/index.js';
import type { VersionSchemeId } from '../../controller/ports/version-scheme.js';

function repositoryRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error('package.json not found above the benchmark');
    folder = parent;
  }
  return folder;
}

const pairsFile = (id: VersionSchemeId): string => join(repositoryRoot(), 'test', 'fixtures', 'versions', `${id}-pairs.tsv.gz`);

function loadPairs(id: VersionSchemeId): { a: string[]; b: string[]; expected: number[] } {
  const rows = gunzipSync(readFileSync(pairsFile(id)))
    .toString('utf8')
    .trimEnd()
    .split('\n')
    .slice(1);
  const columns = rows.map((row) => row.split('\t'));
  // Flat strings, as JSON.parse makes them (split() would give slices of the file's text).
  const flat = (values: string[]): string[] => JSON.parse(JSON.stringify(values)) as string[];
  return {
    a: flat(columns.map((row) => row[0] ?? '')),
    b: flat(columns.map((row) => row[1] ?? '')),
    expected: columns.map((row) => Number(row[2])),
  };
}

function round(compare: (a: string, b: string) => number, a: readonly string[], b: readonly string[], seconds: number): number {
  let checksum = 0;
  let comparisons = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let i = 0; i < a.length; i++) checksum += compare(a[i] as string, b[i] as string);
    comparisons += a.length;
    elapsed = performance.now() - start;
  }
  if (Number.isNaN(checksum)) throw new Error('unreachable: keeps the checksum alive');
  return comparisons / (elapsed / 1000);
}

interface Rate {
  readonly best: number;
  readonly median: number;
}

function measure(id: VersionSchemeId): Rate & { readonly pairs: number } {
  const { compare } = versionSchemeFor(id);
  const { a, b, expected } = loadPairs(id);
  const wrong = a.filter((left, index) => compare(left, b[index] as string) !== expected[index]).length;
  if (wrong > 0) throw new Error(`${id}: ${wrong} pairs disagree with the ground truth`);
  round(compare, a, b, 0.2);
  const rates: number[] = [];
  for (let index = 0; index < 7; index++) rates.push(round(compare, a, b, 0.3));
  rates.sort((x, y) => x - y);
  return { pairs: a.length, best: rates[rates.length - 1] ?? 0, median: rates[3] ?? 0 };
}

interface PeerReport {
  readonly versions: Readonly<Record<string, string>>;
  readonly dpkg: { readonly pairs: number; readonly wrong: number } & Readonly<Record<string, Rate | number>>;
  readonly rpm: { readonly pairs: number; readonly wrong: number } & Readonly<Record<string, Rate | number>>;
}

function runPeers(): PeerReport {
  const script = join(repositoryRoot(), 'bench', 'vercmp', 'peers.py');
  const output = execFileSync('/usr/bin/python3', [script, pairsFile('dpkg'), pairsFile('rpm')], { encoding: 'utf8' });
  return JSON.parse(output) as PeerReport;
}

const format = (rate: number): string => Math.round(rate).toLocaleString('en-US');
const best = (first: Rate, second?: Rate): Rate =>
  second === undefined ? first : { best: Math.max(first.best, second.best), median: Math.max(first.median, second.median) };

/**
 * Each scheme is measured in a process of its own, so that one scheme's compare does not make the
 * timing loop polymorphic for the other (the JIT inlines a single target).
 */
function measureApart(id: VersionSchemeId): Rate & { readonly pairs: number } {
  const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--measure', id], { encoding: 'utf8' });
  return JSON.parse(output) as Rate & { readonly pairs: number };
}

const measureIndex = process.argv.indexOf('--measure');
if (measureIndex >= 0) {
  const id = process.argv[measureIndex + 1];
  if (id !== 'dpkg' && id !== 'rpm') throw new Error('--measure dpkg|rpm');
  process.stdout.write(`${JSON.stringify(measure(id))}\n`);
} else {
  const withPeers = process.argv.includes('--peers');
  const firstPass = { dpkg: measureApart('dpkg'), rpm: measureApart('rpm') };
  for (const id of ['dpkg', 'rpm'] as const) {
    const { pairs, best: top, median } = firstPass[id];
    process.stdout.write(
      `vercmp ${id}: ${format(top)} comparisons/s best, ${format(median)} median, over ${pairs} real pairs (two strings parsed per call, grammar included)\n`,
    );
  }
  if (withPeers) {
    const peers = runPeers();
    const secondPass = { dpkg: measureApart('dpkg'), rpm: measureApart('rpm') };
    process.stdout.write(`second pass: dpkg ${format(secondPass.dpkg.best)} best, rpm ${format(secondPass.rpm.best)} best\n`);
    process.stdout.write(
      `peers (${Object.entries(peers.versions)
        .map(([name, version]) => `${name} ${version}`)
        .join(', ')}):\n`,
    );
    for (const id of ['dpkg', 'rpm'] as const) {
      const report = peers[id];
      if (report.wrong > 0) throw new Error(`peer ${id}: ${report.wrong} pairs disagree with the ground truth`);
      const mine = best(firstPass[id], secondPass[id]);
      process.stdout.write(`  ${id} ours: ${format(mine.best)} /s best, ${format(mine.median)} median (best of both passes)\n`);
      for (const [name, value] of Object.entries(report)) {
        if (typeof value === 'number') continue;
        const ratio =
          name === 'loop overhead'
            ? ''
            : `  → ours ${(mine.best / value.best).toFixed(2)}× best, ${(mine.median / value.median).toFixed(2)}× median`;
        process.stdout.write(`  ${id} ${name}: ${format(value.best)} /s best, ${format(value.median)} median${ratio}\n`);
      }
    }
  }
}
