/**
 * Comparisons per second of the dpkg and rpm schemes on the real ground-truth pairs
 * (test/fixtures/versions). Build with `npx tsc -p tsconfig.json`, run `node dist/bench/vercmp/run.js`.
 * Each scheme: a warm-up pass, then repeated passes over all pairs for about one second.
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

function measure(id: VersionSchemeId, seconds: number): { pairs: number; perSecond: number; checksum: number } {
  const { compare } = versionSchemeFor(id);
  const { a, b } = loadPairs(id);
  let checksum = 0;
  for (let i = 0; i < a.length; i++) checksum += compare(a[i] as string, b[i] as string);
  let comparisons = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let i = 0; i < a.length; i++) checksum += compare(a[i] as string, b[i] as string);
    comparisons += a.length;
    elapsed = performance.now() - start;
  }
  return { pairs: a.length, perSecond: Math.round(comparisons / (elapsed / 1000)), checksum };
}

for (const id of ['dpkg', 'rpm'] as const) {
  const { pairs, perSecond, checksum } = measure(id, 1);
  process.stdout.write(`vercmp ${id}: ${perSecond.toLocaleString('en-US')} comparisons/s over ${pairs} real pairs (validation included; checksum ${checksum})\n`);
}
