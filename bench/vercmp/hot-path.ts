/**
 * The assessment's hot path with versions parsed once (issue 9 "Speed", second figure): every
 * version was checked once where it entered (the advisory index build checks every bound; the
 * installed versions here are checked once before the timed loop, as `assess` checks each installed
 * version once), then matching compares them unchecked (`compareValid`) as `assess` does, through
 * `matchEntry` (intervals, listed versions, the lowest fix that leaves every range), with no memo.
 *
 * Work: for one release per scheme (debian-12: dpkg, almalinux-9: rpm) of the bundled advisory
 * fixtures, every package the index names, as installed at every real version its entries name
 * (introduced, fixed, last_affected), matched against all of that package's entries. Run by
 * `run.js` in a process of its own: `node dist/bench/vercmp/run.js --hot-path`.
 */
import { performance } from 'node:perf_hooks';
import { matchEntry } from '../../controller/core/advisory/advisory-index.js';
import type { AffectedEntry } from '../../controller/core/advisory/advisory.js';
import type { VersionScheme, VersionSchemeId } from '../../controller/ports/version-scheme.js';
import { loadBundledAdvisories } from '../../test/helpers/bundled-advisories.js';

export interface HotPathRate {
  readonly release: string;
  readonly scheme: VersionSchemeId;
  /** (installed version, entry) matches per pass, and the version comparisons they make. */
  readonly matches: number;
  readonly comparisons: number;
  /** Matches per second, best and median round; comparisons per second, best round. */
  readonly matchesBest: number;
  readonly matchesMedian: number;
  readonly comparisonsBest: number;
}

interface Work {
  readonly version: string;
  readonly entries: readonly AffectedEntry[];
}

function workOf(packages: ReadonlyMap<string, readonly AffectedEntry[]>, scheme: VersionScheme): Work[] {
  const work: Work[] = [];
  for (const entries of packages.values()) {
    const versions = new Set<string>();
    for (const entry of entries) {
      for (const interval of entry.intervals) {
        for (const version of [interval.introduced, interval.fixed, interval.lastAffected])
          if (version !== undefined) versions.add(version);
      }
    }
    // Parsed once: each installed version is checked here, before any timed comparison.
    for (const version of versions) if (scheme.isValidVersion(version)) work.push({ version, entries });
  }
  return work;
}

function pass(work: readonly Work[], scheme: VersionScheme): number {
  let affected = 0;
  for (const { version, entries } of work) {
    for (const entry of entries) if (matchEntry(entry, version, scheme) !== undefined) affected++;
  }
  return affected;
}

function rate(work: readonly Work[], scheme: VersionScheme, matches: number): number {
  let done = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < 300) {
    sink += pass(work, scheme);
    done += matches;
    elapsed = performance.now() - start;
  }
  if (sink < 0) throw new Error('unreachable: keeps the result alive');
  return done / (elapsed / 1000);
}

export async function measureHotPath(): Promise<HotPathRate[]> {
  const { index } = await loadBundledAdvisories();
  const results: HotPathRate[] = [];
  for (const release of ['debian-12', 'almalinux-9']) {
    const part = index.release(release);
    if (part === undefined) throw new Error(`no advisories for ${release} in the bundled fixtures`);
    const { scheme } = part;
    const work = workOf(part.packages, scheme);
    const matches = work.reduce((sum, item) => sum + item.entries.length, 0);
    // Counted in an untimed pass with a counting wrapper; the timed passes use the scheme itself.
    let comparisons = 0;
    const counting: VersionScheme = {
      ...scheme,
      compareValid: (a, b) => {
        comparisons++;
        return scheme.compareValid(a, b);
      },
    };
    pass(work, counting);
    rate(work, scheme, matches);
    const rates: number[] = [];
    for (let round = 0; round < 7; round++) rates.push(rate(work, scheme, matches));
    rates.sort((x, y) => x - y);
    const best = rates[rates.length - 1] ?? 0;
    results.push({
      release,
      scheme: scheme.id,
      matches,
      comparisons,
      matchesBest: best,
      matchesMedian: rates[3] ?? 0,
      comparisonsBest: (best * comparisons) / matches,
    });
  }
  return results;
}
