/**
 * The one HTTP path of every forge edge (Gitea directly; GitHub through Octokit's `request.fetch`;
 * GitLab through a gitbeaker requester): retries 429, 5xx and network failures with exponential
 * backoff and full jitter, honouring `Retry-After` and the rate-limit reset headers (GitHub
 * `x-ratelimit-*`, GitLab `RateLimit-*`), and logs each call at debug without its headers.
 *
 * After the last attempt a failing response is handed back unchanged (the edge classifies its
 * status); a network failure becomes ExternalError('forge', 'forge-unavailable'). A rate-limit wait
 * longer than `maxDelayMs` is not slept through: ExternalError('forge', 'forge-rate-limited') with
 * `retryAfterMs` in its context, so a long-running loop comes back later instead of hanging.
 */
import { ExternalError } from '../../../errors.js';
import type { Logger } from '../../../log.js';
import { scrubSecrets } from './scrub.js';

export interface RetryPolicy {
  /** Attempts in total, first one included (default 4). */
  readonly maxAttempts: number;
  /** First backoff ceiling; doubles each attempt (default 500 ms). */
  readonly baseDelayMs: number;
  /** The longest single wait (default 30 s). */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 };

export interface ForgeFetchOptions {
  readonly logger: Logger;
  /** Values never to appear in logs or errors (the token). */
  readonly secrets: readonly string[];
  readonly retry?: RetryPolicy;
  /** Per-attempt timeout (default 30 s). */
  readonly timeoutMs?: number;
  /** Injected for tests: waiting, jitter and the wall clock (for reset headers). */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly nowMs?: () => number;
  readonly fetch?: typeof globalThis.fetch;
}

export type ForgeFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

const RETRYABLE_STATUS = (status: number): boolean => status === 429 || status >= 500;

/** Milliseconds to wait as the response asks (Retry-After, or a rate-limit reset), or undefined. */
export function requestedDelayMs(headers: Headers, nowMs: number): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - nowMs);
  }
  const remaining = headers.get('x-ratelimit-remaining') ?? headers.get('ratelimit-remaining');
  const reset = headers.get('x-ratelimit-reset') ?? headers.get('ratelimit-reset');
  if (remaining === '0' && reset !== null && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - nowMs);
  return undefined;
}

/** GitHub answers an exhausted primary rate limit with 403 and `x-ratelimit-remaining: 0`. */
function isRateLimited(response: Response): boolean {
  if (response.status === 429) return true;
  return response.status === 403 && (response.headers.get('x-ratelimit-remaining') === '0' || response.headers.has('retry-after'));
}

export function createForgeFetch(options: ForgeFetchOptions): ForgeFetch {
  const retry = options.retry ?? DEFAULT_RETRY;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const nowMs = options.nowMs ?? Date.now;
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const log = options.logger;

  return async (input, init) => {
    const request = new Request(input, init);
    const target = `${request.method} ${describeUrl(request.url)}`;
    // A body stream can be read once: keep it as bytes so that a retry can send it again.
    const body = request.body === null ? undefined : await request.arrayBuffer();
    for (let attempt = 1; ; attempt += 1) {
      const started = performance.now();
      let response: Response;
      try {
        response = await doFetch(new Request(request, { body, signal: AbortSignal.timeout(timeoutMs) }));
      } catch (cause) {
        const message = scrubSecrets(cause instanceof Error ? `${cause.message}${describeCause(cause)}` : String(cause), options.secrets);
        log.debug({ target, attempt, err: message }, 'forge request failed');
        if (attempt >= retry.maxAttempts) {
          throw new ExternalError(
            'forge',
            'forge-unavailable',
            `the forge did not answer ${target} after ${attempt} attempts: ${message}`,
            {
              cause: new Error(message),
              context: { target, attempts: attempt },
            },
          );
        }
        await sleep(backoff(attempt, retry, random));
        continue;
      }
      const durationMs = Math.round(performance.now() - started);
      log.debug({ target, status: response.status, attempt, durationMs }, 'forge request');
      const limited = isRateLimited(response);
      if (!limited && !RETRYABLE_STATUS(response.status)) return response;
      const asked = requestedDelayMs(response.headers, nowMs());
      if (asked !== undefined && asked > retry.maxDelayMs) {
        await response.body?.cancel();
        throw new ExternalError(
          'forge',
          'forge-rate-limited',
          `the forge asks to wait ${Math.ceil(asked / 1000)} s before ${target} (HTTP ${response.status})`,
          {
            context: { target, status: response.status, retryAfterMs: asked },
          },
        );
      }
      if (attempt >= retry.maxAttempts) return response;
      await response.body?.cancel();
      const delay = asked !== undefined ? asked + Math.floor(random() * retry.baseDelayMs) : backoff(attempt, retry, random);
      log.debug({ target, status: response.status, attempt, delayMs: delay }, 'forge request retried');
      await sleep(delay);
    }
  };
}

/** Full jitter: uniform in [0, min(max, base·2^(attempt-1))]. */
function backoff(attempt: number, retry: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Origin and path, no query (tokens may travel there on some forges) and no credentials. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

function describeCause(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error) return ` (${cause.message})`;
  return '';
}
