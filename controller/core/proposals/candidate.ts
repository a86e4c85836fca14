/**
 * What the proposal core works on: one advisory that a PatchPolicy should propose (a candidate),
 * and a proposal (one pull request: a group of candidates under one key).
 */
import type { Severity } from '../advisory/severity.js';
import type { OsReleaseKey } from '../inventory/host-inventory.js';

/** The PatchPolicy's severity scale (`negligible` is the advisory scale's `none`). */
export type PolicySeverity = 'negligible' | 'low' | 'medium' | 'high' | 'critical';

export const POLICY_SEVERITY_RANK: Readonly<Record<PolicySeverity, number>> = { negligible: 0, low: 1, medium: 2, high: 3, critical: 4 };

/** The advisory scale mapped onto the policy scale; `undefined` (nobody rated it) stays undefined. */
export function policySeverityOf(severity: Severity | undefined): PolicySeverity | undefined {
  if (severity === undefined) return undefined;
  return severity === 'none' ? 'negligible' : severity;
}

/** One package of one release that the proposal approves at `minVersion`. */
export interface ProposedFix {
  readonly release: OsReleaseKey;
  /** As the advisory names it: source package (Debian, Ubuntu), rpm name (RHEL family). */
  readonly package: string;
  /** The version approved: the highest first-fixed version any affected host needs. */
  readonly minVersion: string;
  /** Versions installed now on the affected hosts (source versions for dpkg), sorted. */
  readonly installed: readonly string[];
  /** Binary packages on the hosts that the fix upgrades, sorted. */
  readonly binaries: readonly string[];
}

export interface AffectedHost {
  readonly host: string;
  readonly release: OsReleaseKey;
  /** The Ring whose selector picks the host; undefined when none does. */
  readonly ring?: string;
}

/** One advisory a policy proposes, with everything a reviewer needs. */
export interface Candidate {
  readonly advisory: string;
  readonly cves: readonly string[];
  readonly aliases: readonly string[];
  readonly summary?: string;
  /** RFC 3339; the day/week groupings use it (else `modified`). */
  readonly published?: string;
  readonly modified?: string;
  /** The rating of the advisory (highest over its affected entries here), undefined = unrated. */
  readonly severity: PolicySeverity | undefined;
  /** What the policy treats it as: `critical` for known-exploited under `knownExploited: as-critical`. */
  readonly effectiveSeverity: PolicySeverity | undefined;
  readonly score?: number;
  readonly knownExploited: boolean;
  /** Qualifies for the policy's urgent lane. */
  readonly urgent: boolean;
  /** Sorted by release, then package. */
  readonly fixes: readonly ProposedFix[];
  /** Sorted by host name. */
  readonly hosts: readonly AffectedHost[];
  /** The baseline already approves this advisory (at lower versions): the proposal raises them. */
  readonly raisesApproval: boolean;
}

/** One pull request's worth: candidates grouped under a key. */
export interface Proposal {
  readonly policy: string;
  /** Grouping key as defined in group-proposals.ts (e.g. `ALSA-2024:1234`, `openssl`, `2026-12-02`, `2026-W49`). */
  readonly key: string;
  /** `<branchPrefix><policy>/<ref-safe key>`. */
  readonly branch: string;
  /** Sorted by advisory id. */
  readonly candidates: readonly Candidate[];
  readonly urgent: boolean;
}
