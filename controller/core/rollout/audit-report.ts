/**
 * What an auditor asks of the audit log: what was patched, when, with which result; which
 * advisories each host now has fixed; and the time from an advisory's publication to its fix on
 * each host (median, 95th percentile, hosts beyond the SLA). Pure: records and publication dates in.
 */

/** The fields of an audit record the report reads (see edges/status/audit-log.ts). */
export interface AuditFacts {
  readonly seq: number;
  readonly time: string;
  readonly rollout?: string;
  readonly ring?: string;
  readonly host?: string;
  readonly step: string;
  readonly outcome: string;
  readonly before?: Readonly<Record<string, string>>;
  readonly after?: Readonly<Record<string, string>>;
  readonly advisories?: readonly string[];
  readonly signal?: string;
  readonly message?: string;
}

export interface PatchedRow {
  readonly time: string;
  readonly rollout: string;
  readonly ring: string;
  readonly host: string;
  readonly result: string;
  readonly changes: string;
  readonly advisories: readonly string[];
  readonly detail: string;
}

export interface FixLatency {
  readonly host: string;
  readonly advisory: string;
  readonly published: string;
  readonly fixed: string;
  readonly days: number;
}

export interface AuditReport {
  readonly since?: string;
  readonly patched: readonly PatchedRow[];
  /** Host → advisories fixed on it (by rollouts in the log). */
  readonly fixed: Readonly<Record<string, readonly string[]>>;
  readonly latency: {
    readonly fixes: readonly FixLatency[];
    readonly medianDays?: number;
    readonly p95Days?: number;
    readonly slaDays: number;
    readonly beyondSla: readonly FixLatency[];
    /** Advisories fixed whose publication date is unknown (no advisory source given, or not in it). */
    readonly unknownPublication: readonly string[];
  };
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

function median(sorted: readonly number[]): number | undefined {
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function changesOf(record: AuditFacts): string {
  return Object.entries(record.after ?? {})
    .map(([name, version]) => `${name} ${record.before?.[name] || '(none)'}→${version}`)
    .join(', ');
}

export function buildAuditReport(
  records: readonly AuditFacts[],
  published: ReadonlyMap<string, string>,
  options: { readonly since?: Date; readonly slaDays: number },
): AuditReport {
  const since = options.since?.getTime() ?? Number.NEGATIVE_INFINITY;
  const hostRecords = records.filter(
    (record) =>
      record.step === 'host' &&
      (record.outcome === 'succeeded' || record.outcome === 'failed') &&
      record.host !== undefined &&
      Date.parse(record.time) >= since,
  );
  const patched: PatchedRow[] = hostRecords.map((record) => ({
    time: record.time,
    rollout: record.rollout ?? '',
    ring: record.ring ?? '',
    host: record.host ?? '',
    result: record.outcome,
    changes: changesOf(record),
    advisories: record.advisories ?? [],
    detail: record.outcome === 'failed' ? (record.signal ?? record.message ?? '') : '',
  }));
  const fixed: Record<string, string[]> = {};
  const firstFix = new Map<string, { host: string; advisory: string; time: string }>();
  for (const record of records) {
    if (record.step !== 'host' || record.outcome !== 'succeeded' || record.host === undefined) continue;
    for (const advisory of record.advisories ?? []) {
      const list = fixed[record.host] ?? [];
      fixed[record.host] = list;
      if (!list.includes(advisory)) list.push(advisory);
      const key = `${record.host}\0${advisory}`;
      if (!firstFix.has(key)) firstFix.set(key, { host: record.host, advisory, time: record.time });
    }
  }
  for (const list of Object.values(fixed)) list.sort();
  const fixes: FixLatency[] = [];
  const unknown = new Set<string>();
  for (const fix of firstFix.values()) {
    if (Date.parse(fix.time) < since) continue;
    const at = published.get(fix.advisory);
    if (at === undefined) {
      unknown.add(fix.advisory);
      continue;
    }
    fixes.push({ ...fix, published: at, fixed: fix.time, days: (Date.parse(fix.time) - Date.parse(at)) / 86_400_000 });
  }
  const sorted = fixes.map((fix) => fix.days).sort((a, b) => a - b);
  const medianDays = median(sorted);
  const p95Days = percentile(sorted, 95);
  return {
    ...(options.since === undefined ? {} : { since: options.since.toISOString() }),
    patched,
    fixed,
    latency: {
      fixes,
      ...(medianDays === undefined ? {} : { medianDays }),
      ...(p95Days === undefined ? {} : { p95Days }),
      slaDays: options.slaDays,
      beyondSla: fixes.filter((fix) => fix.days > options.slaDays),
      unknownPublication: [...unknown].sort(),
    },
  };
}
