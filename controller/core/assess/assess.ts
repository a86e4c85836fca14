/**
 * `assess`: pure comparison of fleet inventories with the advisory index and the baseline.
 *
 * Matching (as the distributions do it): for Debian/Ubuntu the advisory names SOURCE packages, so
 * each installed binary is looked up by `source` (default: its own name) and compared by
 * `sourceVersion` (default: its version); for the RHEL family by binary rpm name, any arch.
 *
 * Cost: hosts whose package list is identical (same array, or same content) share one result:
 * a memo keyed by (release, sampled hash of the list), verified exactly. Within a release, each
 * (package, version) is matched once (`versionMemo`), and each package object once (`packageMemo`).
 */
import type { Advisory, AffectedEntry } from '../advisory/advisory.js';
import { affectedInterval, type AdvisoryIndex, type ReleaseIndex } from '../advisory/advisory-index.js';
import type { AdvisoryStream } from '../advisory/ecosystem.js';
import type { HostInventory, InstalledPackage } from '../inventory/host-inventory.js';
import type { ComplianceState, FleetAssessment, HostAssessment, MissingFix, PackageProblem, PackageSetAssessment, SeverityBucket } from './assessment.js';
import { compileBaseline, type BaselineApprovals, type CompiledBaseline, type HostHolds } from './baseline.js';
import { packageSetHash, samePackageSet } from './package-set-key.js';
import { summarizeFleet } from './summary.js';

export interface AssessOptions {
  /** Used for baseline holds (`until`). */
  readonly now: Date;
  /** Advisory streams that apply; default `['standard']` (Ubuntu Pro/ESM and FIPS fixes ignored). */
  readonly streams?: readonly AdvisoryStream[];
  /** How many advisories the fleet summary lists; default 20. */
  readonly topAdvisories?: number;
}

interface Match {
  readonly entry: AffectedEntry;
  readonly fixed: string | undefined;
}

interface ReleaseContext {
  readonly index: ReleaseIndex;
  readonly holds: HostHolds;
  readonly versionMemo: Map<string, Map<string, readonly Match[]>>;
  readonly packageMemo: WeakMap<InstalledPackage, readonly MissingFix[] | PackageProblem>;
  readonly arrayMemo: WeakMap<readonly InstalledPackage[], PackageSetAssessment>;
  readonly hashMemo: Map<number, { packages: readonly InstalledPackage[]; result: PackageSetAssessment }[]>;
}

interface Context {
  readonly index: AdvisoryIndex;
  readonly baseline: CompiledBaseline;
  readonly streams: ReadonlySet<AdvisoryStream>;
  readonly releases: Map<string, ReleaseContext | undefined>;
  distinct: number;
}

const NO_FINDINGS: readonly MissingFix[] = Object.freeze([]);
const NO_MATCHES: readonly Match[] = Object.freeze([]);
const MAX_BUCKET = 8;

function matchVersion(context: Context, release: ReleaseContext, name: string, version: string, entries: readonly AffectedEntry[]): readonly Match[] {
  let byVersion = release.versionMemo.get(name);
  if (byVersion === undefined) {
    byVersion = new Map();
    release.versionMemo.set(name, byVersion);
  }
  const memo = byVersion.get(version);
  if (memo !== undefined) return memo;
  const matches: Match[] = [];
  for (const entry of entries) {
    if (!context.streams.has(entry.stream)) continue;
    const hit = affectedInterval(entry, version, release.index.scheme);
    if (hit === undefined) continue;
    matches.push({ entry, fixed: hit === 'listed' ? undefined : hit.fixed });
  }
  const result = matches.length === 0 ? NO_MATCHES : matches;
  byVersion.set(version, result);
  return result;
}

function idsOf(advisory: Advisory): readonly string[] {
  return [advisory.id, ...advisory.aliases, ...advisory.cves];
}

function packageFindings(context: Context, release: ReleaseContext, pkg: InstalledPackage): readonly MissingFix[] | PackageProblem {
  const memo = release.packageMemo.get(pkg);
  if (memo !== undefined) return memo;
  const { index } = release;
  const bySource = index.naming === 'source';
  const name = bySource ? (pkg.source ?? pkg.name) : pkg.name;
  const entries = index.packages.get(name);
  let result: readonly MissingFix[] | PackageProblem = NO_FINDINGS;
  if (entries !== undefined) {
    const version = bySource ? (pkg.sourceVersion ?? pkg.version) : pkg.version;
    if (!index.scheme.isValidVersion(version)) {
      result = { package: pkg.name, version, reason: 'invalid-version' };
    } else {
      const matches = matchVersion(context, release, name, version, entries);
      if (matches.length > 0) result = matches.map((match) => toFinding(context, release, pkg, name, version, match));
    }
  }
  release.packageMemo.set(pkg, result);
  return result;
}

function toFinding(context: Context, release: ReleaseContext, pkg: InstalledPackage, source: string, version: string, match: Match): MissingFix {
  const { entry } = match;
  const advisory = entry.advisory;
  const approval = context.baseline.approvedMinVersion(release.index.release, source, idsOf(advisory));
  const approvedMissing =
    approval !== undefined && release.index.scheme.isValidVersion(approval.minVersion) && release.index.scheme.compare(version, approval.minVersion) < 0;
  const heldReason = release.holds.holdReason(release.index.release, pkg.name, source);
  return {
    advisory: advisory.id,
    cves: advisory.cves,
    ...(advisory.summary === undefined ? {} : { summary: advisory.summary }),
    package: pkg.name,
    arch: pkg.arch,
    source,
    installedVersion: pkg.version,
    comparedVersion: version,
    ...(match.fixed === undefined ? {} : { fixedVersion: match.fixed }),
    unfixed: match.fixed === undefined,
    severity: entry.severity.level,
    ...(entry.severity.score === undefined ? {} : { score: entry.severity.score }),
    knownExploited: advisory.knownExploited,
    stream: entry.stream,
    approved: approval !== undefined,
    ...(approval === undefined ? {} : { approvedMinVersion: approval.minVersion }),
    approvedMissing,
    ...(heldReason === undefined ? {} : { heldReason }),
  };
}

