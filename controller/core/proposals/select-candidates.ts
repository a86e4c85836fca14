/**
 * Which advisories become proposals for which PatchPolicy (pure; `now` is a parameter).
 *
 * A finding of `assess` on a host becomes part of a candidate when, in this order:
 * 1. the host is governed by the policy (its `selector` matches the host's labels) and was assessed;
 * 2. a fix exists (`unfixed` findings wait for one), and the release is in the policy's `releases`
 *    (all releases when absent);
 * 3. the package is not held, neither by the baseline (assess reports it) nor by the policy's
 *    `holds` (package or source name, glob, releases, host selector, `until`);
 * 4. neither the advisory (its id, an alias or a CVE id) nor the package is excluded by an
 *    active exclusion (`until` a date = through that whole UTC day, or an instant);
 * 5. the baseline does not already approve the fix: an approval covers it when it names the
 *    advisory for that release and package at a `minVersion` >= the fixed version. An approval at
 *    a LOWER version (the advisory gained a newer fix) makes the candidate raise that approval.
 * Then the advisory must pass the severity rule:
 * - rated advisories pass when their severity >= `minSeverity` (default medium);
 * - UNRATED advisories (no distribution rating, no CVSS) are treated as `medium` for this test
 *   only: proposed under the default `minSeverity` and below, not under `high` or `critical`.
 *   An unknown risk is not silently dropped by a default policy, nor allowed to wake reviewers of
 *   a high-only policy. The PR says "unrated", and no auto-merge rule (which lists severities)
 *   ever matches an unrated advisory.
 * - known-exploited advisories: `always` (default) = proposed whatever their severity;
 *   `as-critical` = proposed and treated as critical (urgent lane, auto-merge rules);
 *   `by-severity` = no special treatment.
 * The urgent lane (when enabled) takes advisories whose effective severity is in
 * `urgentLane.severities` (default [critical]) or that are known-exploited when
 * `urgentLane.knownExploited` (default true).
 */
import type { Advisory } from '../advisory/advisory.js';
import type { HostAssessment, MissingFix } from '../assess/assessment.js';
import type { BaselineApprovals } from '../assess/baseline.js';
import type { LabelSelector, PatchPolicySpec } from '../model/index.js';
import { matchesSelector } from '../model/selector.js';
import type { VersionScheme } from '../../ports/version-scheme.js';
import {
  POLICY_SEVERITY_RANK,
  policySeverityOf,
  type AffectedHost,
  type Candidate,
  type PolicySeverity,
  type ProposedFix,
} from './candidate.js';
import { packageGlob, untilEnd } from '../model/hold-terms.js';

export interface RingSelector {
  readonly name: string;
  readonly selector: LabelSelector;
}

export interface SelectInput {
  readonly policy: { readonly name: string; readonly spec: PatchPolicySpec };
  readonly baseline: BaselineApprovals;
  /** `assess` output; hosts carry their Fleet labels. */
  readonly hosts: readonly HostAssessment[];
  /** Advisory details by id (the advisory index). */
  readonly advisory: (id: string) => Advisory | undefined;
  /** The version scheme of a release (from the advisory index). */
  readonly schemeOf: (release: string) => VersionScheme | undefined;
  /** Rings in order; the first whose selector matches a host is its ring. */
  readonly rings: readonly RingSelector[];
  readonly now: Date;
}

/** The severity an unrated advisory is compared with `minSeverity` as (see the module comment). */
export const UNRATED_THRESHOLD_SEVERITY: PolicySeverity = 'medium';

function globMatches(glob: string, name: string): boolean {
  return packageGlob(glob).test(name);
}

function isHeldByPolicy(spec: PatchPolicySpec, finding: MissingFix, release: string, labels: Record<string, string>, now: number): boolean {
  return (spec.holds ?? []).some(
    (hold) =>
      untilEnd(hold.until) >= now &&
      (hold.releases === undefined || hold.releases.includes(release)) &&
      matchesSelector(hold.hosts, labels) &&
      (globMatches(hold.package, finding.package) || globMatches(hold.package, finding.source)),
  );
}

function isExcluded(spec: PatchPolicySpec, finding: MissingFix, advisory: Advisory | undefined, now: number): boolean {
  const ids = new Set([finding.advisory, ...finding.cves, ...(advisory?.aliases ?? [])]);
  return (spec.exclusions ?? []).some(
    (exclusion) =>
      untilEnd(exclusion.until) >= now &&
      ((exclusion.advisory !== undefined && ids.has(exclusion.advisory)) ||
        (exclusion.package !== undefined &&
          (globMatches(exclusion.package, finding.package) || globMatches(exclusion.package, finding.source)))),
  );
}

function passesSeverity(spec: PatchPolicySpec, severity: PolicySeverity | undefined, knownExploited: boolean): boolean {
  const mode = spec.knownExploited ?? 'always';
  if (knownExploited && mode !== 'by-severity') return true;
  const threshold = POLICY_SEVERITY_RANK[spec.minSeverity ?? 'medium'];
  return POLICY_SEVERITY_RANK[severity ?? UNRATED_THRESHOLD_SEVERITY] >= threshold;
}

