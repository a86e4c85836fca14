/**
 * OSV records from a zip archive over HTTP (osv.dev's `<ecosystem>/all.zip` layout), cached on
 * disk. Each load sends a conditional request (`If-None-Match` / `If-Modified-Since` from the
 * cached response); 304 reuses the cache. When the origin is down, answers an error status, or
 * sends something that is not a zip, a cached copy keeps working (`stale: true`, logged at warn);
 * without a cache the load fails with `ExternalError('advisory', …)`.
 *
 * Cache files: `<cacheDir>/<sha256(url)[0:24]>.zip` and `.meta.json`, written via rename so that a
 * crash never leaves a half-written archive.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ExternalError, stripCredentials } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { AdvisoryBatch, AdvisorySource } from '../../ports/advisory-source.js';
import { readOsvZip, type ZipRecords } from './zip-archive.js';

export interface HttpSourceOptions {
  readonly url: string;
  readonly cacheDir: string;
  readonly logger: Logger;
  readonly timeoutMs?: number;
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
  | { readonly kind: 'body'; readonly body: Buffer; readonly etag?: string; readonly lastModified?: string }
  | { readonly kind: 'failed'; readonly error: ExternalError };

export class OsvHttpSource implements AdvisorySource {
  readonly kind = 'osv-http';
  readonly #options: HttpSourceOptions;
  readonly #bodyPath: string;
  readonly #metaPath: string;
  readonly #location: string;

  constructor(options: HttpSourceOptions) {
    this.#options = options;
    const key = createHash('sha256').update(options.url).digest('hex').slice(0, 24);
    this.#bodyPath = path.join(options.cacheDir, `${key}.zip`);
    this.#metaPath = path.join(options.cacheDir, `${key}.meta.json`);
    this.#location = stripCredentials(options.url);
  }

  async load(): Promise<AdvisoryBatch> {
    const log = this.#options.logger;
    const cached = await this.#readCache();
    const fetched = await this.#fetch(cached?.meta);
    if (fetched.kind === 'body') {
      let content: ZipRecords | undefined;
      try {
        content = await readOsvZip(fetched.body);
      } catch (error) {
        const failure = new ExternalError('advisory', 'AdvisoryFeedInvalid', `advisory feed ${this.#location} did not send a zip archive`, {
          cause: error,
          context: { url: this.#location },
        });
        return this.#fallBack(cached, failure);
      }
      const sha256 = createHash('sha256').update(fetched.body).digest('hex');
      const meta: CacheMeta = {
        url: this.#location,
        ...(fetched.etag === undefined ? {} : { etag: fetched.etag }),
        ...(fetched.lastModified === undefined ? {} : { lastModified: fetched.lastModified }),
        sha256,
        fetchedAt: new Date().toISOString(),
      };
      await this.#writeCache(fetched.body, meta);
      log.info({ url: this.#location, revision: revisionOf(meta), records: content.records.length }, 'advisory feed downloaded');
      return { revision: revisionOf(meta), ...content, stale: false, location: this.#location };
    }
    if (fetched.kind === 'not-modified' && cached !== undefined) {
      const content = await readOsvZip(cached.body);
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

  async #fallBack(cached: { body: Buffer; meta: CacheMeta } | undefined, failure: ExternalError): Promise<AdvisoryBatch> {
    if (cached === undefined) throw failure;
    this.#options.logger.warn(
      { url: this.#location, err: failure, cachedAt: cached.meta.fetchedAt },
      'advisory feed unavailable, using stale cache',
    );
    const content = await readOsvZip(cached.body);
    return { revision: revisionOf(cached.meta), ...content, stale: true, location: this.#location };
  }

  async #fetch(meta: CacheMeta | undefined): Promise<Fetched> {
    const headers: Record<string, string> = { accept: 'application/zip, application/octet-stream' };
    if (meta?.etag !== undefined) headers['if-none-match'] = meta.etag;
    if (meta?.lastModified !== undefined) headers['if-modified-since'] = meta.lastModified;
    const started = Date.now();
    const doFetch = this.#options.fetch ?? fetch;
    const context = { url: this.#location };
    try {
      const response = await doFetch(this.#options.url, { headers, signal: AbortSignal.timeout(this.#options.timeoutMs ?? 60_000) });
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
      const body = Buffer.from(await response.arrayBuffer());
      const etag = response.headers.get('etag') ?? undefined;
      const lastModified = response.headers.get('last-modified') ?? undefined;
      return { kind: 'body', body, ...(etag === undefined ? {} : { etag }), ...(lastModified === undefined ? {} : { lastModified }) };
    } catch (error) {
      this.#options.logger.debug({ url: this.#location, durationMs: Date.now() - started, err: error }, 'advisory feed request failed');
      return {
        kind: 'failed',
        error: new ExternalError('advisory', 'AdvisoryFeedUnreachable', `advisory feed ${this.#location} is unreachable`, {
          cause: error,
          context,
        }),
      };
    }
  }

  async #readCache(): Promise<{ body: Buffer; meta: CacheMeta } | undefined> {
    try {
      const meta = JSON.parse(await readFile(this.#metaPath, 'utf8')) as CacheMeta;
      const body = await readFile(this.#bodyPath);
      if (createHash('sha256').update(body).digest('hex') !== meta.sha256) return undefined;
      return { body, meta };
    } catch {
      return undefined;
    }
  }

  async #writeCache(body: Buffer, meta: CacheMeta): Promise<void> {
    await mkdir(this.#options.cacheDir, { recursive: true });
    const suffix = `.tmp-${process.pid}`;
    await writeFile(this.#bodyPath + suffix, body);
    await rename(this.#bodyPath + suffix, this.#bodyPath);
    await writeFile(this.#metaPath + suffix, JSON.stringify(meta, null, 2));
    await rename(this.#metaPath + suffix, this.#metaPath);
  }
}

function revisionOf(meta: CacheMeta): string {
  return meta.etag ?? `sha256:${meta.sha256}`;
}
