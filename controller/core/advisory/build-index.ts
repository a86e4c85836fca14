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
import type { Advisory, AffectedEntry, AffectedInterval, IndexProblem } from './advisory.js';
import { AdvisoryIndex, lowestFixLeavingAll, type ReleaseIndex } from './advisory-index.js';
import { parseEcosystem, type EcosystemTarget } from './ecosystem.js';
import type { OsvAffected, OsvEvent, OsvRecord } from './osv-record.js';
import {
  UNRATED,
  compareSeverity,
  distroSeverityWord,
  highestCvss,
  severityOfDebianUrgency,
  severityOfScore,
  severityOfUbuntuPriority,
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

function entryRating(affected: OsvAffected, advisory: SeverityRating): SeverityRating {
  const specific = affected.ecosystem_specific;
  const scored = advisory.score === undefined ? {} : { score: advisory.score, vector: advisory.vector };
  const priority = specific?.['ubuntu_priority'];
  if (typeof priority === 'string') {
    const level = severityOfUbuntuPriority(priority);
    if (level !== undefined) return { level, source: 'ubuntu-priority', ...scored };
  }
  const urgency = specific?.['urgency'];
  if (typeof urgency === 'string') {
    const level = severityOfDebianUrgency(urgency);
    if (level !== undefined) return { level, source: 'debian-urgency', ...scored };
  }
  const cvss = highestCvss(affected.severity);
  if (cvss !== undefined && advisory.level === undefined)
    return { level: severityOfScore(cvss.score), source: 'cvss', score: cvss.score, vector: cvss.vector };
  return advisory;
}

function eventVersion(event: OsvEvent): string | undefined {
  return event.introduced ?? event.fixed ?? event.last_affected ?? event.limit;
}

/** OSV: a limit containing `*` is infinity. */
function isInfiniteLimit(version: string): boolean {
  return version.includes('*');
}

/** The bound of a range: its highest finite limit; undefined when it has none or an infinite one. */
function rangeLimit(events: readonly OsvEvent[], scheme: VersionScheme): string | undefined {
  let highestLimit: string | undefined;
  for (const event of events) {
    if (event.limit === undefined) continue;
    if (isInfiniteLimit(event.limit)) return undefined;
    if (highestLimit === undefined || scheme.compare(event.limit, highestLimit) > 0) highestLimit = event.limit;
  }
  return highestLimit;
}

function compileEvents(events: readonly OsvEvent[], scheme: VersionScheme): AffectedInterval[] {
  const limit = rangeLimit(events, scheme);
  const bound = limit === undefined ? {} : { limit };
  const sorted = events
    .filter((event) => event.limit === undefined)
    .sort((a, b) => {
      const va = eventVersion(a);
      const vb = eventVersion(b);
      if (va === vb) return 0;
      if (a.introduced === '0') return -1;
      if (b.introduced === '0') return 1;
      return va === undefined || vb === undefined ? 0 : scheme.compare(va, vb);
    });
  const intervals: AffectedInterval[] = [];
  let open: { introduced?: string } | undefined;
  for (const event of sorted) {
    if (event.introduced !== undefined) {
      if (open === undefined) open = event.introduced === '0' ? {} : { introduced: event.introduced };
    } else if (event.fixed !== undefined) {
      if (open !== undefined) intervals.push({ ...open, fixed: event.fixed, ...bound });
      open = undefined;
    } else if (event.last_affected !== undefined) {
      if (open !== undefined) intervals.push({ ...open, lastAffected: event.last_affected, ...bound });
      open = undefined;
    }
  }
  if (open !== undefined) intervals.push({ ...open, ...bound });
  return intervals;
}

const MODULE_TAG = /\.(module[_+]el[0-9]+(?:\.[0-9]+)*\+[0-9]+\+[0-9a-f]+)/;

/** `name:stream` of an `rpmmod` purl qualifier (`pkg:rpm/…?rpmmod=nodejs:18:8090…:a751…`). */
function purlModule(purl: string | undefined): string | undefined {
  const query = purl?.split('#')[0]?.split('?')[1];
  if (query === undefined) return undefined;
  for (const pair of query.split('&')) {
    const [key, value] = pair.split('=');
    if (key !== 'rpmmod' || value === undefined) continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(value);
    } catch {
      return undefined;
    }
    const [name, stream] = decoded.split(':');
    if (name) return stream ? `${name}:${stream}` : name;
  }
  return undefined;
}

