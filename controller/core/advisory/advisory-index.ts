/**
 * `AdvisoryIndex`: affected entries by OS release key and package name, built once by
 * `buildAdvisoryIndex`; a lookup is two `Map.get`s. Debian/Ubuntu entries are keyed by SOURCE
 * package name, RHEL-family entries by binary rpm name (see `ReleaseIndex.naming`).
 */
import type { OsFamily, OsReleaseKey } from '../inventory/host-inventory.js';
import type { VersionScheme } from '../../ports/version-scheme.js';
import type { Advisory, AffectedEntry, AffectedInterval } from './advisory.js';
import type { PackageNaming } from './ecosystem.js';

export interface ReleaseIndex {
  readonly release: OsReleaseKey;
  readonly family: OsFamily;
  readonly naming: PackageNaming;
  readonly scheme: VersionScheme;
  readonly packages: ReadonlyMap<string, readonly AffectedEntry[]>;
}

export interface AdvisoryIndexStats {
  /** Records handed to the builder (after the edge schema). */
  readonly records: number;
  /** Records indexed (newest version of each id, not withdrawn, with at least one usable entry). */
  readonly advisories: number;
  readonly withdrawn: number;
  /** Older copies of an id replaced by a newer `modified`. */
  readonly superseded: number;
  readonly entries: number;
  readonly rejectedEntries: number;
  readonly unsupportedEntries: number;
  readonly rejectedVersions: number;
  /** Entries per release key. */
  readonly releases: Readonly<Record<string, number>>;
}

const NONE: readonly AffectedEntry[] = Object.freeze([]);

export class AdvisoryIndex {
  readonly stats: AdvisoryIndexStats;
  readonly #releases: ReadonlyMap<OsReleaseKey, ReleaseIndex>;
  readonly #advisories: ReadonlyMap<string, Advisory>;
  readonly #byOrdinal: readonly Advisory[];

  constructor(releases: ReadonlyMap<OsReleaseKey, ReleaseIndex>, advisories: ReadonlyMap<string, Advisory>, stats: AdvisoryIndexStats) {
    this.#releases = releases;
    this.#advisories = advisories;
    this.#byOrdinal = [...advisories.values()].sort((a, b) => a.ordinal - b.ordinal);
    this.stats = stats;
  }

  /** Number of advisories; ordinals run from 0 to `advisoryCount - 1`. */
  get advisoryCount(): number {
    return this.#byOrdinal.length;
  }

  advisoryAt(ordinal: number): Advisory | undefined {
    return this.#byOrdinal[ordinal];
  }

  /** The per-release part, or undefined when no advisory covers that release. */
  release(release: OsReleaseKey): ReleaseIndex | undefined {
    return this.#releases.get(release);
  }

  releaseKeys(): readonly OsReleaseKey[] {
    return [...this.#releases.keys()].sort();
  }

  /** Entries for a package as the advisories name it (source for dpkg releases, rpm name for rpm). */
  lookup(release: OsReleaseKey, name: string): readonly AffectedEntry[] {
    return this.#releases.get(release)?.packages.get(name) ?? NONE;
  }

  advisory(id: string): Advisory | undefined {
    return this.#advisories.get(id);
  }

  advisories(): IterableIterator<Advisory> {
    return this.#advisories.values();
  }
}

/**
 * The matching hot path compares with `compareValid` (no grammar check; ADR 0012): every bound
 * and fixed version of an entry passed `isValidVersion` when the index was built
 * (`compileEntry`), and callers pass only checked installed versions (assess checks each one
 * first and reports an invalid one as `invalid-version`, never as compliant).
 */
function inInterval(interval: AffectedInterval, version: string, scheme: VersionScheme): boolean {
  if (interval.limit !== undefined && scheme.compareValid(version, interval.limit) >= 0) return false;
  if (interval.introduced !== undefined && scheme.compareValid(version, interval.introduced) < 0) return false;
  if (interval.fixed !== undefined && scheme.compareValid(version, interval.fixed) >= 0) return false;
  if (interval.lastAffected !== undefined && scheme.compareValid(version, interval.lastAffected) > 0) return false;
  return true;
}

/**
 * Whether `version` is affected by `entry`, as OSV's `IsVulnerable` evaluates it: listed in
 * `versions`, or inside any range (`last_affected` inclusive, below the range's `limit`).
 * `version` must be valid for `scheme` (`isValidVersion`): it is compared unchecked.
 */
export function isAffected(entry: AffectedEntry, version: string, scheme: VersionScheme): boolean {
  if (entry.versions?.has(version) === true) return true;
  for (const interval of entry.intervals) if (inInterval(interval, version, scheme)) return true;
  return false;
}

/**
 * The lowest `fixed` version of the entry above `version` (any version when undefined) that no
 * range and no listed version affects: with overlapping ranges, the first version that leaves
 * every one of them. Undefined when there is none (unfixed). `version`, when given, must be valid
 * for `scheme` (`isValidVersion`): it is compared unchecked.
 */
export function lowestFixLeavingAll(entry: AffectedEntry, version: string | undefined, scheme: VersionScheme): string | undefined {
  for (const candidate of entry.fixedCandidates) {
    if (version !== undefined && scheme.compareValid(candidate, version) <= 0) continue;
    if (!isAffected(entry, candidate, scheme)) return candidate;
  }
  return undefined;
}

export interface EntryMatch {
  /** The version that fixes it for this host; undefined when no fix is known. */
  readonly fixed: string | undefined;
}

/** Undefined when `version` (valid for `scheme`) is not affected by `entry`; else the fix for that version. */
export function matchEntry(entry: AffectedEntry, version: string, scheme: VersionScheme): EntryMatch | undefined {
  if (!isAffected(entry, version, scheme)) return undefined;
  return { fixed: lowestFixLeavingAll(entry, version, scheme) };
}

/**
 * The first interval of `entry` that contains `version`, or `'listed'` when only the entry's
 * `versions` list names it, or `undefined` when the version is not affected. `version` must be
 * valid for `scheme` (`isValidVersion`): it is compared unchecked.
 */
export function affectedInterval(entry: AffectedEntry, version: string, scheme: VersionScheme): AffectedInterval | 'listed' | undefined {
  for (const interval of entry.intervals) if (inInterval(interval, version, scheme)) return interval;
  if (entry.versions?.has(version) === true) return 'listed';
  return undefined;
}
