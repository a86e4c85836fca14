/**
 * Comparisons per second of the dpkg and rpm schemes on the real ground-truth pairs
 * (test/fixtures/versions). Build with `npx tsc -p tsconfig.json`, run `node dist/bench/vercmp/run.js`.
 * Each scheme: a warm-up pass, then 7 rounds of about 0.3 s each over all pairs; the best and the
 * median round are printed (the machine is shared, so the best round is the least disturbed one).
 */
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

function loadPairs(id: VersionSchemeId): { a: string[]; b: string[] } {
  const file = join(repositoryRoot(), 'test', 'fixtures', 'versions', `${id}-pairs.tsv.gz`);
  const rows = gunzipSync(readFileSync(file)).toString('utf8').trimEnd().split('\n').slice(1);
  const a: string[] = [];
  const b: string[] = [];
  for (const row of rows) {
    const [left = '', right = ''] = row.split('\t');
    a.push(left);
    b.push(right);
  }
  return { a, b };
}

function round(
  compare: (a: string, b: string) => number,
  a: readonly string[],
  b: readonly string[],
  seconds: number,
): { perSecond: number; checksum: number } {
  let checksum = 0;
  let comparisons = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let i = 0; i < a.length; i++) checksum += compare(a[i] as string, b[i] as string);
    comparisons += a.length;
    elapsed = performance.now() - start;
  }
  return { perSecond: comparisons / (elapsed / 1000), checksum };
}

function measure(id: VersionSchemeId): { pairs: number; best: number; median: number } {
  const { compare } = versionSchemeFor(id);
  const { a, b } = loadPairs(id);
  round(compare, a, b, 0.2);
  const rates: number[] = [];
  for (let index = 0; index < 7; index++) rates.push(round(compare, a, b, 0.3).perSecond);
  rates.sort((x, y) => x - y);
  return { pairs: a.length, best: rates[rates.length - 1] ?? 0, median: rates[3] ?? 0 };
}

const format = (rate: number): string => Math.round(rate).toLocaleString('en-US');
for (const id of ['dpkg', 'rpm'] as const) {
  const { pairs, best, median } = measure(id);
  process.stdout.write(
    `vercmp ${id}: ${format(best)} comparisons/s best, ${format(median)} median, over ${pairs} real pairs (validation of both sides included)\n`,
  );
}
