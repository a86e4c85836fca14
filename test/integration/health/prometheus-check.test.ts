/**
 * The Prometheus health gate against a REAL Prometheus (Debian package) scraping a test target
 * served here: a gauge per host that the test flips. The gate blocks while a host's series is out
 * of bounds, naming the check, the series, its value and the threshold, and passes once it clears.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { runHealthCheck } from '../../../controller/edges/health/index.js';
import { freePort } from '../../servers/process.js';
import { startPrometheus, type PrometheusServer } from '../../servers/prometheus.js';

describe('Prometheus health check against a real Prometheus', { timeout: 180_000 }, () => {
  let prometheus: PrometheusServer;
  let target: Server;
  const errors = new Map([
    ['web-1', 0],
    ['web-2', 0],
  ]);

  const query = async (promql: string): Promise<unknown> => {
    const response = await fetch(`${prometheus.url}/api/v1/query?${new URLSearchParams({ query: promql })}`);
    return ((await response.json()) as { data: { result: unknown } }).data.result;
  };
  /** Waits until Prometheus has scraped the gauge at this value (scrapes are 1 s apart). */
  const scraped = async (host: string, value: number): Promise<void> => {
    for (let tries = 0; tries < 200; tries++) {
      const result = (await query(`pw_http_errors{host="${host}"}`)) as { value: [number, string] }[];
      if (result[0]?.value[1] === String(value)) return;
      await new Promise((done) => setTimeout(done, 100));
    }
    assert.fail(`prometheus never scraped pw_http_errors{host="${host}"} = ${value}:\n${prometheus.logs()}`);
  };
  const gate = (threshold: { max?: number; min?: number }, extra: { retries?: number; intervalMs?: number; query?: string } = {}) => ({
    name: 'error-rate',
    prometheus: { url: prometheus.url, query: extra.query ?? 'pw_http_errors{host="{host}"}', threshold },
    timeoutMs: 5000,
    retries: extra.retries ?? 0,
    intervalMs: extra.intervalMs ?? 10,
  });

  before(async () => {
    target = createServer((request, response) => {
      if (request.url !== '/metrics') return void response.writeHead(404).end();
      const lines = ['# HELP pw_http_errors Errors per second seen by the test load balancer.', '# TYPE pw_http_errors gauge'];
      for (const [host, value] of errors) lines.push(`pw_http_errors{host="${host}"} ${value}`);
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`${lines.join('\n')}\n`);
    });
    await new Promise<void>((done) => target.listen(0, '127.0.0.1', done));
    const address = target.address();
    assert.ok(address !== null && typeof address === 'object');
    prometheus = await startPrometheus({ targets: [`127.0.0.1:${address.port}`] });
    await scraped('web-1', 0);
  });

  after(async () => {
    await prometheus?.stop();
    await new Promise((done) => target?.close(done));
  });

  it('blocks on a firing series, naming the check, the series, its value and the threshold; the other host passes', async () => {
    errors.set('web-1', 7);
    await scraped('web-1', 7);
    const blocked = await runHealthCheck(gate({ max: 1 }), { name: 'web-1', address: '127.0.0.1' });
    assert.equal(blocked.outcome, 'failed');
    assert.deepEqual(
      blocked.signal.series?.map((s) => [s.labels['host'], s.value]),
      [['web-1', 7]],
    );
    assert.deepEqual(blocked.signal.threshold, { max: 1 });
    assert.match(
      blocked.message,
      /^check error-rate: query "pw_http_errors\{host=\\"web-1\\"\}" at http:\/\/127\.0\.0\.1:\d+: \{__name__="pw_http_errors", host="web-1", instance="127\.0\.0\.1:\d+", job="patchward-test"\} 7 > max 1$/,
    );
    const other = await runHealthCheck(gate({ max: 1 }), { name: 'web-2', address: '127.0.0.1' });
    assert.equal(other.outcome, 'passed', other.message);
  });

  it('passes once the query clears, on a later attempt', async () => {
    errors.set('web-1', 7);
    await scraped('web-1', 7);
    let attempts = 0;
    const outcome = await runHealthCheck(
      gate({ max: 1 }, { retries: 30, intervalMs: 500 }),
      { name: 'web-1', address: '127.0.0.1' },
      {
        sleep: async (ms) => {
          attempts++;
          if (attempts === 1) errors.set('web-1', 0); // the incident is over after the first blocked attempt
          await new Promise((done) => setTimeout(done, ms));
        },
      },
    );
    assert.equal(outcome.outcome, 'passed', outcome.message);
    assert.ok(outcome.attempts >= 2, `first attempt blocked, a later one passed (${outcome.attempts})`);
  });

  it('checks every series of a vector and a scalar, with min and max', async () => {
    errors.set('web-1', 3);
    errors.set('web-2', 5);
    await scraped('web-1', 3);
    await scraped('web-2', 5);
    const all = await runHealthCheck(gate({ max: 4 }, { query: 'pw_http_errors' }), { name: 'any', address: '127.0.0.1' });
    assert.deepEqual(
      all.signal.series?.map((s) => s.labels['host']),
      ['web-2'],
      'only the series out of bounds is named',
    );
    const scalar = await runHealthCheck(gate({ min: 10 }, { query: 'scalar(sum(pw_http_errors))' }), { name: 'any', address: '127.0.0.1' });
    assert.equal(scalar.outcome, 'failed');
    assert.match(scalar.message, /\{\} 8 < min 10$/);
    const within = await runHealthCheck(gate({ min: 8, max: 8 }, { query: 'scalar(sum(pw_http_errors))' }), {
      name: 'any',
      address: '127.0.0.1',
    });
    assert.equal(within.outcome, 'passed', 'bounds are inclusive');
    errors.set('web-1', 0);
    errors.set('web-2', 0);
  });

  it('passes on an empty vector, fails on a query error and on an unreachable server', async () => {
    const empty = await runHealthCheck(gate({ max: 0 }, { query: 'pw_http_errors{host="nobody"}' }), { name: 'x', address: '127.0.0.1' });
    assert.equal(empty.outcome, 'passed');
    assert.match(empty.message, /no series \(nothing firing\)/);
    const bad = await runHealthCheck(gate({ max: 0 }, { query: 'sum(' }), { name: 'x', address: '127.0.0.1' });
    assert.equal(bad.outcome, 'failed');
    assert.match(bad.message, /bad_data: /);
    const down = await runHealthCheck(
      { ...gate({ max: 0 }), prometheus: { url: `http://127.0.0.1:${await freePort()}`, query: 'up', threshold: { max: 0 } } },
      { name: 'x', address: '127.0.0.1' },
    );
    assert.match(down.message, /failed: ECONNREFUSED/);
  });
});
