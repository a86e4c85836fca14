/**
 * Builds the `AdvisoryIndex` from validated OSV records. Pure: no I/O, no clock; everything that
 * is dropped comes back as an `IndexProblem` for the caller to log.
 *
 * Rules:
 * - one record per id: the newest `modified` wins (ties keep the first seen); a newest copy that
 *   is `withdrawn` removes the id;
 * - each `affected[]` entry is kept only for an ecosystem we serve (`parseEcosystem`), with a
 *   package name and every version passing the release's `VersionScheme` grammar; a bad name or a
 *   bad range version rejects the entry, a bad item of `versions` drops that item only;
 * - ECOSYSTEM ranges become intervals (events sorted in the scheme's order, as OSV evaluates
 *   them); other range types are ignored; `introduced` without `fixed` is an UNFIXED interval;
 *   `last_affected` is inclusive; `limit` events bound their range (`v < limit`, the highest
 *   limit of the range; `*` is no bound); the `versions` list is affected IN ADDITION to the
 *   ranges (a union, OSV `IsVulnerable`);
 * - the fix reported is the lowest `fixed` version that leaves every affected range and listed
 *   version (`lowestFixLeavingAll`), so overlapping ranges never suggest a still-affected fix;
 * - several entries of one record for the same release, package and stream are merged into one
 *   (one finding), except that different module streams (`moduleStream`) stay apart: one finding
 *   per module stream, named;
 * - severity: see `severity.ts`; a record nobody rates inherits the rating of a record it names in
 *   `upstream`/`aliases`, else the highest rating of another record sharing one of its CVEs
 *   (source `alias`), so a DSA or a changelog-derived record gets its DEBIAN-CVE's CVSS rating.
 */
import type { VersionScheme, VersionSchemeId } from '../../ports/version-scheme.js';
import type { Advisory, AffectedEntry, IndexProblem } from './advisory.js';
import { compileEntry, mergeEntries } from './affected-entry.js';
import { AdvisoryIndex, type ReleaseIndex } from './advisory-index.js';
import { parseEcosystem, type EcosystemTarget } from './ecosystem.js';
import type { OsvRecord } from './osv-record.js';
import {
  UNRATED,
  compareSeverity,
  distroSeverityWord,
  highestCvss,
  severityOfScore,
  severityOfVendorImpact,
  type SeverityRating,
} from './severity.js';

export interface BuildIndexOptions {
  readonly schemeFor: (id: VersionSchemeId) => VersionScheme;
  /** CVE ids of the known-exploited catalogue. */
  readonly knownExploited?: ReadonlySet<string> | ReadonlyMap<string, unknown>;
}

export interface BuiltIndex {
  readonly index: AdvisoryIndex;
  readonly problems: readonly IndexProblem[];
}

const CVE_IN_ID = /(?:^|-)(CVE-[0-9]{4}-[0-9]{4,})$/;

function newestRecords(records: Iterable<OsvRecord>, problems: IndexProblem[]): { kept: OsvRecord[]; total: number; superseded: number } {
  const byId = new Map<string, { record: OsvRecord; time: number }>();
  let total = 0;
  let superseded = 0;
  for (const record of records) {
    total += 1;
    const time = Date.parse(record.modified);
    if (Number.isNaN(time)) {
      problems.push({ advisory: record.id, reason: 'invalid-modified', detail: `modified '${record.modified}' is not a date` });
      continue;
    }
    const seen = byId.get(record.id);
    if (seen === undefined) {
      byId.set(record.id, { record, time });
      continue;
    }
    superseded += 1;
    if (time > seen.time) byId.set(record.id, { record, time });
  }
  return { kept: [...byId.values()].map((value) => value.record), total, superseded };
}

function cvesOf(record: OsvRecord): string[] {
  const cves = new Set<string>();
  for (const id of [record.id, ...(record.aliases ?? []), ...(record.upstream ?? []), ...(record.related ?? [])]) {
    const match = CVE_IN_ID.exec(id);
    if (match?.[1] !== undefined) cves.add(match[1]);
  }
  return [...cves].sort();
}

function recordRating(record: OsvRecord): SeverityRating {
  const cvss = highestCvss(record.severity);
  const scored = cvss === undefined ? {} : { score: cvss.score, vector: cvss.vector };
  const ubuntu = distroSeverityWord(record.severity);
  if (ubuntu !== undefined) return { level: ubuntu, source: 'ubuntu-priority', ...scored };
  const vendor = record.summary === undefined ? undefined : severityOfVendorImpact(record.summary);
  if (vendor !== undefined) return { level: vendor, source: 'vendor-impact', ...scored };
  if (cvss !== undefined) return { level: severityOfScore(cvss.score), source: 'cvss', ...scored };
  return UNRATED;
}

function highest(ratings: readonly (SeverityRating | undefined)[]): SeverityRating | undefined {
  let best: SeverityRating | undefined;
  for (const rating of ratings) {
    if (rating?.level === undefined) continue;
    if (best?.level === undefined || compareSeverity(rating.level, best.level) > 0) best = rating;
  }
  return best;
}

