/**
 * `StateStore`: the small store of progress the hosts cannot tell (DESIGN.md "Where state lives"):
 * halts, pauses, cordons, soak start times, attempts, intents recorded before each side effect,
 * host keys trusted on first use. Implementations: a local directory (`edges/state/local/`), later
 * Kubernetes (custom-resource status / Leases).
 *
 * A document is keyed by a kind (one `StateDocumentType` per kind, kebab-case: `host-key`,
 * `rollout-progress`, `halt` …) and a name (a host, a ring, `policy/ring`). Every document carries
 * its type's format `version`; a document written by a newer patchward (a higher version than the
 * reading code knows) is refused with a Stalled error, never misread. Every document has a
 * `revision` that changes on each write; writes and deletes may be conditional on it
 * (compare-and-swap), so two writers in one process never lose each other's update silently.
 *
 * One process at a time drives one store: opening a store for writing takes an exclusive lock
 * (Stalled `StateLocked` when another live process holds it). Read-only opens take no lock.
 *
 * Outcomes a caller expects (a conflict) are returned as `Result`; failures are thrown as
 * `PatchwardError`s with one of `STATE_ERROR_CODES`.
 */
import type { Result } from '../errors.js';

/** How one kind of document is stored: its kind, the version this code writes, and its decoder. */
export interface StateDocumentType<T> {
  /** Kebab-case, `^[a-z][a-z0-9-]{0,62}$`: a directory name locally, a label value in Kubernetes. */
  readonly kind: string;
  /** The format version this code writes (an integer ≥ 1). Stored documents with a higher one are refused. */
  readonly version: number;
  /**
   * Checks (and upgrades, when `version` is older) a stored document's data. An error (a sentence
   * naming the field) makes the read fail with Stalled `StateDocumentInvalid`: state is never guessed.
   */
  decode(data: unknown, version: number): Result<T, string>;
}

/** One stored document as read back. */
export interface StoredDocument<T> {
  readonly kind: string;
  readonly name: string;
  /** Opaque; changes on every write. Pass it back in `{ revision }` for a conditional write. */
  readonly revision: string;
  readonly value: T;
}

/**
 * When a write or delete may happen: only if the document is absent, only if its revision is still
 * this one, or unconditionally (`undefined`).
 */
export type StateCondition = { readonly absent: true } | { readonly revision: string } | undefined;

/** A conditional write or delete found another revision (or presence/absence) than expected. */
export interface StateConflict {
  readonly code: 'StateConflict';
  readonly kind: string;
  readonly name: string;
  /** What the condition asked for: a revision, or `absent`. */
  readonly expected: string;
  /** What was found: a revision, or `absent`. */
  readonly actual: string;
}

export interface StateStore {
  /** Where the store lives (a directory, a namespace), for messages. */
  readonly location: string;
  /** False for a store opened read-only: writes and deletes throw Stalled `StateReadOnly`. */
  readonly writable: boolean;
  get<T>(type: StateDocumentType<T>, name: string): Promise<StoredDocument<T> | undefined>;
  /** Every document of a kind, sorted by name. */
  list<T>(type: StateDocumentType<T>): Promise<StoredDocument<T>[]>;
  /** Writes `value` (durably, atomically: a crash leaves the old document or the new one). */
  put<T>(type: StateDocumentType<T>, name: string, value: T, condition?: StateCondition): Promise<Result<StoredDocument<T>, StateConflict>>;
  /** Removes a document; deleting an absent one without a condition is not an error. */
  delete<T>(type: StateDocumentType<T>, name: string, condition?: StateCondition): Promise<Result<void, StateConflict>>;
  /** Releases the lock. Idempotent; the store is unusable afterwards. */
  close(): Promise<void>;
}

/** Codes of the errors a state store throws. */
export const STATE_ERROR_CODES = {
  /** Another live process drives this state (Stalled: stop it, or use another `--state`). */
  locked: 'StateLocked',
  /** A document or the store was written by a newer patchward (Stalled: upgrade this one). */
  formatTooNew: 'StateFormatTooNew',
  /** A stored document cannot be read: not JSON, wrong envelope, or its decoder refused it (Stalled). */
  documentInvalid: 'StateDocumentInvalid',
  /** A kind or name the store cannot hold (Stalled: a programming or policy error). */
  invalidKey: 'StateInvalidKey',
  /** A write on a store opened read-only, or after `close()`. */
  readOnly: 'StateReadOnly',
  /** The file system (or API) failed: External. */
  io: 'StateIoFailed',
} as const;

export type StateErrorCode = (typeof STATE_ERROR_CODES)[keyof typeof STATE_ERROR_CODES];

const KIND_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/** True when `kind` is a valid document kind. */
export function isValidStateKind(kind: string): boolean {
  return KIND_PATTERN.test(kind);
}

/** A name is any non-empty string of at most 512 characters without NUL or other C0 control characters. */
export function isValidStateName(name: string): boolean {
  return name.length > 0 && name.length <= 512 && !/[\u0000-\u001f\u007f]/.test(name);
}
