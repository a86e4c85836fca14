/**
 * The forge fetch layer over real HTTP (a local server): what is retried, how long it waits
 * (Retry-After in seconds and as a date, GitHub and GitLab rate-limit resets, jittered backoff),
 * that a POST body is sent again, the error classes, and that no token reaches logs or errors.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import { errorForStatus } from '../../../../../controller/edges/forge/http/classify.js';
import { createForgeFetch, requestedDelayMs } from '../../../../../controller/edges/forge/http/forge-fetch.js';
import { scrubSecrets } from '../../../../../controller/edges/forge/http/scrub.js';
import { cloneUrlFor, gitCredentialsFor } from '../../../../../controller/edges/forge/registry.js';
import { isPatchwardError } from '../../../../../controller/errors.js';
import { createLogger } from '../../../../../controller/log.js';
import { type FixtureServer, startFixtureServer } from '../../../../helpers/fixture-server.js';

const TOKEN = 'tok-0123456789abcdef0123456789';
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);

describe('forge fetch: retries, waits, classification, redaction', () => {
  let server: FixtureServer;
  let sleeps: number[];
  let lines: string[];
  before(async () => {
    server = await startFixtureServer();
  });
  after(() => server.close());
  beforeEach(() => {
    server.reset();
    sleeps = [];
    lines = [];
  });

  const fetchWith = (random = () => 0.5) =>
    createForgeFetch({
      logger: createLogger({
        level: 'debug',
        destination: new Writable({
          write(chunk, _e, done) {
            lines.push(String(chunk));
            done();
          },
        }),
      }),
      secrets: [TOKEN],
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random,
      nowMs: () => NOW,
    });

  it('reads the delay a response asks for', () => {
    const h = (o: Record<string, string>) => new Headers(o);
    assert.equal(requestedDelayMs(h({ 'retry-after': '7' }), NOW), 7000);
    assert.equal(requestedDelayMs(h({ 'retry-after': new Date(NOW + 5000).toUTCString() }), NOW), 5000);
    assert.equal(
      requestedDelayMs(h({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 42) }), NOW),
      42_000,
      'GitHub reset',
    );
    assert.equal(requestedDelayMs(h({ 'ratelimit-remaining': '0', 'ratelimit-reset': String(NOW / 1000 + 9) }), NOW), 9000, 'GitLab reset');
    assert.equal(requestedDelayMs(h({ 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': String(NOW / 1000 + 42) }), NOW), undefined);
    assert.equal(requestedDelayMs(h({}), NOW), undefined);
  });

  it('retries 503 with jittered exponential backoff, re-sending the body, then hands back the last answer', async () => {
    server.route({ method: 'POST', path: '/x', status: 503, body: { message: 'down' }, source: 'a 503' });
    const response = await fetchWith(() => 0.5)(`${server.url}/x`, {
      method: 'POST',
      headers: { authorization: `token ${TOKEN}`, 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    assert.equal(response.status, 503);
    assert.deepEqual(sleeps, [250, 500, 1000], 'random 0.5 × 500·2^n');
    assert.deepEqual(
      server.requests.map((r) => r.body),
      [{ a: 1 }, { a: 1 }, { a: 1 }, { a: 1 }],
    );
    const full = await fetchWith(() => 0.999)(`${server.url}/x`, { method: 'POST', body: '{}' });
    assert.equal(full.status, 503);
    assert.ok(
      sleeps.slice(3).every((ms, i) => ms < 500 * 2 ** i && ms >= 0),
      `full jitter stays under the ceiling: ${sleeps}`,
    );
  });

  it('does not retry 4xx other than 429 and rate-limit 403s', async () => {
    for (const status of [400, 401, 403, 404, 409, 422]) {
      server.reset();
      server.route({ method: 'GET', path: '/y', status, body: { message: 'no' }, source: String(status) });
      assert.equal((await fetchWith()(`${server.url}/y`)).status, status);
      assert.equal(server.requests.length, 1, `${status} is not retried`);
    }
  });

  it('a long Retry-After is not slept through: rate-limited External error with the wait in its context', async () => {
    server.route({
      method: 'GET',
      path: '/z',
      status: 429,
      headers: { 'retry-after': '3600' },
      body: { message: 'slow down' },
      source: '429',
    });
    await assert.rejects(
      fetchWith()(`${server.url}/z`),
      (e) => isPatchwardError(e) && e.code === 'forge-rate-limited' && e.kind === 'External' && e.context.retryAfterMs === 3_600_000,
    );
    assert.deepEqual(sleeps, []);
  });

  it('a refused connection becomes forge-unavailable; nothing of the token in errors or logs', async () => {
    const closed = await startFixtureServer();
    const url = `${closed.url}/gone?access_token=${TOKEN}`;
    await closed.close();
    await assert.rejects(fetchWith()(url, { headers: { authorization: `Bearer ${TOKEN}` } }), (e) => {
      assert.ok(isPatchwardError(e) && e.code === 'forge-unavailable');
      assert.ok(!e.message.includes(TOKEN) && !JSON.stringify(e.context).includes(TOKEN));
      return true;
    });
    assert.equal(sleeps.length, 3);
    assert.ok(lines.length > 0 && !lines.join('').includes(TOKEN), 'logged without the token (query dropped)');
  });

  it('classifies statuses into our kinds', () => {
    const kind = (status: number) => {
      const e = errorForStatus({ operation: 'x', status, detail: `bad ${TOKEN}`, forge: 'gitea', secrets: [TOKEN] });
      assert.ok(!e.message.includes(TOKEN));
      return `${e.kind}:${e.code}`;
    };
    assert.deepEqual([401, 403, 404, 409, 422, 429, 502, 418].map(kind), [
      'Stalled:forge-unauthorized',
      'Stalled:forge-forbidden',
      'Stalled:forge-not-found',
      'Transient:forge-conflict',
      'Stalled:forge-unprocessable',
      'External:forge-rate-limited',
      'External:forge-unavailable',
      'External:forge-bad-response',
    ]);
    const b64 = Buffer.from(TOKEN).toString('base64');
    assert.equal(scrubSecrets(`a ${TOKEN} b ${b64} c https://u:${TOKEN}@h/x`, [TOKEN]), 'a [redacted] b [redacted] c https://***@h/x');
  });

  it('clone URLs and Git usernames per forge', () => {
    assert.equal(cloneUrlFor('github', 'o/r'), 'https://github.com/o/r.git');
    assert.equal(cloneUrlFor('github', 'o/r', 'https://ghe.example/api/v3'), 'https://ghe.example/o/r.git');
    assert.equal(cloneUrlFor('gitlab', 'g/s/p'), 'https://gitlab.com/g/s/p.git');
    assert.equal(cloneUrlFor('gitea', 'o/r', 'http://127.0.0.1:3000/api/v1'), 'http://127.0.0.1:3000/o/r.git');
    assert.deepEqual(gitCredentialsFor('github', 't'), { username: 'x-access-token', password: 't' });
    assert.equal(gitCredentialsFor('gitlab', 't').username, 'oauth2');
  });
});
