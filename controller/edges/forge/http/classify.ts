/**
 * HTTP status → our error kinds, for every forge edge (the table is in `controller/ports/forge.ts`).
 * Messages name the operation and the status, and a short scrubbed excerpt of the forge's own
 * message; never headers, never the token.
 */
import { ExternalError, type PatchwardError, StalledError, TransientError, isPatchwardError } from '../../../errors.js';
import { scrubSecrets } from './scrub.js';

export interface FailedCall {
  /** What we were doing, in our words: `create pull request for patchward/p/K`. */
  readonly operation: string;
  readonly status: number;
  /** The forge's message (already extracted from its body), if any. */
  readonly detail?: string;
  readonly forge: string;
  readonly secrets: readonly string[];
}

export function errorForStatus(call: FailedCall): PatchwardError {
  const detail = call.detail ? `: ${scrubSecrets(call.detail, call.secrets).replace(/\s+/g, ' ').slice(0, 300)}` : '';
  const context = { forge: call.forge, operation: call.operation, status: call.status };
  const what = `${call.forge} refused to ${call.operation} (HTTP ${call.status})${detail}`;
  switch (call.status) {
    case 401:
      return new StalledError('forge-unauthorized', `${what}; the token is missing, wrong or expired: give patchward a valid token`, {
        context,
      });
    case 403:
      return new StalledError('forge-forbidden', `${what}; the token lacks the permission or scope for this: grant it`, { context });
    case 404:
      return new StalledError('forge-not-found', `${call.forge} does not know what we asked for to ${call.operation} (HTTP 404)${detail}`, {
        context,
      });
    case 409:
      return new TransientError('forge-conflict', `${what}; the forge's state changed under us, the next run sees the new state`, {
        context,
      });
    case 405:
    case 422:
      return new StalledError('forge-unprocessable', what, { context });
    case 429:
      return new ExternalError(
        'forge',
        'forge-rate-limited',
        `${call.forge} kept rate-limiting ${call.operation} (HTTP 429) after retries`,
        { context },
      );
    default:
      if (call.status >= 500)
        return new ExternalError(
          'forge',
          'forge-unavailable',
          `${call.forge} failed to ${call.operation} (HTTP ${call.status}) after retries${detail}`,
          { context },
        );
      return new ExternalError(
        'forge',
        'forge-bad-response',
        `${call.forge}: unexpected HTTP ${call.status} to ${call.operation}${detail}`,
        { context },
      );
  }
}

/** The first PatchwardError in an error's cause chain (our fetch layer's errors wrapped by a client library). */
export function findPatchwardError(error: unknown): PatchwardError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth += 1) {
    if (isPatchwardError(current)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
