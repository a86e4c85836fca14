/**
 * Loads the version-comparison ground truth from `test/fixtures/versions/*.tsv.gz` (see the README
 * there). Shared by the unit, property and oracle tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { Comparison, VersionSchemeId } from '../../../../controller/ports/version-scheme.js';

export interface VersionPair {
  readonly line: number;
  readonly a: string;
  readonly b: string;
  readonly cmp: Comparison;
}

/** The repository root: the nearest folder above this file holding `package.json`. */
function repositoryRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder);
    if (parent === folder) throw new Error('repository root (package.json) not found above the test file');
    folder = parent;
  }
  return folder;
}

export function fixturePath(name: string): string {
  return join(repositoryRoot(), 'test', 'fixtures', 'versions', name);
}

/** Every row of `<scheme>-pairs.tsv.gz`, header skipped; `line` is the 1-based file line. */
export function loadPairs(scheme: VersionSchemeId): readonly VersionPair[] {
  const text = gunzipSync(readFileSync(fixturePath(`${scheme}-pairs.tsv.gz`))).toString('utf8');
  const lines = text.split('\n');
  if (lines[0] !== 'a\tb\tcmp') throw new Error(`${scheme}-pairs.tsv.gz: unexpected header ${JSON.stringify(lines[0])}`);
  const pairs: VersionPair[] = [];
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index];
    if (line === undefined || line === '') continue;
    const [a, b, cmp] = line.split('\t');
    if (a === undefined || b === undefined || (cmp !== '-1' && cmp !== '0' && cmp !== '1')) {
      throw new Error(`${scheme}-pairs.tsv.gz line ${index + 1}: malformed row ${JSON.stringify(line)}`);
    }
    pairs.push({ line: index + 1, a, b, cmp: Number(cmp) as Comparison });
  }
  return pairs;
}

/** The distinct version strings of a fixture, in first-seen order. */
export function distinctVersions(scheme: VersionSchemeId): readonly string[] {
  const seen = new Set<string>();
  for (const pair of loadPairs(scheme)) {
    seen.add(pair.a);
    seen.add(pair.b);
  }
  return [...seen];
}
