/**
 * Fleet summary over host assessments. Hosts that share a memoised result are aggregated once per
 * distinct result, so the cost follows distinct package sets, not hosts.
 */
import type { AdvisoryIndex } from '../advisory/advisory-index.js';
import { SEVERITY_RANK } from '../advisory/severity.js';
import type { AdvisoryExposure, ComplianceState, FleetSummary, HostAssessment, PackageSetAssessment, SeverityBucket } from './assessment.js';

const BUCKET_ORDER: readonly SeverityBucket[] = ['critical', 'high', 'medium', 'low', 'none', 'unrated'];

function highestBucket(result: PackageSetAssessment): SeverityBucket | undefined {
  for (const bucket of BUCKET_ORDER) if (result.advisoryCounts[bucket] > 0) return bucket;
  return undefined;
}

export function compareExposure(a: AdvisoryExposure, b: AdvisoryExposure): number {
  if (a.knownExploited !== b.knownExploited) return a.knownExploited ? -1 : 1;
  const sa = a.severity === undefined ? -1 : SEVERITY_RANK[a.severity];
  const sb = b.severity === undefined ? -1 : SEVERITY_RANK[b.severity];
  if (sa !== sb) return sb - sa;
  if ((a.score ?? -1) !== (b.score ?? -1)) return (b.score ?? -1) - (a.score ?? -1);
  if (a.hosts !== b.hosts) return b.hosts - a.hosts;
  return a.advisory < b.advisory ? -1 : a.advisory > b.advisory ? 1 : 0;
}

export function summarizeFleet(hosts: readonly HostAssessment[], index: AdvisoryIndex, distinctPackageSets: number, top: number): FleetSummary {
  const byState: Record<ComplianceState, number> = { unknown: 0, 'missing-approved-fixes': 0, 'pending-reboot': 0, 'missing-unapproved-fixes': 0, compliant: 0 };
  const byRelease: Record<string, number> = {};
  const hostsByHighestSeverity: Record<SeverityBucket, number> = { critical: 0, high: 0, medium: 0, low: 0, none: 0, unrated: 0 };
  const perResult = new Map<PackageSetAssessment, number>();
  let hostsWithKnownExploited = 0;
  let findings = 0;
  for (const host of hosts) {
    byState[host.state] += 1;
    const release = host.release ?? 'unknown';
    byRelease[release] = (byRelease[release] ?? 0) + 1;
    const result = host.result;
    if (result === undefined) continue;
    perResult.set(result, (perResult.get(result) ?? 0) + 1);
    findings += result.findings.length;
    if (result.knownExploited > 0) hostsWithKnownExploited += 1;
    const highest = highestBucket(result);
    if (highest !== undefined) hostsByHighestSeverity[highest] += 1;
  }
  const exposure = new Map<string, { hosts: number; unfixed: boolean; severity: AdvisoryExposure['severity']; score: number | undefined }>();
  for (const [result, count] of perResult) {
    const perAdvisory = new Map<string, { unfixed: boolean; severity: AdvisoryExposure['severity']; score: number | undefined }>();
    for (const finding of result.findings) {
      const known = perAdvisory.get(finding.advisory);
      if (known === undefined) perAdvisory.set(finding.advisory, { unfixed: finding.unfixed, severity: finding.severity, score: finding.score });
      else if (!finding.unfixed) known.unfixed = false;
    }
    for (const [id, value] of perAdvisory) {
      const total = exposure.get(id);
      if (total === undefined) exposure.set(id, { hosts: count, ...value });
      else {
        total.hosts += count;
        total.unfixed &&= value.unfixed;
      }
    }
  }
  const ranked: AdvisoryExposure[] = [];
  for (const [id, value] of exposure) {
    const advisory = index.advisory(id);
    ranked.push({
      advisory: id,
      cves: advisory?.cves ?? [],
      severity: value.severity,
      ...(value.score === undefined ? {} : { score: value.score }),
      knownExploited: advisory?.knownExploited ?? false,
      hosts: value.hosts,
      unfixed: value.unfixed,
    });
  }
  ranked.sort(compareExposure);
  return {
    hosts: hosts.length,
    byState,
    byRelease,
    hostsByHighestSeverity,
    hostsWithKnownExploited,
    findings,
    distinctPackageSets,
    topAdvisories: ranked.slice(0, top),
  };
}
