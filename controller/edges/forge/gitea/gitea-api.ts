/**
 * Thin JSON client of Gitea/Forgejo `/api/v1` for `GiteaForge`: every call goes through the forge
 * fetch layer (retries, rate limits), every non-2xx is classified (`errorForStatus`), every 2xx
 * body is checked against `schema.ts`.
 */
import type { ValidateFunction } from 'ajv';
import { checked } from '../http/checked.js';
import { errorForStatus } from '../http/classify.js';
import type { ForgeFetch } from '../http/forge-fetch.js';

export interface GiteaApiOptions {
  /** `http(s)://host[:port][/sub-path]`, with or without `/api/v1`. */
  readonly apiUrl: string;
  readonly token: string;
  readonly fetch: ForgeFetch;
}

export interface CallOptions {
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  /** Return undefined on 404 instead of throwing (lookups that may miss). */
  readonly allowMissing?: boolean;
}

/** Thrown for statuses a caller wants to interpret itself (merge: 405/409). */
export class GiteaStatusError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`HTTP ${status}: ${detail}`);
  }
}

export class GiteaApi {
  private readonly base: string;
  private readonly token: string;
  private readonly fetch: ForgeFetch;

  constructor(options: GiteaApiOptions) {
    this.base = `${options.apiUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '')}/api/v1`;
    this.token = options.token;
    this.fetch = options.fetch;
  }

  /** Calls and checks the body against `schema`; `undefined` only for an allowed 404 or a 204. */
  async call<T>(
    operation: string,
    method: string,
    path: string,
    schema: ValidateFunction | undefined,
    options: CallOptions = {},
  ): Promise<T | undefined> {
    const response = await this.send(method, path, options);
    if (response.status === 404 && options.allowMissing) return undefined;
    if (!response.ok) throw await this.refusal(operation, response);
    if (response.status === 204 || schema === undefined) {
      await response.body?.cancel();
      return undefined;
    }
    return checked<T>(schema, await response.json().catch(() => undefined), 'gitea', operation);
  }

  /** Like `call`, but statuses in `passThrough` become GiteaStatusError for the caller to read. */
  async callRaw(
    operation: string,
    method: string,
    path: string,
    passThrough: readonly number[],
    options: CallOptions = {},
  ): Promise<number> {
    const response = await this.send(method, path, options);
    if (passThrough.includes(response.status)) throw new GiteaStatusError(response.status, await errorDetail(response));
    if (!response.ok) throw await this.refusal(operation, response);
    await response.body?.cancel();
    return response.status;
  }

  /** The classified error of a non-2xx answer (the token scrubbed from its detail). */
  private async refusal(operation: string, response: Response): Promise<Error> {
    return errorForStatus({
      operation,
      status: response.status,
      detail: await errorDetail(response),
      forge: 'gitea',
      secrets: [this.token],
    });
  }

  /** Every page of a list endpoint (50 per page), up to `maxPages`. */
  async all<T>(operation: string, path: string, schema: ValidateFunction, query: CallOptions['query'] = {}, maxPages = 20): Promise<T[]> {
    const items: T[] = [];
    for (let page = 1; page <= maxPages; page += 1) {
      const batch = (await this.call<T[]>(operation, 'GET', path, schema, { query: { ...query, page, limit: 50 } })) ?? [];
      items.push(...batch);
      if (batch.length < 50) break;
    }
    return items;
  }

  private send(method: string, path: string, options: CallOptions): Promise<Response> {
    const url = new URL(`${this.base}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { accept: 'application/json', authorization: `token ${this.token}` };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    return this.fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  }
}

async function errorDetail(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') return parsed.message;
  } catch {
    // not JSON: keep the text
  }
  return text.slice(0, 300);
}
