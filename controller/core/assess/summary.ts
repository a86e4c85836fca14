/**
 * Fleet summary over host assessments. Hosts that share a memoised result are aggregated once per
 * distinct result, so the cost follows distinct package sets, not hosts.
 */
import type { AdvisoryIndex } from '../advisory/advisory-index.js';
import { SEVERITY_RANK } from '../advisory/severity.js';
import type {
  AdvisoryExposure,
  ComplianceState,
  FleetSummary,
  HostAssessment,
  PackageSetAssessment,
  SeverityBucket,
} from './assessment.js';

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

/** The per-package chunks of a result built by `assess` (empty for foreign implementations). */
function chunksOf(result: PackageSetAssessment): readonly { readonly codes: Int32Array }[] {
  const chunks = (result as { chunks?: readonly { readonly codes: Int32Array }[] }).chunks;
  return chunks ?? [];
}

export function summarizeFleet(
  hosts: readonly HostAssessment[],
  index: AdvisoryIndex,
  distinctPackageSets: number,
  top: number,
): FleetSummary {
  const byState: Record<ComplianceState, number> = {
    unknown: 0,
    'missing-approved-fixes': 0,
    'pending-reboot': 0,
    'missing-unapproved-fixes': 0,
    compliant: 0,
  };
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
    findings += result.findingCount;
    if (result.knownExploited > 0) hostsWithKnownExploited += 1;
    const highest = highestBucket(result);
    if (highest !== undefined) hostsByHighestSeverity[highest] += 1;
  }
  // Per advisory ordinal: hosts affected, and whether any affected host has a fix available.
  const hostsBy = new Float64Array(index.advisoryCount);
  const fixable = new Uint8Array(index.advisoryCount);
  const seen = new Int32Array(index.advisoryCount);
  let stamp = 0;
  for (const [result, count] of perResult) {
    stamp += 1;
    for (const chunk of chunksOf(result)) {
      const { codes } = chunk;
      for (let i = 0; i < codes.length; i += 1) {
        const code = codes[i] as number;
        const ordinal = code >>> 6;
        if ((code & 7) !== 2) fixable[ordinal] = 1;
        if (seen[ordinal] === stamp) continue;
        seen[ordinal] = stamp;
        hostsBy[ordinal] = (hostsBy[ordinal] ?? 0) + count;
      }
    }
  }
  const ranked: AdvisoryExposure[] = [];
  for (let ordinal = 0; ordinal < hostsBy.length; ordinal += 1) {
    const hostCount = hostsBy[ordinal] ?? 0;
    const advisory = index.advisoryAt(ordinal);
    if (hostCount === 0 || advisory === undefined) continue;
    ranked.push({
      advisory: advisory.id,
      cves: advisory.cves,
      severity: advisory.severity.level,
      ...(advisory.severity.score === undefined ? {} : { score: advisory.severity.score }),
      knownExploited: advisory.knownExploited,
      hosts: hostCount,
      unfixed: fixable[ordinal] !== 1,
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
