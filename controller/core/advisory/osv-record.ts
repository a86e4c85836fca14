/**
 * The part of an OSV record (https://ossf.github.io/osv-schema/) that patchward reads, after the
 * edge schema (`controller/edges/advisory/osv-schema.ts`) accepted it. Only `id`, `modified` and
 * `affected[].package.{ecosystem,name}` are required; everything else is optional and checked for
 * its type only. Unknown fields are allowed and ignored.
 */

export interface OsvEvent {
  readonly introduced?: string;
  readonly fixed?: string;
  readonly last_affected?: string;
  readonly limit?: string;
}

export interface OsvRange {
  readonly type: string;
  readonly events: readonly OsvEvent[];
}

export interface OsvSeverity {
  /** `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, or a distribution's own word (Ubuntu: `Ubuntu`). */
  readonly type: string;
  readonly score: string;
}

export interface OsvAffected {
  readonly package: { readonly ecosystem: string; readonly name: string; readonly purl?: string };
  readonly ranges?: readonly OsvRange[];
  readonly versions?: readonly string[];
  readonly severity?: readonly OsvSeverity[];
  readonly ecosystem_specific?: Readonly<Record<string, unknown>>;
  readonly database_specific?: Readonly<Record<string, unknown>>;
}

export interface OsvRecord {
  readonly id: string;
  readonly modified: string;
  readonly published?: string;
  readonly withdrawn?: string;
  readonly summary?: string;
  readonly details?: string;
  readonly aliases?: readonly string[];
  readonly upstream?: readonly string[];
  readonly related?: readonly string[];
  readonly severity?: readonly OsvSeverity[];
  readonly affected?: readonly OsvAffected[];
  readonly database_specific?: Readonly<Record<string, unknown>>;
}
