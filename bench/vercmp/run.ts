/**
 * Comparisons per second of the dpkg and rpm schemes on the real ground-truth pairs
 * (test/fixtures/versions), against python3-apt's `apt_pkg.version_compare` and python3-rpm's
 * `rpm.labelCompare` called per pair from a Python loop (`peers.py`), in the same run.
 *
 *   bash bench/vercmp/setup.sh        # apt-get install python3-apt python3-rpm (for --peers)
 *   npx tsc -p tsconfig.json && node dist/bench/vercmp/run.js [--peers] [--hot-path]
 *
 * Our side, two comparators, each on two strings, both parsed on every call, nothing cached:
 * - trusted: `scheme.compareValid(a, b)`, no grammar check: like for like with the peers, which do
 *   not check either (our strings are checked where they enter; see ADR 0012);
 * - checked: `scheme.compare(a, b)`, grammar included (an invalid string throws InvalidVersion).
 * With `--hot-path`, also the assessment's hot path with versions parsed once (hot-path.ts).
 * The strings are flat (as JSON.parse gives them: inventories and advisories arrive as JSON), not
 * slices of the fixture text. Each scheme: a warm-up pass, then 7 rounds of about 0.3 s over all
 * pairs; best and median round (the machine is shared: the best round is the least disturbed),
 * by wall time and by the process's CPU time (which leaves out the time spent waiting for a core).
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
import { type HotPathRate, measureHotPath } from './hot-path.js';

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

/** One round: comparisons per second of wall time and per second of this process's CPU time. */
function round(
  compare: (a: string, b: string) => number,
  a: readonly string[],
  b: readonly string[],
  seconds: number,
): { wall: number; cpu: number } {
  let checksum = 0;
  let comparisons = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let i = 0; i < a.length; i++) checksum += compare(a[i] as string, b[i] as string);
    comparisons += a.length;
    elapsed = performance.now() - start;
  }
  const cpu = process.cpuUsage(cpuStart);
  if (Number.isNaN(checksum)) throw new Error('unreachable: keeps the checksum alive');
  return { wall: comparisons / (elapsed / 1000), cpu: comparisons / ((cpu.user + cpu.system) / 1e6) };
}

/**
 * Best and median round, by wall time and by CPU time. On the shared machine a round's wall time
 * includes the time the process waited for a core; its CPU time (the whole process, JIT and GC
 * threads included; Python's `time.process_time()` on the peers' side) does not.
 */
interface Rate {
  readonly best: number;
  readonly median: number;
  readonly cpuBest: number;
  readonly cpuMedian: number;
}

type Kind = 'trusted' | 'checked';
const KINDS: readonly Kind[] = ['trusted', 'checked'];

