/**
 * What `assess` returns: per host the missing fixes and a compliance state, plus a fleet summary.
 *
 * Compliance states, in precedence order (the first that applies wins):
 * 1. `unknown` — the host was not reachable (`status` ≠ `ok`), sent no OS or package list, or no
 *    advisory covers its release: we cannot say it is safe.
 * 2. `missing-approved-fixes` — a fix approved in the baseline is not installed (installed version
 *    below the approval's `minVersion`), on a package that is not held: the desired state is not met.
 * 3. `pending-reboot` — packages are current for the baseline but the host still runs old code.
 * 4. `missing-unapproved-fixes` — fixes exist that nobody has approved yet (a proposal is due).
 * 5. `compliant` — none of the above. UNFIXED findings (no fix published) and held packages are
 *    reported but do not change the state: there is nothing to install, or a person chose not to.
 */
import type { AdvisoryStream } from '../advisory/ecosystem.js';
import type { Severity } from '../advisory/severity.js';
import type { OsReleaseKey } from '../inventory/host-inventory.js';

export type ComplianceState = 'compliant' | 'missing-approved-fixes' | 'missing-unapproved-fixes' | 'pending-reboot' | 'unknown';

export const COMPLIANCE_STATES: readonly ComplianceState[] = [
  'unknown',
  'missing-approved-fixes',
  'pending-reboot',
  'missing-unapproved-fixes',
  'compliant',
];

/** Severity buckets of reports: our scale plus `unrated` for advisories nobody rated. */
export type SeverityBucket = Severity | 'unrated';

export const SEVERITY_BUCKETS: readonly SeverityBucket[] = ['critical', 'high', 'medium', 'low', 'none', 'unrated'];

export type SeverityCounts = Readonly<Record<SeverityBucket, number>>;

/** One advisory affecting one installed (binary) package of a host. */
export interface MissingFix {
  readonly advisory: string;
  readonly cves: readonly string[];
  readonly summary?: string;
  /** Installed binary package (dpkg) or rpm name. */
  readonly package: string;
  readonly arch: string;
  /** The package as the advisory names it: source package for Debian/Ubuntu, rpm name otherwise. */
  readonly source: string;
  readonly installedVersion: string;
  /** The version compared: the source version for dpkg (differs from installed on binNMUs). */
  readonly comparedVersion: string;
  /** First fixed version above the installed one; absent when `unfixed`. */
  readonly fixedVersion?: string;
  readonly unfixed: boolean;
  readonly severity: Severity | undefined;
  readonly score?: number;
  readonly knownExploited: boolean;
  readonly stream: AdvisoryStream;
  /** The module stream the finding is for, when the advisory names one per stream (one finding each). */
  readonly moduleStream?: string | undefined;
  /** Covered by a baseline approval for this release and package. */
  readonly approved: boolean;
  /** The approval's `minVersion`, when approved. */
  readonly approvedMinVersion?: string;
  /** Approved and installed below `approvedMinVersion`. */
  readonly approvedMissing: boolean;
  /** Reason of an active baseline hold on the package. */
  readonly heldReason?: string;
}

/** An installed package `assess` could not judge (untrusted input failing the scheme's grammar). */
export interface PackageProblem {
  readonly package: string;
  readonly version: string;
  readonly reason: 'invalid-version' | 'invalid-package-name';
}

/** The part of a host's assessment that depends only on (release, package list): memoised. */
export interface PackageSetAssessment {
  readonly findings: readonly MissingFix[];
  readonly findingCount: number;
  /** Distinct advisories by severity. */
  readonly advisoryCounts: SeverityCounts;
  readonly approvedMissing: number;
  readonly unapprovedMissing: number;
  readonly unfixed: number;
  readonly held: number;
  readonly knownExploited: number;
  readonly problems: readonly PackageProblem[];
}

export interface HostAssessment {
  readonly host: string;
  readonly release?: OsReleaseKey;
  readonly state: ComplianceState;
  /** Why the state is `unknown`. */
  readonly reason?: string;
  readonly rebootRequired: boolean;
  readonly packages: number;
  readonly result?: PackageSetAssessment;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AdvisoryExposure {
  readonly advisory: string;
  readonly cves: readonly string[];
  readonly severity: Severity | undefined;
  readonly score?: number;
  readonly knownExploited: boolean;
  readonly hosts: number;
  readonly unfixed: boolean;
}

export interface FleetSummary {
  readonly hosts: number;
  readonly byState: Readonly<Record<ComplianceState, number>>;
  readonly byRelease: Readonly<Record<string, number>>;
  /** Hosts with at least one missing fix of that severity (highest per host counts once). */
  readonly hostsByHighestSeverity: SeverityCounts;
  readonly hostsWithKnownExploited: number;
  readonly findings: number;
  /** Distinct package lists assessed (memo misses); the rest reused an identical host's result. */
  readonly distinctPackageSets: number;
  readonly topAdvisories: readonly AdvisoryExposure[];
}

export interface FleetAssessment {
  readonly hosts: readonly HostAssessment[];
  readonly summary: FleetSummary;
}