function emptyCounts(): Record<SeverityBucket, number> {
  return { critical: 0, high: 0, medium: 0, low: 0, none: 0, unrated: 0 };
}

function assessPackageSet(context: Context, release: ReleaseContext, packages: readonly InstalledPackage[]): PackageSetAssessment {
  context.distinct += 1;
  const findings: MissingFix[] = [];
  const problems: PackageProblem[] = [];
  for (const pkg of packages) {
    const found = packageFindings(context, release, pkg);
    if (Array.isArray(found)) {
      for (const finding of found as readonly MissingFix[]) findings.push(finding);
    } else problems.push(found as PackageProblem);
  }
  const advisoryCounts = emptyCounts();
  const seen = new Map<string, MissingFix>();
  let approvedMissing = 0;
  let unapprovedMissing = 0;
  let unfixed = 0;
  let held = 0;
  let knownExploited = 0;
  for (const finding of findings) {
    if (finding.heldReason !== undefined) held += 1;
    else if (finding.approvedMissing) approvedMissing += 1;
    else if (finding.unfixed) unfixed += 1;
    else if (!finding.approved) unapprovedMissing += 1;
    if (!seen.has(finding.advisory)) {
      seen.set(finding.advisory, finding);
      advisoryCounts[finding.severity ?? 'unrated'] += 1;
      if (finding.knownExploited) knownExploited += 1;
    }
  }
  return {
    findings: findings.length === 0 ? NO_FINDINGS : findings,
    advisoryCounts,
    advisories: [...seen.keys()],
    approvedMissing,
    unapprovedMissing,
    unfixed,
    held,
    knownExploited,
    problems,
  };
}

/** One context per (release, applicable holds): hosts in it can share results. */
function releaseContext(context: Context, release: string, holds: HostHolds): ReleaseContext | undefined {
  const key = holds.key === '' ? release : `${release}\u0000${holds.key}`;
  if (context.releases.has(key)) return context.releases.get(key);
  const index = context.index.release(release);
  const value = index === undefined ? undefined : { index, holds, versionMemo: new Map(), packageMemo: new WeakMap(), arrayMemo: new WeakMap(), hashMemo: new Map() };
  context.releases.set(key, value);
  return value;
}

function memoisedPackageSet(context: Context, release: ReleaseContext, packages: readonly InstalledPackage[]): PackageSetAssessment {
  const same = release.arrayMemo.get(packages);
  if (same !== undefined) return same;
  const hash = packageSetHash(packages);
  let bucket = release.hashMemo.get(hash);
  const hit = bucket?.find((candidate) => samePackageSet(candidate.packages, packages));
  if (hit !== undefined) {
    release.arrayMemo.set(packages, hit.result);
    return hit.result;
  }
  const result = assessPackageSet(context, release, packages);
  release.arrayMemo.set(packages, result);
  if (bucket === undefined) {
    bucket = [];
    release.hashMemo.set(hash, bucket);
  }
  if (bucket.length < MAX_BUCKET) bucket.push({ packages, result });
  return result;
}

function stateOf(result: PackageSetAssessment, rebootRequired: boolean): ComplianceState {
  if (result.approvedMissing > 0) return 'missing-approved-fixes';
  if (rebootRequired) return 'pending-reboot';
  if (result.unapprovedMissing > 0) return 'missing-unapproved-fixes';
  return 'compliant';
}

function assessHost(context: Context, host: HostInventory): HostAssessment {
  const base = { host: host.host, rebootRequired: host.reboot?.required === true, packages: host.packages?.length ?? 0, ...(host.labels === undefined ? {} : { labels: host.labels }) };
  const release = host.os?.release;
  if (host.status !== 'ok') return { ...base, ...(release === undefined ? {} : { release }), state: 'unknown', reason: `host ${host.status}${host.reason === undefined ? '' : `: ${host.reason}`}` };
  if (release === undefined || host.packages === undefined) return { ...base, state: 'unknown', reason: 'inventory has no OS release or package list' };
  const releaseCtx = releaseContext(context, release, context.baseline.holdsFor(host.labels));
  if (releaseCtx === undefined) return { ...base, release, state: 'unknown', reason: `no advisory data for release ${release}` };
  const result = memoisedPackageSet(context, releaseCtx, host.packages);
  return { ...base, release, state: stateOf(result, base.rebootRequired), result };
}

/** Assesses every host; pure (the clock comes in `options.now`). */
export function assess(fleet: readonly HostInventory[], index: AdvisoryIndex, baseline: BaselineApprovals, options: AssessOptions): FleetAssessment {
  const context: Context = {
    index,
    baseline: compileBaseline(baseline, options.now),
    streams: new Set(options.streams ?? ['standard']),
    releases: new Map(),
    distinct: 0,
  };
  const hosts = fleet.map((host) => assessHost(context, host));
  return { hosts, summary: summarizeFleet(hosts, index, context.distinct, options.topAdvisories ?? 20) };
}