function measure(id: VersionSchemeId, kind: Kind): Rate & { readonly pairs: number } {
  const scheme = versionSchemeFor(id);
  const compare = kind === 'trusted' ? scheme.compareValid : scheme.compare;
  const { a, b, expected } = loadPairs(id);
  const wrong = a.filter((left, index) => compare(left, b[index] as string) !== expected[index]).length;
  if (wrong > 0) throw new Error(`${id}: ${wrong} pairs disagree with the ground truth`);
  round(compare, a, b, 0.2);
  const rounds: { wall: number; cpu: number }[] = [];
  for (let index = 0; index < 7; index++) rounds.push(round(compare, a, b, 0.3));
  const wall = rounds.map((r) => r.wall).sort((x, y) => x - y);
  const cpu = rounds.map((r) => r.cpu).sort((x, y) => x - y);
  return { pairs: a.length, best: wall[6] ?? 0, median: wall[3] ?? 0, cpuBest: cpu[6] ?? 0, cpuMedian: cpu[3] ?? 0 };
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
const best = (first: Rate, second: Rate): Rate => ({
  best: Math.max(first.best, second.best),
  median: Math.max(first.median, second.median),
  cpuBest: Math.max(first.cpuBest, second.cpuBest),
  cpuMedian: Math.max(first.cpuMedian, second.cpuMedian),
});
const rates = (rate: Rate): string =>
  `wall ${format(rate.best)} /s best, ${format(rate.median)} median; CPU ${format(rate.cpuBest)} /s best, ${format(rate.cpuMedian)} median`;

/**
 * Each scheme and comparator is measured in a process of its own, so that one compare does not
 * make the timing loop polymorphic for the other (the JIT inlines a single target).
 */
function measureApart(id: VersionSchemeId, kind: Kind): Rate & { readonly pairs: number } {
  const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--measure', id, kind], { encoding: 'utf8' });
  return JSON.parse(output) as Rate & { readonly pairs: number };
}

type Pass = Record<VersionSchemeId, Record<Kind, Rate & { readonly pairs: number }>>;

function measureAll(): Pass {
  const one = (id: VersionSchemeId): Record<Kind, Rate & { readonly pairs: number }> => ({
    trusted: measureApart(id, 'trusted'),
    checked: measureApart(id, 'checked'),
  });
  return { dpkg: one('dpkg'), rpm: one('rpm') };
}

const ratio = (mine: Rate, peer: Rate): string =>
  `wall ${(mine.best / peer.best).toFixed(2)}× best, ${(mine.median / peer.median).toFixed(2)}× median; CPU ${(mine.cpuBest / peer.cpuBest).toFixed(2)}× best, ${(mine.cpuMedian / peer.cpuMedian).toFixed(2)}× median`;

const measureIndex = process.argv.indexOf('--measure');
if (measureIndex >= 0) {
  const id = process.argv[measureIndex + 1];
  const kind = process.argv[measureIndex + 2];
  if ((id !== 'dpkg' && id !== 'rpm') || (kind !== 'trusted' && kind !== 'checked')) throw new Error('--measure dpkg|rpm trusted|checked');
  process.stdout.write(`${JSON.stringify(measure(id, kind))}\n`);
} else if (process.argv.includes('--measure-hot-path')) {
  process.stdout.write(`${JSON.stringify(await measureHotPath())}\n`);
} else {
  const withPeers = process.argv.includes('--peers');
  const firstPass = measureAll();
  for (const id of ['dpkg', 'rpm'] as const) {
    for (const kind of KINDS) {
      const rate = firstPass[id][kind];
      const what = kind === 'trusted' ? 'compareValid, no grammar check' : 'compare, grammar included';
      process.stdout.write(`vercmp ${id} ${kind} (${what}), ${rate.pairs} real pairs, two strings parsed per call: ${rates(rate)}\n`);
    }
  }
  if (withPeers) {
    const peers = runPeers();
    const secondPass = measureAll();
    process.stdout.write(
      `second pass: dpkg ${format(secondPass.dpkg.trusted.best)} trusted / ${format(secondPass.dpkg.checked.best)} checked best, rpm ${format(secondPass.rpm.trusted.best)} / ${format(secondPass.rpm.checked.best)}\n`,
    );
    process.stdout.write(
      `peers (${Object.entries(peers.versions)
        .map(([name, version]) => `${name} ${version}`)
        .join(', ')}):\n`,
    );
    for (const id of ['dpkg', 'rpm'] as const) {
      const report = peers[id];
      if (report.wrong > 0) throw new Error(`peer ${id}: ${report.wrong} pairs disagree with the ground truth`);
      const mine = {
        trusted: best(firstPass[id].trusted, secondPass[id].trusted),
        checked: best(firstPass[id].checked, secondPass[id].checked),
      };
      for (const kind of KINDS) {
        process.stdout.write(`  ${id} ours ${kind} (best of both passes): ${rates(mine[kind])}\n`);
      }
      for (const [name, value] of Object.entries(report)) {
        if (typeof value === 'number') continue;
        const ratios =
          name === 'loop overhead'
            ? ''
            : `\n    → ours trusted: ${ratio(mine.trusted, value)}\n    → ours checked: ${ratio(mine.checked, value)}`;
        process.stdout.write(`  ${id} ${name}: ${rates(value)}${ratios}\n`);
      }
    }
  }
  if (process.argv.includes('--hot-path')) {
    const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--measure-hot-path'], { encoding: 'utf8' });
    for (const rate of JSON.parse(output) as HotPathRate[]) {
      process.stdout.write(
        `hot path ${rate.release} (${rate.scheme}), versions parsed once, matchEntry unmemoised: ${format(rate.matchesBest)} matches/s best, ${format(rate.matchesMedian)} median; ${rate.matches} matches and ${rate.comparisons} comparisons per pass = ${format(rate.comparisonsBest)} comparisons/s best\n`,
      );
    }
  }
}
