import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, unlink } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { err, ExternalError, isPatchwardError, ok, type Result, StalledError } from '../../../errors.js';
import {
  isValidStateKind,
  isValidStateName,
  STATE_ERROR_CODES,
  type StateCondition,
  type StateConflict,
  type StateDocumentType,
  type StateStore,
  type StoredDocument,
} from '../../../ports/state-store.js';
import { isNotFound, syncDirectory, TEMPORARY_PREFIX, unlinkDurably, type WriteFaults, writeFileAtomic } from './atomic-file.js';
import { fileStemOf } from './file-names.js';
import { acquireStateLock, type StateLock } from './state-lock.js';
import { readStoreMarker, STORE_FORMAT, writeStoreMarker } from './store-marker.js';

/** Envelope of every document file: the store's format, the key, the type's version, the revision. */
interface Envelope {
  readonly format: number;
  readonly kind: string;
  readonly name: string;
  readonly version: number;
  readonly revision: string;
  readonly data: unknown;
}

const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

export interface LocalStateStoreOptions {
  /** The state directory (`--state DIR`; see `controller/config/state-dir.ts` for the default). */
  readonly directory: string;
  /** Read-only: no lock, nothing created; `put`/`delete` throw Stalled `StateReadOnly`. */
  readonly readOnly?: boolean;
  /** The time recorded in the lock owner file. */
  readonly now: Date;
  /** Fault injection for tests (crash between write and rename). */
  readonly faults?: WriteFaults;
}

/**
 * Opens a state directory: `<dir>/store.json` (the store's format), `<dir>/<kind>/<name>.json`
 * (one document each), `lock.db` + `lock-owner.json` (the exclusive lock, ADR 0005). Opening for
 * writing creates the directory (0700), takes the lock and removes temporary files a crashed writer
 * left; a newer store format is refused (Stalled `StateFormatTooNew`).
 */
export async function openLocalStateStore(options: LocalStateStoreOptions): Promise<LocalStateStore> {
  const { directory } = options;
  if (options.readOnly === true) {
    await readStoreMarker(directory);
    return new LocalStateStore(directory, undefined, {});
  }
  try {
    const created = await mkdir(directory, { recursive: true, mode: 0o700 });
    // A new directory's own entry must be durable too: fsync the parent of the first one created.
    if (created !== undefined) await syncDirectory(dirname(created));
  } catch (cause) {
    throw ioError(`cannot create state directory ${directory}`, cause, directory);
  }
  const lock = await acquireStateLock(directory, options.now);
  try {
    const marker = await readStoreMarker(directory);
    if (marker === undefined) await writeStoreMarker(directory);
    await removeTemporaryFiles(directory);
  } catch (error) {
    lock.release();
    throw isPatchwardError(error) ? error : ioError(`cannot prepare state directory ${directory}`, error, directory);
  }
  return new LocalStateStore(directory, lock, options.faults ?? {});
}

/** `StateStore` on a local directory. Build it with `openLocalStateStore`. */
export class LocalStateStore implements StateStore {
  readonly location: string;
  readonly #lock: StateLock | undefined;
  readonly #faults: WriteFaults;
  /** One operation at a time per document (kind + name) within this process. */
  readonly #queues = new Map<string, Promise<unknown>>();
  #closed = false;

  constructor(directory: string, lock: StateLock | undefined, faults: WriteFaults) {
    this.location = directory;
    this.#lock = lock;
    this.#faults = faults;
  }

  get writable(): boolean {
    return this.#lock !== undefined && !this.#closed;
  }

  async get<T>(type: StateDocumentType<T>, name: string): Promise<StoredDocument<T> | undefined> {
    const path = this.#path(type, name);
    return this.#serialised(type.kind, name, () => this.#read(type, name, path));
  }

