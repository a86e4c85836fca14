/**
 * Advisories after parsing: what the index holds and `assess` reports. Built once from validated
 * OSV records by `buildAdvisoryIndex`; immutable afterwards.
 */
import type { OsReleaseKey } from '../inventory/host-inventory.js';
import type { AdvisoryStream, PackageNaming } from './ecosystem.js';
import type { SeverityRating } from './severity.js';

export interface Advisory {
  readonly id: string;
  /** Dense number of the advisory within its index (0…count-1), for array-indexed bookkeeping. */
  readonly ordinal: number;
  readonly summary?: string;
  readonly published?: string;
  readonly modified: string;
  /** CVE ids the advisory covers: from `aliases`, `upstream`, `related`, and ids like `UBUNTU-CVE-…`. */
  readonly cves: readonly string[];
  /** Every id that names this advisory elsewhere (`aliases` + `upstream`), for baseline matching. */
  readonly aliases: readonly string[];
  readonly severity: SeverityRating;
  /** True when a CVE of the advisory is in the known-exploited catalogue. */
  readonly knownExploited: boolean;
  readonly knownExploitedCves: readonly string[];
}

/**
 * One interval of affected versions: `introduced <= v < fixed`, or `introduced <= v <=
 * lastAffected` (inclusive), or `introduced <= v` (no fix known); and in every case `v < limit`
 * when the OSV range had `limit` events (the highest of them; a `*` limit means none).
 * `introduced` undefined means "from the first version".
 */
export interface AffectedInterval {
  readonly introduced?: string;
  readonly fixed?: string;
  readonly lastAffected?: string;
  readonly limit?: string;
}

/** One `affected[]` entry of one advisory for one release and package, ready to match. */
export interface AffectedEntry {
  readonly advisory: Advisory;
  readonly ecosystem: string;
  readonly release: OsReleaseKey;
  readonly stream: AdvisoryStream;
  /** Whether `package` is a source package (Debian, Ubuntu) or a binary rpm name (RHEL family). */
  readonly naming: PackageNaming;
  readonly package: string;
  readonly intervals: readonly AffectedInterval[];
  /** Explicit affected versions, affected in addition to the intervals (OSV: a union). */
  readonly versions?: ReadonlySet<string>;
  /**
   * The lowest fixed version that leaves every affected interval and listed version (from the
   * first version up), for reports; undefined when no fix is known.
   */
  readonly fixed?: string;
  /** Every `fixed` version of the intervals, ascending and each once: the candidates for a fix. */
  readonly fixedCandidates: readonly string[];
  /**
   * The module stream (RHEL-family modularity) when a record has several entries for the same
   * package: `name:stream` from the purl's `rpmmod` qualifier, a `module` field of
   * `ecosystem_specific`/`database_specific`, or the module tag of the fixed version's release
   * (`module_el8.6.0+2877+8e437bf5`). Entries of one record, package and module stream are
   * merged into one entry; each module stream gives its own finding.
   */
  readonly moduleStream?: string;
  /** The entry's own rating when the distribution rates per release, else the advisory's. */
  readonly severity: SeverityRating;
}

export type IndexProblemReason =
  | 'withdrawn'
  | 'superseded'
  | 'unsupported-ecosystem'
  | 'invalid-package-name'
  | 'invalid-version'
  | 'invalid-modified'
  | 'no-usable-range';

/** Why a record, entry or version did not reach the index. Returned, the caller logs them. */
export interface IndexProblem {
  readonly advisory: string;
  readonly reason: IndexProblemReason;
  readonly ecosystem?: string;
  readonly package?: string;
  readonly version?: string;
  readonly detail: string;
}