/** For records nobody rated: the highest rating other records give one of the same CVEs. */
function highestRatingPerCve(records: readonly OsvRecord[], ratings: ReadonlyMap<string, SeverityRating>): Map<string, SeverityRating> {
  const byCve = new Map<string, SeverityRating>();
  for (const record of records) {
    const rating = ratings.get(record.id);
    if (rating?.level === undefined) continue;
    for (const cve of cvesOf(record)) {
      const known = byCve.get(cve);
      if (known?.level === undefined || compareSeverity(rating.level, known.level) > 0) byCve.set(cve, rating);
    }
  }
  return byCve;
}

function makeAdvisory(
  record: OsvRecord,
  ordinal: number,
  rating: SeverityRating,
  knownExploited: BuildIndexOptions['knownExploited'],
): Advisory {
  const cves = cvesOf(record);
  const exploited = knownExploited === undefined ? [] : cves.filter((cve) => knownExploited.has(cve));
  const aliases = [...new Set([...(record.aliases ?? []), ...(record.upstream ?? [])])].filter((alias) => alias !== record.id);
  return {
    id: record.id,
    ordinal,
    ...(record.summary === undefined ? {} : { summary: record.summary }),
    ...(record.published === undefined ? {} : { published: record.published }),
    modified: record.modified,
    cves,
    aliases,
    severity: rating,
    knownExploited: exploited.length > 0,
    knownExploitedCves: exploited,
  };
}

/** Builds the index once; O(records + entries). */
export function buildAdvisoryIndex(records: Iterable<OsvRecord>, options: BuildIndexOptions): BuiltIndex {
  const problems: IndexProblem[] = [];
  const { kept, total, superseded } = newestRecords(records, problems);
  const live: OsvRecord[] = [];
  let withdrawn = 0;
  for (const record of kept) {
    if (record.withdrawn === undefined) live.push(record);
    else {
      withdrawn += 1;
      problems.push({ advisory: record.id, reason: 'withdrawn', detail: `withdrawn ${record.withdrawn}` });
    }
  }
  const ratings = new Map(live.map((record) => [record.id, recordRating(record)]));
  const cveRatings = highestRatingPerCve(live, ratings);
  const releases = new Map<string, { target: EcosystemTarget; scheme: VersionScheme; packages: Map<string, AffectedEntry[]> }>();
  const advisories = new Map<string, Advisory>();
  const counters = { rejectedVersions: 0 };
  const perRelease: Record<string, number> = {};
  let entries = 0;
  let rejectedEntries = 0;
  let unsupportedEntries = 0;
  for (const record of live) {
    let rating = ratings.get(record.id) ?? UNRATED;
    if (rating.level === undefined) {
      const inherited = [...(record.upstream ?? []), ...(record.aliases ?? [])]
        .map((id) => ratings.get(id))
        .find((other) => other?.level !== undefined);
      const viaCve = inherited ?? highest(cvesOf(record).map((cve) => cveRatings.get(cve)));
      if (viaCve !== undefined) rating = { ...viaCve, source: 'alias' };
    }
    const advisory = makeAdvisory(record, advisories.size, rating, options.knownExploited);
    const recordEntries = new Map<string, { entry: AffectedEntry; packages: Map<string, AffectedEntry[]> }>();
    for (const affected of record.affected ?? []) {
      const target = parseEcosystem(affected.package.ecosystem);
      if (target === undefined) {
        unsupportedEntries += 1;
        problems.push({
          advisory: record.id,
          ecosystem: affected.package.ecosystem,
          package: affected.package.name,
          reason: 'unsupported-ecosystem',
          detail: `ecosystem '${affected.package.ecosystem}' is not served`,
        });
        continue;
      }
      let release = releases.get(target.release);
      if (release === undefined) {
        release = { target, scheme: options.schemeFor(target.scheme), packages: new Map() };
        releases.set(target.release, release);
      }
      const entry = compileEntry(affected, { advisory, target, scheme: release.scheme, problems, counters });
      if (entry === undefined) {
        rejectedEntries += 1;
        continue;
      }
      const key = [entry.release, entry.package, entry.stream, entry.moduleStream ?? ''].join('\u0000');
      const same = recordEntries.get(key);
      recordEntries.set(key, {
        entry: same === undefined ? entry : mergeEntries(same.entry, entry, release.scheme),
        packages: release.packages,
      });
    }
    for (const { entry, packages } of recordEntries.values()) {
      const list = packages.get(entry.package);
      if (list === undefined) packages.set(entry.package, [entry]);
      else list.push(entry);
      entries += 1;
      perRelease[entry.release] = (perRelease[entry.release] ?? 0) + 1;
    }
    if (recordEntries.size > 0) advisories.set(advisory.id, advisory);
  }
  const frozen = new Map<string, ReleaseIndex>();
  for (const [key, value] of releases) {
    frozen.set(key, {
      release: key,
      family: value.target.family,
      naming: value.target.naming,
      scheme: value.scheme,
      packages: value.packages,
    });
  }
  const stats = {
    records: total,
    advisories: advisories.size,
    withdrawn,
    superseded,
    entries,
    rejectedEntries,
    unsupportedEntries,
    rejectedVersions: counters.rejectedVersions,
    releases: perRelease,
  };
  return { index: new AdvisoryIndex(frozen, advisories, stats), problems };
}
