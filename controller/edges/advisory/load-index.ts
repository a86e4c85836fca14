/**
 * Loads advisory sources (and optionally a known-exploited catalogue), builds the index, and logs
 * everything that was dropped: unreadable or schema-failing records and entries or versions that
 * fail the release's grammar at `warn` with the `advisory` field; withdrawn records at `info`;
 * superseded copies and ecosystems we do not serve at `debug`.
 *
 * Integrity: two copies of one record id with the same `modified` time but different content
 * (a feed that was tampered with, or two sources that disagree) refuse the load with
 * `AdvisoryRecordConflict`, naming the id and both origins: neither file-name order nor source
 * order may decide which one counts. Identical copies are harmless and kept once.
 */
import type { VersionScheme, VersionSchemeId } from '../../ports/version-scheme.js';
import type { AdvisoryBatch, AdvisorySource, KnownExploitedCatalogue, KnownExploitedSource } from '../../ports/advisory-source.js';
import { buildAdvisoryIndex } from '../../core/advisory/build-index.js';
import type { AdvisoryIndex } from '../../core/advisory/advisory-index.js';
import type { IndexProblem } from '../../core/advisory/advisory.js';
import type { OsvRecord } from '../../core/advisory/osv-record.js';
import type { Logger } from '../../log.js';
import { StalledError } from '../../errors.js';

export interface LoadIndexOptions {
  readonly sources: readonly AdvisorySource[];
  readonly knownExploited?: KnownExploitedSource;
  readonly schemeFor: (id: VersionSchemeId) => VersionScheme;
  readonly logger: Logger;
}

export interface LoadedIndex {
  readonly index: AdvisoryIndex;
  readonly batches: readonly (Omit<AdvisoryBatch, 'records'> & { readonly recordCount: number })[];
  readonly problems: readonly IndexProblem[];
  readonly knownExploited?: KnownExploitedCatalogue;
  readonly timings: { readonly loadMs: number; readonly buildMs: number };
}

function logProblem(logger: Logger, problem: IndexProblem): void {
  const fields = {
    advisory: problem.advisory,
    reason: problem.reason,
    ecosystem: problem.ecosystem,
    package: problem.package,
    version: problem.version,
    detail: problem.detail,
  };
  if (problem.reason === 'withdrawn') logger.info(fields, 'advisory withdrawn, excluded');
  else if (problem.reason === 'unsupported-ecosystem' || problem.reason === 'superseded')
    logger.debug(fields, 'advisory entry not indexed');
  else logger.warn(fields, 'advisory data rejected');
}

/** Refuses two different records with the same id and the same `modified` time (see the module comment). */
export function checkRecordConflicts(batches: readonly AdvisoryBatch[]): void {
  const seen = new Map<string, { time: number; record: OsvRecord; origin: string }>();
  for (const batch of batches) {
    batch.records.forEach((record, index) => {
      const origin = batch.origins?.[index] ?? batch.location;
      const time = Date.parse(record.modified);
      const earlier = seen.get(record.id);
      if (earlier === undefined || earlier.time !== time) {
        if (earlier === undefined || time > earlier.time) seen.set(record.id, { time, record, origin });
        return;
      }
      if (Number.isNaN(time) || JSON.stringify(earlier.record) === JSON.stringify(record)) return;
      throw new StalledError(
        'AdvisoryRecordConflict',
        `advisory ${record.id} has two different records with the same modified time ${record.modified}: ${earlier.origin} and ${origin}; refusing to choose one (remove the wrong copy)`,
        { context: { advisory: record.id, first: earlier.origin, second: origin } },
      );
    });
  }
}

export async function loadAdvisoryIndex(options: LoadIndexOptions): Promise<LoadedIndex> {
  const log = options.logger;
  const started = performance.now();
  const [batches, knownExploited] = await Promise.all([
    Promise.all(options.sources.map((source) => source.load())),
    options.knownExploited?.load(),
  ]);
  checkRecordConflicts(batches);
  const records: OsvRecord[] = [];
  for (const batch of batches) {
    for (const skipped of batch.skipped) {
      log.warn(
        { advisory: skipped.advisory, origin: skipped.origin, location: batch.location, reason: skipped.reason, detail: skipped.detail },
        'advisory record skipped',
      );
    }
    for (const record of batch.records) records.push(record);
    log.info(
      {
        location: batch.location,
        revision: batch.revision,
        records: batch.records.length,
        skipped: batch.skipped.length,
        stale: batch.stale,
      },
      'advisory source loaded',
    );
  }
  const loaded = performance.now();
  const { index, problems } = buildAdvisoryIndex(records, {
    schemeFor: options.schemeFor,
    ...(knownExploited === undefined ? {} : { knownExploited: knownExploited.entries }),
  });
  for (const problem of problems) logProblem(log, problem);
  const built = performance.now();
  log.info({ ...index.stats, releases: undefined, buildMs: Math.round(built - loaded) }, 'advisory index built');
  return {
    index,
    batches: batches.map(({ records: batchRecords, ...rest }) => ({ ...rest, recordCount: batchRecords.length })),
    problems,
    ...(knownExploited === undefined ? {} : { knownExploited }),
    timings: { loadMs: loaded - started, buildMs: built - loaded },
  };
}
