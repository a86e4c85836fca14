import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { OsvHttpSource } from '../../../../controller/edges/advisory/http-source.js';
import { isPatchwardError } from '../../../../controller/errors.js';
import { storedZip } from './zip-writer.js';

const record = (fixed: string) =>
  JSON.stringify({
    id: 'DSA-1',
    modified: '2025-01-01T00:00:00Z',
    affected: [
      { package: { ecosystem: 'Debian:12', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] },
    ],
  });

/** A real HTTP server on 127.0.0.1 that serves a zip with an ETag and honours If-None-Match. */
class FeedServer {
  body = storedZip({ 'DSA-1.json': record('3.0.13-1~deb12u1') });
  etag = '"v1"';
  status: number | undefined;
  readonly requests: IncomingHttpHeaders[] = [];
  readonly #server: Server = createServer((request, response) => {
    this.requests.push(request.headers);
    if (this.status !== undefined) {
      response.writeHead(this.status).end('failure');
      return;
    }
    if (request.headers['if-none-match'] === this.etag) {
      response.writeHead(304).end();
      return;
    }
    response
      .writeHead(200, { 'content-type': 'application/zip', etag: this.etag, 'last-modified': 'Thu, 20 Nov 2026 10:00:00 GMT' })
      .end(this.body);
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/Debian/all.zip`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

describe('OsvHttpSource against a local HTTP server', () => {
  let cacheDir: string;
  let server: FeedServer;
  let url: string;
  const logger = pino({ level: 'silent' });

  before(async () => {
    cacheDir = await mkdtemp(path.join(tmpdir(), 'patchward-http-'));
    server = new FeedServer();
    url = await server.start();
  });
  after(async () => rm(cacheDir, { recursive: true, force: true }));

  it('downloads, caches, then revalidates with If-None-Match and reuses the cache on 304', async () => {
    const source = new OsvHttpSource({ url, cacheDir, logger, timeoutMs: 5000 });
    const first = await source.load();
    assert.deepEqual([first.records.length, first.revision, first.stale], [1, '"v1"', false]);
    const second = await source.load();
    assert.deepEqual([second.records[0]?.id, second.revision, second.stale], ['DSA-1', '"v1"', false]);
    assert.equal(server.requests[1]?.['if-none-match'], '"v1"');
    assert.equal(server.requests[1]?.['if-modified-since'], 'Thu, 20 Nov 2026 10:00:00 GMT');
  });

  it('takes a changed feed (new ETag) and replaces the cache', async () => {
    server.body = storedZip({
      'DSA-1.json': record('3.0.15-1~deb12u1'),
      'DSA-2.json': record('3.0.16-1~deb12u1').replace('DSA-1', 'DSA-2'),
    });
    server.etag = '"v2"';
    const batch = await new OsvHttpSource({ url, cacheDir, logger }).load();
    assert.deepEqual([batch.records.length, batch.revision], [2, '"v2"']);
  });

  it('keeps working from the stale cache when the origin answers 503', async () => {
    server.status = 503;
    const batch = await new OsvHttpSource({ url, cacheDir, logger }).load();
    assert.deepEqual([batch.records.length, batch.revision, batch.stale], [2, '"v2"', true]);
    server.status = undefined;
  });

  it('keeps working from the stale cache when the origin is down, and fails typed without a cache', async () => {
    await server.stop();
    const stale = await new OsvHttpSource({ url, cacheDir, logger, timeoutMs: 2000 }).load();
    assert.deepEqual([stale.records.length, stale.stale], [2, true]);
    const empty = await mkdtemp(path.join(tmpdir(), 'patchward-http-empty-'));
    await assert.rejects(
      new OsvHttpSource({ url, cacheDir: empty, logger, timeoutMs: 2000 }).load(),
      (error: unknown) => isPatchwardError(error) && error.kind === 'External' && error.code === 'AdvisoryFeedUnreachable',
    );
    await rm(empty, { recursive: true, force: true });
  });

  it('never logs credentials of the feed URL', async () => {
    const source = new OsvHttpSource({ url: 'http://user:secret@127.0.0.1:9/all.zip', cacheDir, logger, timeoutMs: 500 });
    await assert.rejects(source.load(), (error: unknown) => error instanceof Error && !error.message.includes('secret'));
  });
});
