/**
 * `assess`: pure comparison of fleet inventories with the advisory index and the baseline.
 *
 * Matching (as the distributions do it): for Debian/Ubuntu the advisory names SOURCE packages, so
 * each installed binary is looked up by `source` (default: its own name) and compared by
 * `sourceVersion` (default: its version); for the RHEL family by binary rpm name, any arch.
 *
 * Cost: hosts whose package list is identical (same array, or same content) share one result:
 * a memo keyed by (release, sampled hash of the list), verified exactly. Within a release, each
 * (package, version) is matched once (`versionMemo`), and each package once (`packageMemo` by object,
 * `contentMemo` by content for packages that have advisories).
 */
import type { Advisory, AffectedEntry } from '../advisory/advisory.js';
import { type AdvisoryIndex, matchEntry, type ReleaseIndex } from '../advisory/advisory-index.js';
import type { AdvisoryStream } from '../advisory/ecosystem.js';
import type { HostInventory, InstalledPackage } from '../inventory/host-inventory.js';
import type {
  ComplianceState,
  FleetAssessment,
  HostAssessment,
  MissingFix,
  PackageProblem,
  PackageSetAssessment,
  SeverityBucket,
  SeverityCounts,
} from './assessment.js';
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
  readonly packageMemo: WeakMap<InstalledPackage, PackageFindings | PackageProblem>;
  /** Same, by content, for packages with advisories: equal packages in distinct objects share findings. */
  readonly contentMemo: Map<string, PackageFindings | PackageProblem>;
  readonly arrayMemo: WeakMap<readonly InstalledPackage[], PackageSetAssessment>;
  readonly hashMemo: Map<number, { packages: readonly InstalledPackage[]; result: PackageSetAssessment }[]>;
}

/** The findings of one installed package and their codes (see `codeOf`). */
export interface PackageFindings {
  readonly findings: readonly MissingFix[];
  readonly codes: Int32Array;
}

interface Context {
  readonly index: AdvisoryIndex;
  /** Per advisory ordinal: the stamp of the last package set that counted it. */
  readonly seen: Int32Array;
  /** Per advisory ordinal: 1 when known-exploited. */
  readonly exploited: Uint8Array;
  stamp: number;
  readonly baseline: CompiledBaseline;
  readonly streams: ReadonlySet<AdvisoryStream>;
  readonly releases: Map<string, ReleaseContext | undefined>;
  distinct: number;
}

const NO_FINDINGS: readonly MissingFix[] = Object.freeze([]);
const NO_PACKAGE_FINDINGS: PackageFindings = Object.freeze({ findings: NO_FINDINGS, codes: new Int32Array(0) });
const NO_MATCHES: readonly Match[] = Object.freeze([]);
const MAX_BUCKET = 8;

function matchVersion(
  context: Context,
  release: ReleaseContext,
  name: string,
  version: string,
  entries: readonly AffectedEntry[],
): readonly Match[] {
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
    const hit = matchEntry(entry, version, release.index.scheme);
    if (hit === undefined) continue;
    matches.push({ entry, fixed: hit.fixed });
  }
  const result = matches.length === 0 ? NO_MATCHES : matches;
  byVersion.set(version, result);
  return result;
}

function idsOf(advisory: Advisory): readonly string[] {
  return advisory.aliases.length === 0 && advisory.cves.length === 0 ? [advisory.id] : [advisory.id, ...advisory.aliases, ...advisory.cves];
}

function packageFindings(context: Context, release: ReleaseContext, pkg: InstalledPackage): PackageFindings | PackageProblem {
  const memo = release.packageMemo.get(pkg);
  if (memo !== undefined) return memo;
  const { index } = release;
  const bySource = index.naming === 'source';
  const name = bySource ? (pkg.source ?? pkg.name) : pkg.name;
  const entries = index.packages.get(name);
  let result: PackageFindings | PackageProblem = NO_PACKAGE_FINDINGS;
  if (entries !== undefined) {
    const version = bySource ? (pkg.sourceVersion ?? pkg.version) : pkg.version;
    const key = `${pkg.name}\u0000${pkg.version}\u0000${pkg.arch}\u0000${name}\u0000${version}`;
    const known = release.contentMemo.get(key);
    if (known !== undefined) {
      release.packageMemo.set(pkg, known);
      return known;
    }
    if (!index.scheme.isValidVersion(version)) {
      result = { package: pkg.name, version, reason: 'invalid-version' };
    } else {
      const matches = matchVersion(context, release, name, version, entries);
      if (matches.length > 0) {
        const findings = matches.map((match) => toFinding(context, release, pkg, name, version, match));
        result = {
          findings,
          codes: Int32Array.from(findings, (finding, i) => codeOf(finding, (matches[i] as Match).entry.advisory.ordinal)),
        };
      }
    }
    release.contentMemo.set(key, result);
  }
  release.packageMemo.set(pkg, result);
  return result;
}

