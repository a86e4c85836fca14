/**
 * OSV records from a zip archive over HTTP (osv.dev's `<ecosystem>/all.zip` layout), cached on
 * disk. Each load sends a conditional request (`If-None-Match` / `If-Modified-Since` from the
 * cached response); 304 reuses the cache. When the origin is down, answers an error status, or
 * sends something that is not a zip, a cached copy keeps working (`stale: true`, logged at warn);
 * without a cache the load fails with `ExternalError('advisory', …)`.
 *
 * Hostile input (issue 9): credentials in the URL (`https://user:pass@host/…`) are sent as an
 * `Authorization: Basic` header, never in the URL given to `fetch`, and appear nowhere (logs,
 * errors, reports: `location` is the URL without them). Redirects are followed by hand, at most
 * five, only to the same host (and never from https to http) unless the target host is listed in
 * `allowedRedirectHosts`; credentials are never sent to another host. The body is streamed to the
 * cache directory within the `http-body` cap, each read waiting at most `readTimeoutMs` (a
 * stalled feed), each `readTimeoutMs` window bringing at least 1 KiB (a dripping feed), the whole
 * request at most `timeoutMs`.
 *
 * Cache files: `<cacheDir>/<sha256(url)[0:24]>.zip` and `.meta.json`, written via rename so that a
 * crash never leaves a half-written archive.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ExternalError, stripCredentials } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { AdvisoryBatch, AdvisorySource } from '../../ports/advisory-source.js';
import {
  INPUT_ERROR_CODES,
  InputError,
  isInputError,
  READ_LIMITS,
  type ReadLimit,
  readInputText,
  readStreamCapped,
  tooLarge,
} from '../io/bounded-read.js';
import { readOsvZipFile, type ZipLimits, type ZipRecords } from './zip-archive.js';
import { sha256OfFile } from './zip-source.js';

export const DEFAULT_FEED_TIMEOUT_MS = 600_000;
export const DEFAULT_FEED_READ_TIMEOUT_MS = 30_000;
/** Each read-timeout window of a download must bring at least this much (a feed that drips). */
export const MIN_BYTES_PER_READ_WINDOW = 1024;
const MAX_REDIRECTS = 5;
const CACHE_META_LIMIT: ReadLimit = { name: 'cache-meta', bytes: 64 * 1024 };

