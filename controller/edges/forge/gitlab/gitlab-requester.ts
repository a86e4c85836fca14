/**
 * A gitbeaker requester whose every call goes through the forge fetch layer (retries with backoff
 * and Retry-After, `RateLimit-*` headers, token scrubbing) instead of gitbeaker's own loop (which
 * retries 429/502 ten times with millisecond waits and ignores Retry-After).
 */
import { createRequesterFn } from '@gitbeaker/requester-utils';
import type { ForgeFetch } from '../http/forge-fetch.js';

/** A non-2xx answer, for the GitLab edge to classify. */
export class GitlabHttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`HTTP ${status}: ${detail}`);
    this.name = 'GitlabHttpError';
  }
}

interface RequestOptions {
  readonly prefixUrl?: string;
  readonly searchParams?: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export function forgeRequester(fetch: ForgeFetch): ReturnType<typeof createRequesterFn> {
  const handler = async (endpoint: string, options?: RequestOptions) => {
    const base = options?.prefixUrl ?? '';
    const url = new URL(endpoint, base.endsWith('/') ? base : `${base}/`);
    url.search = options?.searchParams ?? '';
    const response = await fetch(url, { method: options?.method ?? 'GET', headers: options?.headers ?? {}, body: options?.body });
    const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    const text = response.status === 204 ? '' : await response.text();
    if (!response.ok) throw new GitlabHttpError(response.status, errorDetail(text));
    const body = text === '' ? null : type === 'application/json' ? JSON.parse(text) : text;
    return { body, headers: Object.fromEntries(response.headers.entries()), status: response.status };
  };
  // gitbeaker's types model its own handler; ours has the same call shape.
  return createRequesterFn((_service, options) => Promise.resolve(options), handler as never);
}

function errorDetail(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
    const value = parsed.message ?? parsed.error;
    if (typeof value === 'string') return value;
    if (value !== undefined) return JSON.stringify(value);
  } catch {
    // not JSON
  }
  return text.slice(0, 300);
}