function toFinding(
  context: Context,
  release: ReleaseContext,
  pkg: InstalledPackage,
  source: string,
  version: string,
  match: Match,
): MissingFix {
  const { entry } = match;
  const advisory = entry.advisory;
  const scheme = release.index.scheme;
  const approval = context.baseline.hasApprovals
    ? context.baseline.approvedMinVersion(release.index.release, source, idsOf(advisory))
    : undefined;
  // Both checked: `version` before matching (packageFindings), the approval's right here.
  const approvedMissing =
    approval !== undefined && scheme.isValidVersion(approval.minVersion) && scheme.compareValid(version, approval.minVersion) < 0;
  // One literal of one shape (absent optionals are undefined, dropped by JSON): cheap to build.
  return {
    advisory: advisory.id,
    cves: advisory.cves,
    summary: advisory.summary,
    package: pkg.name,
    arch: pkg.arch,
    source,
    installedVersion: pkg.version,
    comparedVersion: version,
    fixedVersion: match.fixed,
    unfixed: match.fixed === undefined,
    severity: entry.severity.level,
    score: entry.severity.score,
    knownExploited: advisory.knownExploited,
    stream: entry.stream,
    moduleStream: entry.moduleStream,
    approved: approval !== undefined,
    approvedMinVersion: approval?.minVersion,
    approvedMissing,
    heldReason: release.holds.holdReason(release.index.release, pkg.name, source),
  };
}

const BUCKETS: readonly SeverityBucket[] = ['critical', 'high', 'medium', 'low', 'none', 'unrated'];
const BUCKET_OF: Readonly<Record<string, number>> = { critical: 0, high: 1, medium: 2, low: 3, none: 4 };
const HELD = 0;
const APPROVED_MISSING = 1;
const UNFIXED = 2;
const UNAPPROVED = 3;

/** One int per finding: advisory ordinal << 6 | severity bucket << 3 | category. */
function codeOf(finding: MissingFix, ordinal: number): number {
  const category =
    finding.heldReason !== undefined
      ? HELD
      : finding.approvedMissing
        ? APPROVED_MISSING
        : finding.unfixed
          ? UNFIXED
          : finding.approved
            ? 4
            : UNAPPROVED;
  return (ordinal << 6) | ((finding.severity === undefined ? 5 : (BUCKET_OF[finding.severity] ?? 5)) << 3) | category;
}

/** Findings of a package set, kept per package (shared) and flattened only when read. */
class PackageSetResult implements PackageSetAssessment {
  readonly advisoryCounts: SeverityCounts;
  readonly findingCount: number;
  readonly approvedMissing: number;
  readonly unapprovedMissing: number;
  readonly unfixed: number;
  readonly held: number;
  readonly knownExploited: number;
  readonly problems: readonly PackageProblem[];
  /** Internal: per-package finding lists and their codes, for the fleet summary. */
  readonly chunks: readonly PackageFindings[];
  #flat: readonly MissingFix[] | undefined;

  constructor(chunks: readonly PackageFindings[], problems: readonly PackageProblem[], tally: Tally) {
    this.chunks = chunks;
    this.problems = problems;
    this.advisoryCounts = tally.counts;
    this.findingCount = tally.findings;
    this.approvedMissing = tally.categories[APPROVED_MISSING] ?? 0;
    this.unapprovedMissing = tally.categories[UNAPPROVED] ?? 0;
    this.unfixed = tally.categories[UNFIXED] ?? 0;
    this.held = tally.categories[HELD] ?? 0;
    this.knownExploited = tally.knownExploited;
  }