  async list<T>(type: StateDocumentType<T>): Promise<StoredDocument<T>[]> {
    checkKind(type.kind);
    const directory = join(this.location, type.kind);
    let entries: string[];
    try {
      entries = await readdir(directory);
    } catch (cause) {
      if (isNotFound(cause)) return [];
      throw ioError(`cannot list ${directory}`, cause, directory);
    }
    const documents: StoredDocument<T>[] = [];
    for (const entry of entries.sort()) {
      if (entry.startsWith('.') || !entry.endsWith('.json')) continue;
      const document = await this.#read(type, undefined, join(directory, entry));
      if (document !== undefined) documents.push(document);
    }
    return documents.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async put<T>(
    type: StateDocumentType<T>,
    name: string,
    value: T,
    condition?: StateCondition,
  ): Promise<Result<StoredDocument<T>, StateConflict>> {
    const path = this.#path(type, name);
    this.#checkWritable(type.kind, name);
    return this.#serialised(type.kind, name, async () => {
      const current = await this.#read(type, name, path);
      const conflict = conflictOf(type.kind, name, current, condition);
      if (conflict !== undefined) return err(conflict);
      const revision = nextRevision(current?.revision);
      const envelope: Envelope = { format: STORE_FORMAT, kind: type.kind, name, version: type.version, revision, data: value };
      try {
        if ((await mkdir(join(this.location, type.kind), { recursive: true, mode: 0o700 })) !== undefined)
          await syncDirectory(this.location);
        await writeFileAtomic(path, `${JSON.stringify(envelope, null, 2)}\n`, this.#faults);
      } catch (cause) {
        throw ioError(`cannot write state document ${type.kind}/${name} in ${this.location}`, cause, path);
      }
      return ok({ kind: type.kind, name, revision, value });
    });
  }

  async delete<T>(type: StateDocumentType<T>, name: string, condition?: StateCondition): Promise<Result<void, StateConflict>> {
    const path = this.#path(type, name);
    this.#checkWritable(type.kind, name);
    return this.#serialised(type.kind, name, async () => {
      const current = await this.#read(type, name, path);
      const conflict = conflictOf(type.kind, name, current, condition);
      if (conflict !== undefined) return err(conflict);
      try {
        await unlinkDurably(path);
      } catch (cause) {
        throw ioError(`cannot delete state document ${type.kind}/${name} in ${this.location}`, cause, path);
      }
      return ok(undefined);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#queues.values()]);
    this.#lock?.release();
  }

  #path(type: StateDocumentType<unknown>, name: string): string {
    checkKind(type.kind);
    if (!isValidStateName(name)) {
      throw new StalledError(STATE_ERROR_CODES.invalidKey, `state document name ${JSON.stringify(name.slice(0, 80))} is not valid`, {
        context: { kind: type.kind },
      });
    }
    return join(this.location, type.kind, `${fileStemOf(name)}.json`);
  }

  #checkWritable(kind: string, name: string): void {
    if (this.writable) return;
    const why = this.#closed ? 'it is closed' : 'it was opened read-only';
    throw new StalledError(STATE_ERROR_CODES.readOnly, `cannot change ${kind}/${name} in state directory ${this.location}: ${why}`, {
      context: { kind, name },
    });
  }

  async #serialised<R>(kind: string, name: string, task: () => Promise<R>): Promise<R> {
    const key = `${kind}\u0000${name}`;
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    this.#queues.set(key, settled);
    void settled.then(() => {
      if (this.#queues.get(key) === settled) this.#queues.delete(key);
    });
    return next;
  }

  /** Reads and checks one document file; `expectedName` undefined when listing. */
  async #read<T>(type: StateDocumentType<T>, expectedName: string | undefined, path: string): Promise<StoredDocument<T> | undefined> {
    let text: string;
    try {
      text = await readSmallFile(path);
    } catch (cause) {
      if (isNotFound(cause)) return undefined;
      if (isPatchwardError(cause)) throw cause;
      throw ioError(`cannot read state document ${path}`, cause, path);
    }
    const invalid = (why: string, cause?: unknown): StalledError =>
      new StalledError(STATE_ERROR_CODES.documentInvalid, `state document ${path} cannot be used: ${why}; repair or remove it`, {
        cause,
        context: { path, kind: type.kind },
      });
    let envelope: Partial<Envelope>;
    try {
      envelope = JSON.parse(text) as Partial<Envelope>;
    } catch (cause) {
      throw invalid('it is not JSON', cause);
    }
    if (typeof envelope !== 'object' || envelope === null) throw invalid('it is not a JSON object');
    if (typeof envelope.format !== 'number' || !Number.isInteger(envelope.format)) throw invalid('field "format" is missing');
    if (envelope.format > STORE_FORMAT) {
      throw new StalledError(
        STATE_ERROR_CODES.formatTooNew,
        `state document ${path} has store format ${envelope.format}, newer than the ${STORE_FORMAT} this patchward knows; ` +
          'it was written by a newer patchward: upgrade this one',
        { context: { path, format: envelope.format } },
      );
    }
    if (envelope.kind !== type.kind) throw invalid(`field "kind" is ${JSON.stringify(envelope.kind)}, not "${type.kind}"`);
    if (typeof envelope.name !== 'string' || !isValidStateName(envelope.name)) throw invalid('field "name" is missing or invalid');
    if (expectedName !== undefined && envelope.name !== expectedName) {
      throw invalid(`field "name" is ${JSON.stringify(envelope.name)}, not ${JSON.stringify(expectedName)}`);
    }
    if (expectedName === undefined && `${fileStemOf(envelope.name)}.json` !== path.slice(path.lastIndexOf('/') + 1)) {
      throw invalid(`its file name does not belong to name ${JSON.stringify(envelope.name)}`);
    }
    if (typeof envelope.revision !== 'string' || envelope.revision === '') throw invalid('field "revision" is missing');
    const version = envelope.version;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) throw invalid('field "version" is missing');
    if (version > type.version) {
      throw new StalledError(
        STATE_ERROR_CODES.formatTooNew,
        `state document ${path} is ${type.kind} version ${version}, newer than the ${type.version} this patchward knows; ` +
          'it was written by a newer patchward: upgrade this one',
        { context: { path, kind: type.kind, version } },
      );
    }
    const decoded = type.decode(envelope.data, version);
    if (!decoded.ok) throw invalid(decoded.error);
    return { kind: type.kind, name: envelope.name, revision: envelope.revision, value: decoded.value };
  }
}

