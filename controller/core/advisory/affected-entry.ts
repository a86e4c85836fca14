/**
 * One `affected[]` entry of an OSV record, compiled for matching (see build-index.ts for the
 * rules): ECOSYSTEM ranges as intervals (`limit` bounds, `last_affected` inclusive), the
 * `versions` list kept beside them (a union), the lowest fix that leaves every range, the module
 * stream it names, and the merge of two entries of one record for the same package and stream.
 */
import type { VersionScheme } from '../../ports/version-scheme.js';
import type { Advisory, AffectedEntry, AffectedInterval, IndexProblem } from './advisory.js';
import { lowestFixLeavingAll } from './advisory-index.js';
import type { EcosystemTarget } from './ecosystem.js';
import type { OsvAffected, OsvEvent } from './osv-record.js';
import {
  compareSeverity,
  highestCvss,
  severityOfDebianUrgency,
  severityOfScore,
  severityOfUbuntuPriority,
  type SeverityRating,
} from './severity.js';

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
export function mergeEntries(first: AffectedEntry, second: AffectedEntry, scheme: VersionScheme): AffectedEntry {
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

export interface EntryContext {
  readonly advisory: Advisory;
  readonly target: EcosystemTarget;
  readonly scheme: VersionScheme;
  readonly problems: IndexProblem[];
  readonly counters: { rejectedVersions: number };
}

export function compileEntry(affected: OsvAffected, context: EntryContext): AffectedEntry | undefined {
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
