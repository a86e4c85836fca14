/**
 * A Prometheus health gate through `patchward rollout`: a real Prometheus (Debian package) scrapes
 * a test target whose `pw_gate_errors` is 1 (firing). The canary's health step blocks (the check
 * retries) while the query is above its threshold; once the target reports 0 and Prometheus has
 * scraped it, the gate passes and the rollout completes. Meanwhile a second `patchward rollout` on
 * the same state directory is refused (the store's exclusive lock).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureSandboxImage, type SandboxFleet, startHosts } from '../../harness/sandbox.js';
import { type PrometheusServer, startPrometheus } from '../../servers/prometheus.js';
import { type ChildRun, runPatchward, writeRolloutRepo } from './rollout-repo.js';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('patchward rollout: a Prometheus gate', { timeout: 240_000 }, () => {
  let fleet: SandboxFleet;
  let prometheus: PrometheusServer;
  let metrics: Server;
  let errors = 1;
  let work: string;

  before(async () => {
    await ensureSandboxImage({ quiet: true });
    metrics = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      response.end(`# TYPE pw_gate_errors gauge\npw_gate_errors ${errors}\n`);
    });
    await new Promise<void>((done) => metrics.listen(0, '127.0.0.1', done));
    prometheus = await startPrometheus({ targets: [`127.0.0.1:${(metrics.address() as AddressInfo).port}`] });
    fleet = await startHosts({ count: 1, flavour: 'apt', namePrefix: 'pg-apt' });
    work = mkdtempSync(join(tmpdir(), 'pw-promgate-'));
  });

  after(async () => {
    await fleet?.stop();
    await prometheus?.stop();
    metrics?.close();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  async function scraped(value: number): Promise<void> {
    for (let tries = 0; tries < 120; tries += 1) {
      const response = await fetch(`${prometheus.url}/api/v1/query?query=pw_gate_errors`);
      const body = (await response.json()) as { data?: { result?: { value?: [number, string] }[] } };
      if (body.data?.result?.[0]?.value?.[1] === String(value)) return;
      await sleep(500);
    }
    throw new Error(`Prometheus never saw pw_gate_errors ${value}`);
  }

  it('blocks while the query fires and passes when it clears', async () => {
    await scraped(1);
    const repo = join(work, 'repo');
    const state = join(work, 'state');
    writeRolloutRepo(repo, fleet, {
      ringOf: () => 'canary',
      rings: [
        {
          name: 'canary',
          maxConcurrent: 1,
          healthChecks: [
            {
              name: 'errors',
              prometheus: { url: prometheus.url, query: 'max(pw_gate_errors)', threshold: { max: 0 } },
              timeout: '5s',
              retries: 100,
              interval: '1s',
            },
          ],
        },
      ],
    });
    let finished: ChildRun | undefined;
    const child = runPatchward(['rollout', '-f', repo, '--state', state]).then((run) => {
      finished = run;
      return run;
    });
    const audit = () => (existsSync(join(state, 'audit.jsonl')) ? readFileSync(join(state, 'audit.jsonl'), 'utf8') : '');
    for (let tries = 0; tries < 240 && !/"step":"verify","outcome":"succeeded"/.test(audit()) && finished === undefined; tries += 1)
      await sleep(250);
    assert.match(audit(), /"step":"verify","outcome":"succeeded"/, `${finished?.stdout ?? ''}${finished?.stderr ?? ''}`);
    await sleep(4000);
    assert.equal(finished, undefined, 'the rollout waits at the gate');
    const second = await runPatchward(['rollout', '-f', repo, '--state', state, '--until', 'idle']);
    assert.equal(second.code, 1, 'a second process never drives the same state');
    assert.match(second.stderr, /StateLocked/);
    assert.doesNotMatch(audit(), /"step":"health"/);
    errors = 0;
    const run = await child;
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(audit(), /"step":"health","outcome":"succeeded"/);
    assert.match(run.stdout, /pg-apt-01 health ok: errors/);
  });
});