/** The module stream an entry describes, when it names one (see `AffectedEntry.moduleStream`). */
function moduleStreamOf(affected: OsvAffected, intervals: readonly AffectedInterval[]): string | undefined {
  const fromPurl = purlModule(affected.package.purl);
  if (fromPurl !== undefined) return fromPurl;
  for (const specific of [affected.ecosystem_specific, affected.database_specific]) {
    const module = specific?.['module'];
    if (typeof module === 'string' && module !== '') return module;
  }
  for (const interval of intervals) {
    const tag = MODULE_TAG.exec(interval.fixed ?? interval.lastAffected ?? interval.introduced ?? '');
    if (tag?.[1] !== undefined) return tag[1];
  }
  return undefined;
}

/** Every `fixed` version, ascending, each once. */
function fixedCandidates(intervals: readonly AffectedInterval[], scheme: VersionScheme): string[] {
  const fixes = [...new Set(intervals.flatMap((interval) => (interval.fixed === undefined ? [] : [interval.fixed])))];
  return fixes.sort((a, b) => scheme.compare(a, b));
}

function withFix(entry: Omit<AffectedEntry, 'fixed' | 'fixedCandidates'>, scheme: VersionScheme): AffectedEntry {
  const candidates = fixedCandidates(entry.intervals, scheme);
  const complete: AffectedEntry = { ...entry, fixedCandidates: candidates };
  const fixed = lowestFixLeavingAll(complete, undefined, scheme);
  return fixed === undefined ? complete : { ...complete, fixed };
}

/** Two entries of one record for the same package and stream, as one (ranges and versions unioned). */
function mergeEntries(first: AffectedEntry, second: AffectedEntry, scheme: VersionScheme): AffectedEntry {
  const { fixed: _fixed, fixedCandidates: _candidates, ...rest } = first;
  const versions = new Set([...(first.versions ?? []), ...(second.versions ?? [])]);
  const severity = compareSeverityRatings(second.severity, first.severity) > 0 ? second.severity : first.severity;
  return withFix(
    { ...rest, intervals: [...first.intervals, ...second.intervals], ...(versions.size === 0 ? {} : { versions }), severity },
    scheme,
  );
}

function compareSeverityRatings(a: SeverityRating, b: SeverityRating): number {
  if (a.level === undefined) return b.level === undefined ? 0 : -1;
  if (b.level === undefined) return 1;
  return compareSeverity(a.level, b.level);
}

interface EntryContext {
  readonly advisory: Advisory;
  readonly target: EcosystemTarget;
  readonly scheme: VersionScheme;
  readonly problems: IndexProblem[];
  readonly counters: { rejectedVersions: number };
}

function compileEntry(affected: OsvAffected, context: EntryContext): AffectedEntry | undefined {
  const { advisory, target, scheme, problems } = context;
  const { ecosystem, name } = affected.package;
  const where = { advisory: advisory.id, ecosystem, package: name };
  if (!scheme.isValidPackageName(name)) {
    problems.push({ ...where, reason: 'invalid-package-name', detail: `'${name}' is not a valid ${scheme.id} package name` });
    return undefined;
  }
  const ranges = (affected.ranges ?? []).filter((range) => range.type === 'ECOSYSTEM');
  for (const range of ranges) {
    for (const event of range.events) {
      const version = eventVersion(event);
      if (version === undefined || (event.introduced === '0' && version === '0')) continue;
      if (event.limit !== undefined && isInfiniteLimit(event.limit)) continue;
      if (!scheme.isValidVersion(version)) {
        problems.push({
          ...where,
          version,
          reason: 'invalid-version',
          detail: `range version '${version}' is not a valid ${scheme.id} version`,
        });
        return undefined;
      }
    }
  }
  const intervals = ranges.flatMap((range) => compileEvents(range.events, scheme));
  const versions = new Set<string>();
  for (const version of affected.versions ?? []) {
    if (scheme.isValidVersion(version)) versions.add(version);
    else {
      context.counters.rejectedVersions += 1;
      problems.push({
        ...where,
        version,
        reason: 'invalid-version',
        detail: `listed version '${version}' is not a valid ${scheme.id} version`,
      });
    }
  }
  if (intervals.length === 0 && versions.size === 0) {
    problems.push({ ...where, reason: 'no-usable-range', detail: 'no ECOSYSTEM range and no valid versions list' });
    return undefined;
  }
  const moduleStream = moduleStreamOf(affected, intervals);
  return withFix(
    {
      advisory,
      ecosystem,
      release: target.release,
      stream: target.stream,
      naming: target.naming,
      package: name,
      intervals,
      ...(versions.size === 0 ? {} : { versions }),
      ...(moduleStream === undefined ? {} : { moduleStream }),
      severity: entryRating(affected, advisory.severity),
    },
    scheme,
  );
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