function isUrgent(spec: PatchPolicySpec, severity: PolicySeverity | undefined, knownExploited: boolean): boolean {
  const lane = spec.urgentLane;
  if (lane?.enabled !== true) return false;
  if (knownExploited && (lane.knownExploited ?? true)) return true;
  return severity !== undefined && (lane.severities ?? ['critical']).includes(severity);
}

interface Accumulator {
  readonly finding: MissingFix;
  severity: PolicySeverity | undefined;
  score: number | undefined;
  raisesApproval: boolean;
  readonly fixes: Map<string, { release: string; package: string; minVersion: string; installed: Set<string>; binaries: Set<string> }>;
  readonly hosts: Map<string, AffectedHost>;
}

function ringOf(rings: readonly RingSelector[], labels: Record<string, string>): string | undefined {
  return rings.find((ring) => matchesSelector(ring.selector, labels))?.name;
}

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The candidates of one policy, sorted by advisory id. */
export function selectCandidates(input: SelectInput): Candidate[] {
  const { spec } = input.policy;
  const now = input.now.getTime();
  const releases = spec.releases === undefined ? undefined : new Set(spec.releases);
  const byAdvisory = new Map<string, Accumulator>();
  for (const host of input.hosts) {
    const labels = { ...(host.labels ?? {}) };
    if (!matchesSelector(spec.selector, labels) || host.result === undefined || host.release === undefined) continue;
    const release = host.release;
    if (releases !== undefined && !releases.has(release)) continue;
    const scheme = input.schemeOf(release);
    if (scheme === undefined) continue;
    for (const finding of host.result.findings) {
      const fixed = finding.fixedVersion;
      if (finding.unfixed || fixed === undefined || finding.heldReason !== undefined) continue;
      if (isHeldByPolicy(spec, finding, release, labels, now)) continue;
      const advisory = input.advisory(finding.advisory);
      if (isExcluded(spec, finding, advisory, now)) continue;
      const approved = finding.approved && finding.approvedMinVersion !== undefined && scheme.isValidVersion(finding.approvedMinVersion);
      if (approved && scheme.compare(finding.approvedMinVersion as string, fixed) >= 0) continue;
      let entry = byAdvisory.get(finding.advisory);
      if (entry === undefined) {
        entry = { finding, severity: undefined, score: undefined, raisesApproval: false, fixes: new Map(), hosts: new Map() };
        byAdvisory.set(finding.advisory, entry);
      }
      const severity = policySeverityOf(finding.severity);
      if (severity !== undefined && (entry.severity === undefined || POLICY_SEVERITY_RANK[severity] > POLICY_SEVERITY_RANK[entry.severity]))
        entry.severity = severity;
      if (finding.score !== undefined && (entry.score === undefined || finding.score > entry.score)) entry.score = finding.score;
      if (approved) entry.raisesApproval = true;
      const fixKey = `${release}\u0000${finding.source}`;
      const fix = entry.fixes.get(fixKey);
      if (fix === undefined)
        entry.fixes.set(fixKey, {
          release,
          package: finding.source,
          minVersion: fixed,
          installed: new Set([finding.comparedVersion]),
          binaries: new Set([finding.package]),
        });
      else {
        if (scheme.compare(fixed, fix.minVersion) > 0) fix.minVersion = fixed;
        fix.installed.add(finding.comparedVersion);
        fix.binaries.add(finding.package);
      }
      const ring = ringOf(input.rings, labels);
      entry.hosts.set(host.host, { host: host.host, release, ...(ring === undefined ? {} : { ring }) });
    }
  }
  const candidates: Candidate[] = [];
  for (const [id, entry] of byAdvisory) {
    const { finding } = entry;
    const advisory = input.advisory(id);
    const knownExploited = finding.knownExploited;
    if (!passesSeverity(spec, entry.severity, knownExploited)) continue;
    const effectiveSeverity = knownExploited && spec.knownExploited === 'as-critical' ? 'critical' : entry.severity;
    const fixes: ProposedFix[] = [...entry.fixes.values()]
      .map((fix) => {
        const scheme = input.schemeOf(fix.release);
        const installed = [...fix.installed].sort((a, b) => (scheme === undefined ? byString(a, b) : scheme.compare(a, b)));
        return {
          release: fix.release,
          package: fix.package,
          minVersion: fix.minVersion,
          installed,
          binaries: [...fix.binaries].sort(byString),
        };
      })
      .sort((a, b) => byString(a.release, b.release) || byString(a.package, b.package));
    candidates.push({
      advisory: id,
      cves: [...finding.cves],
      aliases: [...(advisory?.aliases ?? [])],
      ...(finding.summary === undefined ? {} : { summary: finding.summary }),
      ...(advisory?.published === undefined ? {} : { published: advisory.published }),
      ...(advisory?.modified === undefined ? {} : { modified: advisory.modified }),
      severity: entry.severity,
      effectiveSeverity,
      ...(entry.score === undefined ? {} : { score: entry.score }),
      knownExploited,
      urgent: isUrgent(spec, effectiveSeverity, knownExploited),
      fixes,
      hosts: [...entry.hosts.values()].sort((a, b) => byString(a.host, b.host)),
      raisesApproval: entry.raisesApproval,
    });
  }
  return candidates.sort((a, b) => byString(a.advisory, b.advisory));
}