  get findings(): readonly MissingFix[] {
    if (this.#flat === undefined) this.#flat = this.chunks.length === 0 ? NO_FINDINGS : this.chunks.flatMap((chunk) => chunk.findings);
    return this.#flat;
  }

  toJSON(): unknown {
    const { chunks: _chunks, ...rest } = this;
    return { ...rest, findings: this.findings };
  }
}

interface Tally {
  readonly counts: Record<SeverityBucket, number>;
  readonly categories: number[];
  findings: number;
  knownExploited: number;
}

function assessPackageSet(context: Context, release: ReleaseContext, packages: readonly InstalledPackage[]): PackageSetAssessment {
  context.distinct += 1;
  const chunks: PackageFindings[] = [];
  const problems: PackageProblem[] = [];
  for (const pkg of packages) {
    const found = packageFindings(context, release, pkg);
    if ('codes' in found) {
      if (found.codes.length > 0) chunks.push(found);
    } else problems.push(found);
  }
  const tally: Tally = {
    counts: { critical: 0, high: 0, medium: 0, low: 0, none: 0, unrated: 0 },
    categories: [0, 0, 0, 0, 0],
    findings: 0,
    knownExploited: 0,
  };
  const stamp = ++context.stamp;
  const { seen, exploited } = context;
  for (const chunk of chunks) {
    const { codes } = chunk;
    tally.findings += codes.length;
    for (let i = 0; i < codes.length; i += 1) {
      const code = codes[i] as number;
      tally.categories[code & 7] = (tally.categories[code & 7] ?? 0) + 1;
      const ordinal = code >>> 6;
      if (seen[ordinal] === stamp) continue;
      seen[ordinal] = stamp;
      const bucket = BUCKETS[(code >>> 3) & 7] ?? 'unrated';
      tally.counts[bucket] += 1;
      if (exploited[ordinal] === 1) tally.knownExploited += 1;
    }
  }
  return new PackageSetResult(chunks, problems, tally);
}

/** One context per (release, applicable holds): hosts in it can share results. */
function releaseContext(context: Context, release: string, holds: HostHolds): ReleaseContext | undefined {
  const key = holds.key === '' ? release : `${release}\u0000${holds.key}`;
  if (context.releases.has(key)) return context.releases.get(key);
  const index = context.index.release(release);
  const value =
    index === undefined
      ? undefined
      : {
          index,
          holds,
          versionMemo: new Map(),
          packageMemo: new WeakMap(),
          contentMemo: new Map(),
          arrayMemo: new WeakMap(),
          hashMemo: new Map(),
        };
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
  const base = {
    host: host.host,
    rebootRequired: host.reboot?.required === true,
    packages: host.packages?.length ?? 0,
    ...(host.labels === undefined ? {} : { labels: host.labels }),
  };
  const release = host.os?.release;
  if (host.status !== 'ok')
    return {
      ...base,
      ...(release === undefined ? {} : { release }),
      state: 'unknown',
      reason: `host ${host.status}${host.reason === undefined ? '' : `: ${host.reason}`}`,
    };
  if (release === undefined || host.packages === undefined)
    return { ...base, state: 'unknown', reason: 'inventory has no OS release or package list' };
  const releaseCtx = releaseContext(context, release, context.baseline.holdsFor(host.labels));
  if (releaseCtx === undefined) return { ...base, release, state: 'unknown', reason: `no advisory data for release ${release}` };
  const result = memoisedPackageSet(context, releaseCtx, host.packages);
  // A version the scheme cannot read cannot be compared: the host is unknown, never compliant.
  const [first, ...more] = result.problems;
  if (first !== undefined)
    return {
      ...base,
      release,
      state: 'unknown',
      reason: `installed ${first.package} ${first.version} is not a valid version (${first.reason})${more.length > 0 ? `, and ${more.length} more` : ''}`,
      result,
    };
  return { ...base, release, state: stateOf(result, base.rebootRequired), result };
}

/** Assesses every host; pure (the clock comes in `options.now`). */
export function assess(
  fleet: readonly HostInventory[],
  index: AdvisoryIndex,
  baseline: BaselineApprovals,
  options: AssessOptions,
): FleetAssessment {
  const context: Context = {
    index,
    baseline: compileBaseline(baseline, options.now),
    streams: new Set(options.streams ?? ['standard']),
    releases: new Map(),
    distinct: 0,
    seen: new Int32Array(index.advisoryCount),
    exploited: Uint8Array.from({ length: index.advisoryCount }, (_, ordinal) =>
      index.advisoryAt(ordinal)?.knownExploited === true ? 1 : 0,
    ),
    stamp: 0,
  };
  const hosts = fleet.map((host) => assessHost(context, host));
  return { hosts, summary: summarizeFleet(hosts, index, context.distinct, options.topAdvisories ?? 20) };
}