export interface HttpSourceOptions {
  readonly url: string;
  readonly cacheDir: string;
  readonly logger: Logger;
  /** The whole request, body included (default 10 minutes). */
  readonly timeoutMs?: number;
  /** Longest wait for the next piece of the body (default 30 s). */
  readonly readTimeoutMs?: number;
  /** Hosts (`name` or `name:port`) that a redirect may lead to besides the feed's own. */
  readonly allowedRedirectHosts?: readonly string[];
  readonly limits?: ZipLimits & { readonly httpBody: ReadLimit };
  /** Injected for tests of odd transports; defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
}

interface CacheMeta {
  readonly url: string;
  readonly etag?: string;
  readonly lastModified?: string;
  readonly sha256: string;
  readonly fetchedAt: string;
}

type Fetched =
  | { readonly kind: 'not-modified' }
  | { readonly kind: 'body'; readonly file: string; readonly sha256: string; readonly etag?: string; readonly lastModified?: string }
  | { readonly kind: 'failed'; readonly error: ExternalError | InputError };

/** The URL without credentials, and the Authorization header they make. */
export function splitCredentials(url: string): { url: URL; authorization?: string } {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return { url: parsed };
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return { url: parsed, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

export class OsvHttpSource implements AdvisorySource {
  readonly kind = 'osv-http';
  readonly #options: HttpSourceOptions;
  readonly #url: URL;
  readonly #authorization: string | undefined;
  readonly #bodyPath: string;
  readonly #metaPath: string;
  readonly #location: string;
  readonly #limits: ZipLimits & { readonly httpBody: ReadLimit };

  constructor(options: HttpSourceOptions) {
    this.#options = options;
    this.#location = stripCredentials(options.url);
    let split: { url: URL; authorization?: string };
    try {
      split = splitCredentials(options.url);
    } catch (cause) {
      throw new InputError(INPUT_ERROR_CODES.unreadable, this.#location, `${this.#location} is not a valid URL`, { cause });
    }
    this.#url = split.url;
    this.#authorization = split.authorization;
    this.#location = this.#url.href;
    this.#limits = options.limits ?? READ_LIMITS;
    const key = createHash('sha256').update(this.#url.href).digest('hex').slice(0, 24);
    this.#bodyPath = path.join(options.cacheDir, `${key}.zip`);
    this.#metaPath = path.join(options.cacheDir, `${key}.meta.json`);
  }

  async load(): Promise<AdvisoryBatch> {
    const log = this.#options.logger;
    await this.#ensureCacheDir();
    const cached = await this.#readCache();
    const fetched = await this.#fetch(cached?.meta);
    if (fetched.kind === 'body') {
      let content: ZipRecords;
      try {
        content = await this.#readZip(fetched.file);
      } catch (error) {
        await rm(fetched.file, { force: true });
        const failure = isInputError(error)
          ? error
          : new ExternalError('advisory', 'AdvisoryFeedInvalid', `advisory feed ${this.#location} did not send a zip archive`, {
              cause: error,
              context: { url: this.#location },
            });
        return this.#fallBack(cached, failure);
      }
      const meta: CacheMeta = {
        url: this.#location,
        ...(fetched.etag === undefined ? {} : { etag: fetched.etag }),
        ...(fetched.lastModified === undefined ? {} : { lastModified: fetched.lastModified }),
        sha256: fetched.sha256,
        fetchedAt: new Date().toISOString(),
      };
      await rename(fetched.file, this.#bodyPath);
      await this.#writeMeta(meta);
      log.info({ url: this.#location, revision: revisionOf(meta), records: content.records.length }, 'advisory feed downloaded');
      return { revision: revisionOf(meta), ...content, stale: false, location: this.#location };
    }
    if (fetched.kind === 'not-modified' && cached !== undefined) {
      const content = await this.#readZip(this.#bodyPath);
      return { revision: revisionOf(cached.meta), ...content, stale: false, location: this.#location };
    }
    const failure =
      fetched.kind === 'failed'
        ? fetched.error
        : new ExternalError(
            'advisory',
            'AdvisoryFeedNotModifiedWithoutCache',
            `advisory feed ${this.#location} answered 304 but no cache exists`,
            { context: { url: this.#location } },
          );
    return this.#fallBack(cached, failure);
  }

  #readZip(file: string): Promise<ZipRecords> {
    return readOsvZipFile(file, { display: this.#location, limits: this.#limits });
  }

  async #ensureCacheDir(): Promise<void> {
    const dir = this.#options.cacheDir;
    try {
      await mkdir(dir, { recursive: true });
      if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    } catch (cause) {
      throw new InputError(INPUT_ERROR_CODES.notRegularFile, dir, `cache directory ${dir} cannot be used: it is not a writable directory`, {
        cause,
      });
    }
  }

  async #fallBack(cached: { meta: CacheMeta } | undefined, failure: ExternalError | InputError): Promise<AdvisoryBatch> {
    if (cached === undefined) throw failure;
    this.#options.logger.warn(
      { url: this.#location, err: failure, cachedAt: cached.meta.fetchedAt },
      'advisory feed unavailable, using stale cache',
    );
    const content = await this.#readZip(this.#bodyPath);
    return { revision: revisionOf(cached.meta), ...content, stale: true, location: this.#location };
  }

  /** Follows redirects by hand: same host only (or an allowed one), no https → http, at most five. */
  async #request(headers: Record<string, string>, signal: AbortSignal): Promise<Response | ExternalError> {
    const doFetch = this.#options.fetch ?? fetch;
    let target = this.#url;
    for (let hop = 0; ; hop++) {
      const sameHost = target.host === this.#url.host;
      const sent = sameHost && this.#authorization !== undefined ? { ...headers, authorization: this.#authorization } : headers;
      const response = await doFetch(target.href, { headers: sent, signal, redirect: 'manual' });
      if (response.status < 300 || response.status >= 400 || response.status === 304) return response;
      await response.body?.cancel();
      const location = response.headers.get('location');
      const refuse = (why: string): ExternalError =>
        new ExternalError('advisory', 'AdvisoryFeedRedirectRefused', `advisory feed ${this.#location} redirected ${why}; refused`, {
          context: { url: this.#location, status: response.status },
        });
      if (location === null) return refuse('without a Location');
      if (hop >= MAX_REDIRECTS) return refuse(`more than ${MAX_REDIRECTS} times`);
      let next: URL;
      try {
        next = new URL(location, target);
      } catch {
        return refuse('to an invalid URL');
      }
      const shown = `${next.protocol}//${next.host}`;
      if (next.protocol !== 'https:' && next.protocol !== 'http:') return refuse(`to ${next.protocol} URL`);
      if (target.protocol === 'https:' && next.protocol === 'http:') return refuse(`from https to plain http (${shown})`);
      if (
        next.host !== this.#url.host &&
        !(this.#options.allowedRedirectHosts ?? []).some((host) => host === next.host || host === next.hostname)
      )
        return refuse(`to another host, ${shown} (allow it with --allow-redirect ${next.hostname})`);
      next.username = '';
      next.password = '';
      target = next;
    }
  }

  async #fetch(meta: CacheMeta | undefined): Promise<Fetched> {
    const headers: Record<string, string> = { accept: 'application/zip, application/octet-stream' };
    if (meta?.etag !== undefined) headers['if-none-match'] = meta.etag;
    if (meta?.lastModified !== undefined) headers['if-modified-since'] = meta.lastModified;
    const started = Date.now();
    const context = { url: this.#location };
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_FEED_TIMEOUT_MS;
    const expiry = AbortSignal.timeout(timeoutMs);
    const abandon = new AbortController();
    const signal = AbortSignal.any([expiry, abandon.signal]);
    const partial = `${this.#bodyPath}.tmp-${process.pid}`;
    try {
      const response = await this.#request(headers, signal);
      if (response instanceof ExternalError) return { kind: 'failed', error: response };
      this.#options.logger.debug(
        { url: this.#location, status: response.status, durationMs: Date.now() - started },
        'advisory feed request',
      );
      if (response.status === 304) return { kind: 'not-modified' };
      if (!response.ok) {
        await response.body?.cancel();
        const code = response.status === 429 || response.status >= 500 ? 'AdvisoryFeedUnavailable' : 'AdvisoryFeedRefused';
        return {
          kind: 'failed',
          error: new ExternalError('advisory', code, `advisory feed ${this.#location} answered HTTP ${response.status}`, {
            context: { ...context, status: response.status },
          }),
        };
      }
      const declared = Number(response.headers.get('content-length') ?? Number.NaN);
      if (declared > this.#limits.httpBody.bytes) {
        await response.body?.cancel();
        return {
          kind: 'failed',
          error: tooLarge(`advisory feed ${this.#location} (Content-Length ${declared})`, this.#limits.httpBody, 'is larger than'),
        };
      }
      const sha256 = await this.#saveBody(response, partial);
      const etag = response.headers.get('etag') ?? undefined;
      const lastModified = response.headers.get('last-modified') ?? undefined;
      return {
        kind: 'body',
        file: partial,
        sha256,
        ...(etag === undefined ? {} : { etag }),
        ...(lastModified === undefined ? {} : { lastModified }),
      };
    } catch (error) {
      abandon.abort();
      await rm(partial, { force: true });
      this.#options.logger.debug({ url: this.#location, durationMs: Date.now() - started, err: error }, 'advisory feed request failed');
      if (isInputError(error)) return { kind: 'failed', error };
      const timedOut = expiry.aborted;
      return {
        kind: 'failed',
        error: timedOut
          ? new ExternalError(
              'advisory',
              'AdvisoryFeedTimeout',
              `advisory feed ${this.#location} did not finish within ${timeoutMs / 1000} s`,
              {
                cause: error,
                context,
              },
            )
          : new ExternalError('advisory', 'AdvisoryFeedUnreachable', `advisory feed ${this.#location} is unreachable`, {
              cause: error,
              context,
            }),
      };
    }
  }

  /** Streams the body into `file` within the cap and the per-read timeout; returns its sha256. */
  async #saveBody(response: Response, file: string): Promise<string> {
    const hash = createHash('sha256');
    const handle = await open(file, 'w', 0o600);
    try {
      if (response.body !== null)
        await readStreamCapped(response.body, {
          input: `advisory feed ${this.#location}`,
          limit: this.#limits.httpBody,
          readTimeoutMs: this.#options.readTimeoutMs ?? DEFAULT_FEED_READ_TIMEOUT_MS,
          minBytesPerWindow: MIN_BYTES_PER_READ_WINDOW,
          onChunk: async (chunk) => {
            hash.update(chunk);
            await handle.write(chunk);
          },
        });
    } finally {
      await handle.close();
    }
    return hash.digest('hex');
  }

  async #readCache(): Promise<{ meta: CacheMeta } | undefined> {
    try {
      const meta = JSON.parse(await readInputText(this.#metaPath, { limit: CACHE_META_LIMIT })) as CacheMeta;
      if ((await sha256OfFile(this.#bodyPath, this.#limits.httpBody)) !== meta.sha256) return undefined;
      return { meta };
    } catch {
      return undefined;
    }
  }

  async #writeMeta(meta: CacheMeta): Promise<void> {
    const partial = `${this.#metaPath}.tmp-${process.pid}`;
    await writeFile(partial, JSON.stringify(meta, null, 2));
    await rename(partial, this.#metaPath);
  }
}

function revisionOf(meta: CacheMeta): string {
  return meta.etag ?? `sha256:${meta.sha256}`;
}