function conflictOf(
  kind: string,
  name: string,
  current: StoredDocument<unknown> | undefined,
  condition: StateCondition,
): StateConflict | undefined {
  if (condition === undefined) return undefined;
  const actual = current?.revision ?? 'absent';
  const expected = 'absent' in condition ? 'absent' : condition.revision;
  return actual === expected ? undefined : { code: 'StateConflict', kind, name, expected, actual };
}

/** `<counter>-<random>`: the counter is for people; the random part keeps a re-created document from reusing a revision. */
function nextRevision(previous: string | undefined): string {
  const counter = previous === undefined ? 0 : Number.parseInt(previous, 10);
  return `${(Number.isSafeInteger(counter) ? counter : 0) + 1}-${randomBytes(4).toString('hex')}`;
}

function checkKind(kind: string): void {
  if (!isValidStateKind(kind)) {
    throw new StalledError(STATE_ERROR_CODES.invalidKey, `state document kind ${JSON.stringify(kind)} is not kebab-case`, {
      context: { kind },
    });
  }
}

/** Reads a regular file (never through a symlink, never a FIFO) of at most 16 MiB. */
async function readSmallFile(path: string): Promise<string> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      throw new StalledError(STATE_ERROR_CODES.documentInvalid, `state document ${path} is not a regular file`, { context: { path } });
    }
    if (stat.size > MAX_DOCUMENT_BYTES) {
      throw new StalledError(STATE_ERROR_CODES.documentInvalid, `state document ${path} is larger than ${MAX_DOCUMENT_BYTES} bytes`, {
        context: { path },
      });
    }
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** Removes temporary files of writes that died before their rename (only while holding the lock). */
async function removeTemporaryFiles(directory: string): Promise<void> {
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    for (const file of await readdir(join(directory, entry.name))) {
      if (file.startsWith(TEMPORARY_PREFIX)) await unlink(join(directory, entry.name, file)).catch(() => undefined);
    }
  }
  for (const file of await readdir(directory)) {
    if (file.startsWith(TEMPORARY_PREFIX)) await unlink(join(directory, file)).catch(() => undefined);
  }
}

function ioError(message: string, cause: unknown, path: string): ExternalError {
  return new ExternalError('filesystem', STATE_ERROR_CODES.io, message, { cause, context: { path } });
}
