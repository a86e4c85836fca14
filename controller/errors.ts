/**
 * Errors are typed values with context (STYLE.md §5).
 *
 * Kinds decide what the reconciler does with a failure:
 * - `Stalled`   — a person must fix something (bad policy, refused host key); no retry.
 * - `Wait`      — not an error of anyone's: try again after `delayMs` (outside a window, soak).
 * - `Transient` — a passing fault; retry with backoff.
 * - `External`  — a named external system failed (forge, ssh, advisory, kube); retry with backoff.
 *
 * Expected outcomes (an invalid policy file, a host outside its window) are returned as values
 * (`Result`), not thrown. These classes are for failures that cross a boundary; the CLI's usage and
 * input problems are among them (`UsageError`, `InvalidInputError`: Stalled).
 */

export type ErrorKind = 'Stalled' | 'Wait' | 'Transient' | 'External';
export type ExternalSystem = 'forge' | 'git' | 'ssh' | 'advisory' | 'kube' | 'host' | 'filesystem';

export type ErrorContext = Readonly<Record<string, string | number | boolean | undefined>>;

export class PatchwardError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly context: ErrorContext;

  constructor(kind: ErrorKind, code: string, message: string, options: { cause?: unknown; context?: ErrorContext } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = `${kind}Error`;
    this.kind = kind;
    this.code = code;
    this.context = options.context ?? {};
  }
}

export class StalledError extends PatchwardError {
  constructor(code: string, message: string, options: { cause?: unknown; context?: ErrorContext } = {}) {
    super('Stalled', code, message, options);
  }
}

export class WaitError extends PatchwardError {
  readonly delayMs: number;
  constructor(code: string, message: string, delayMs: number, options: { cause?: unknown; context?: ErrorContext } = {}) {
    super('Wait', code, message, options);
    this.delayMs = delayMs;
  }
}

export class TransientError extends PatchwardError {
  constructor(code: string, message: string, options: { cause?: unknown; context?: ErrorContext } = {}) {
    super('Transient', code, message, options);
  }
}

export class ExternalError extends PatchwardError {
  readonly system: ExternalSystem;
  constructor(system: ExternalSystem, code: string, message: string, options: { cause?: unknown; context?: ErrorContext } = {}) {
    super('External', code, message, options);
    this.system = system;
  }
}

/**
 * A command called wrongly: an unknown option, a missing or out-of-range value (the CLI exits 2 and
 * prints its usage). Stalled: the caller must change the call.
 */
export class UsageError extends StalledError {
  constructor(message: string, options: { cause?: unknown; context?: ErrorContext } = {}) {
    super('Usage', message, options);
  }
}

/**
 * An input that cannot be used as given (a policy repository or file, an inventory, a baseline):
 * the message names the file, and line and field where known. Stalled: a person must fix the input.
 */
export class InvalidInputError extends StalledError {
  constructor(message: string, options: { cause?: unknown; context?: ErrorContext } = {}) {
    super('InvalidInput', message, options);
  }
}

export function isPatchwardError(value: unknown): value is PatchwardError {
  return value instanceof PatchwardError;
}

/**
 * THE returned outcome for expected failures (STYLE.md §5: returned, not thrown): `{ ok: true, value }`
 * or `{ ok: false, error }`. Use it (with `ok()` / `err()`) instead of ad-hoc `{ ok … }` unions.
 */
export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

export function err<E>(error: E): Result<never, E> {
  return { ok: false, error };
}

const CREDENTIAL_IN_URL = /(\b[a-z][a-z0-9+.-]*:\/\/)([^/@\s:]+)(:[^/@\s]*)?@/gi;

/** Strips `user:password@` from every URL in a message (STYLE.md §5, flux-source sanitized.go). */
export function stripCredentials(text: string): string {
  return text.replace(CREDENTIAL_IN_URL, '$1***@');
}
