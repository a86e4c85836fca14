/**
 * The audit log: `audit.jsonl` in the state directory, append-only JSON lines, one record per
 * host step (and per halt, pause, resume, cordon). Each record carries a format version, its
 * sequence number and the SHA-256 of the record before it (`prev`), and its own hash over all its
 * other fields (`hash`), so an edited, inserted or removed record breaks the chain at that point
 * (`verifyAuditLog` names the first broken record). Every append is fsynced before it returns.
 */
import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExternalError } from '../../errors.js';

export const AUDIT_FORMAT_VERSION = 1;
export const AUDIT_FILE = 'audit.jsonl';
/** `prev` of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a caller records; the log adds `v`, `seq`, `time` (when absent), `prev` and `hash`. */
export interface AuditEntry {
  readonly time: string;
  readonly revision?: string;
  readonly rollout?: string;
  readonly ring?: string;
  readonly host?: string;
  /** `observe`, `pre-hook`, `apply`, `verify`, `reboot`, `health`, `host`, or a rollout event (`halt`, `pause` …). */
  readonly step: string;
  /** `started` (intent), `succeeded`, `failed`, `skipped`, `refused`, `recovered`, or the event's word. */
  readonly outcome: string;
  readonly before?: Readonly<Record<string, string>>;
  readonly after?: Readonly<Record<string, string>>;
  readonly durationMs?: number;
  readonly bootIdBefore?: string;
  readonly bootIdAfter?: string;
  /** The gate that failed (health check name and what it saw), or the halt reason. */
  readonly signal?: string;
  readonly message?: string;
  /** Advisories the versions of this step fix (set on `host` records). */
  readonly advisories?: readonly string[];
}

export interface AuditRecord extends AuditEntry {
  readonly v: number;
  readonly seq: number;
  readonly prev: string;
  readonly hash: string;
}

/** The hash of a record: SHA-256 over the JSON of every field but `hash`, keys in a fixed order. */
export function hashAuditRecord(record: Omit<AuditRecord, 'hash'>): string {
  const { hash: _ignored, ...fields } = record as AuditRecord;
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}

/** JSON with object keys sorted at every level, so equal records hash equally. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export type AuditVerification =
  | { readonly ok: true; readonly records: number; readonly head: string }
  | { readonly ok: false; readonly records: number; readonly line: number; readonly seq?: number; readonly reason: string };

/** Checks the chain of the log's text; names the first broken record by line and sequence number. */
export function verifyAuditText(text: string): AuditVerification {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  let prev = GENESIS_HASH;
  for (const [index, line] of lines.entries()) {
    const lineNo = index + 1;
    let record: AuditRecord;
    try {
      record = JSON.parse(line) as AuditRecord;
    } catch {
      return { ok: false, records: lines.length, line: lineNo, reason: 'not a JSON record' };
    }
    const broken = (reason: string): AuditVerification => ({ ok: false, records: lines.length, line: lineNo, seq: record.seq, reason });
    if (typeof record !== 'object' || record === null) return broken('not a JSON object');
    if (record.v !== AUDIT_FORMAT_VERSION) return broken(`format version ${String(record.v)} is not ${AUDIT_FORMAT_VERSION}`);
    if (record.seq !== lineNo)
      return broken(`sequence number ${String(record.seq)} where ${lineNo} was expected (a record was removed or inserted)`);
    if (record.prev !== prev)
      return broken('prev does not match the hash of the record before it (a record before it was removed or edited)');
    const { hash, ...rest } = record;
    if (hashAuditRecord(rest) !== hash) return broken('hash does not match the record (the record was edited)');
    prev = hash;
  }
  return { ok: true, records: lines.length, head: prev };
}

/** Parses the log (no chain check: see `verifyAuditText`). Lines that are not JSON are skipped. */
export function parseAuditText(text: string): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as AuditRecord);
    } catch {
      // verifyAuditText reports it; a report still shows the rest
    }
  }
  return records;
}

export async function readAuditText(stateDir: string): Promise<string> {
  try {
    return await readFile(join(stateDir, AUDIT_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new ExternalError('filesystem', 'AuditUnreadable', `cannot read ${join(stateDir, AUDIT_FILE)}`, { cause: error });
  }
}

/** One `append` call waiting for its record to be written. */
interface PendingAppend {
  readonly entry: AuditEntry;
  readonly resolve: (record: AuditRecord) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Appends records to one state directory's audit log. One writer per state directory (the state
 * store's exclusive lock guarantees it); appends from concurrent host sequences are serialised here,
 * in call order, and committed in groups: the appends that arrive while one write + fsync is under
 * way are written together by the next one, with ONE fsync (each promise still resolves only once
 * its own record is durable). With 50 hosts reaching a step boundary together this is one fsync
 * instead of 50 in a row (bench/rollout: the one-at-a-time queue cost each host ~3 s of waiting).
 */
export class AuditLog {
  readonly path: string;
  #pending: PendingAppend[] = [];
  #flushing = false;
  #head: { seq: number; hash: string } | undefined;

  constructor(stateDir: string) {
    this.path = join(stateDir, AUDIT_FILE);
  }

  /** Appends one record (fsynced before the promise resolves) and returns it as written. */
  append(entry: AuditEntry): Promise<AuditRecord> {
    return new Promise<AuditRecord>((resolve, reject) => {
      this.#pending.push({ entry, resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #loadHead(): Promise<{ seq: number; hash: string }> {
    if (this.#head !== undefined) return this.#head;
    const text = await readAuditText(this.path.slice(0, -AUDIT_FILE.length - 1));
    const records = parseAuditText(text);
    const last = records.at(-1);
    this.#head = last === undefined ? { seq: 0, hash: GENESIS_HASH } : { seq: last.seq, hash: last.hash };
    return this.#head;
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#pending.length > 0) {
        const group = this.#pending.splice(0);
        try {
          const records = await this.#write(group.map((item) => item.entry));
          for (const [index, item] of group.entries()) item.resolve(records[index] as AuditRecord);
        } catch (error) {
          for (const item of group) item.reject(error);
        }
      }
    } finally {
      this.#flushing = false;
    }
  }

  /** Chains, writes and fsyncs `entries` in order; the head moves only when all of them are durable. */
  async #write(entries: readonly AuditEntry[]): Promise<AuditRecord[]> {
    let head = await this.#loadHead();
    const records = entries.map((entry) => {
      const clean = Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined)) as unknown as AuditEntry;
      const unsigned = { v: AUDIT_FORMAT_VERSION, seq: head.seq + 1, ...clean, prev: head.hash };
      const record: AuditRecord = { ...unsigned, hash: hashAuditRecord(unsigned) };
      head = { seq: record.seq, hash: record.hash };
      return record;
    });
    const file = await open(this.path, 'a', 0o600);
    try {
      await file.write(records.map((record) => `${JSON.stringify(record)}\n`).join(''));
      await file.sync();
    } catch (error) {
      throw new ExternalError('filesystem', 'AuditWriteFailed', `cannot append to ${this.path}`, { cause: error });
    } finally {
      await file.close();
    }
    this.#head = head;
    return records;
  }
}
