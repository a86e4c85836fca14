/**
 * `AdvisorySource`: where OSV advisory records come from (a directory, a zip archive, an HTTP
 * download cached on disk). `KnownExploitedSource`: a known-exploited catalogue (CISA KEV format).
 *
 * Ports speak our vocabulary: a source hands over records that passed its edge schema
 * (`controller/edges/advisory/osv-schema.ts`) as `OsvRecord`s and says what it skipped and why.
 * Policy (which records count, how severities map, which releases) is decided in
 * `controller/core/advisory/`, never in a source.
 */
import type { OsvRecord } from '../core/advisory/osv-record.js';

/** One record the source could not hand over: unreadable, not JSON, or failing the edge schema. */
export interface SkippedRecord {
  /** File path or archive entry name the record came from. */
  readonly origin: string;
  /** The record id when it could be read. */
  readonly advisory?: string;
  readonly reason: 'unreadable' | 'invalid-json' | 'schema';
  readonly detail: string;
}

export interface AdvisoryBatch {
  /** Identifies the content: an archive's sha256, a directory's newest mtime + count, an ETag. */
  readonly revision: string;
  readonly records: readonly OsvRecord[];
  /** Where each record came from (file path or `archive:entry`), index for index; for messages about conflicts. */
  readonly origins?: readonly string[];
  readonly skipped: readonly SkippedRecord[];
  /** True when an HTTP source served its disk cache because the origin could not be reached. */
  readonly stale: boolean;
  /** Where the batch was read from (path or URL without credentials), for logs and reports. */
  readonly location: string;
}

export interface AdvisorySource {
  /** Short name for logs, e.g. `osv-dir`, `osv-zip`, `osv-http`. */
  readonly kind: string;
  /** Reads every record. Throws `ExternalError('advisory', …)` only when nothing at all can be read. */
  load(): Promise<AdvisoryBatch>;
}

/** One known-exploited vulnerability as the catalogue lists it. */
export interface KnownExploitedEntry {
  readonly cveId: string;
  /** `YYYY-MM-DD` the catalogue added it. */
  readonly dateAdded: string;
  readonly dueDate?: string;
  readonly knownRansomwareCampaignUse?: string;
}

export interface KnownExploitedCatalogue {
  readonly revision: string;
  readonly entries: ReadonlyMap<string, KnownExploitedEntry>;
}

export interface KnownExploitedSource {
  readonly kind: string;
  load(): Promise<KnownExploitedCatalogue>;
}
