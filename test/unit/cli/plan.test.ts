import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HostInventory } from '../../../controller/core/inventory/host-inventory.js';
import { cordonDocument, type RolloutPlan, rolloutProgressDocument } from '../../../controller/core/plan/index.js';
import { openLocalStateStore } from '../../../controller/edges/state/local/local-state-store.js';
import type { StateDocumentType } from '../../../controller/ports/state-store.js';
import { runCliCaptured } from '../../helpers/run-cli.js';
import { debianInventory, glibcOffers, oldGlibc } from '../core/plan/plan-fixtures.js';

const KEV = join(process.cwd(), 'test', 'fixtures', 'advisories', 'kev', 'known-exploited-sample.json');
const NOW = '2027-01-04T12:00:00Z';

describe('patchward plan', () => {
  let dir = '';
  let inventoryFile = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'patchward-plan-'));
    // policies/: the Debian 12 hosts have the old glibc; the others were not reached.
    const items: HostInventory[] = ['bastion-1', 'web-canary-1', 'web-1', 'web-2', 'web-3'].map((name) =>
      debianInventory(name, oldGlibc(), glibcOffers()),
    );
    inventoryFile = join(dir, 'inventory.json');
    await writeFile(inventoryFile, JSON.stringify({ apiVersion: 'patchward.io/v1alpha1', kind: 'HostInventoryList', items }));
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('plans the example repository: JSON with the exact versions per host', async () => {
    const run = await runCliCaptured(['plan', '-f', 'policies', '--inventory', inventoryFile, '--now', NOW, '--output', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const plan = JSON.parse(run.stdout) as RolloutPlan;
    assert.deepEqual(
      plan.rings.map((ring) => ring.name),
      ['canary', 'early', 'broad'],
    );
    const webCanary = plan.rings[0]?.hosts.find((entry) => entry.host === 'web-canary-1');
    assert.deepEqual(
      webCanary?.packages.map((change) => `${change.name} ${change.from} -> ${change.to}`),
      ['libc-bin 2.36-9+deb12u1 -> 2.36-9+deb12u3', 'libc6 2.36-9+deb12u1 -> 2.36-9+deb12u3'],
    );
    // The canary window (weekly-nights, Berlin) is closed at NOW: the plan waits for it.
    assert.equal(plan.state, 'waiting');
    assert.equal(plan.rings[0]?.firstWindow?.window, 'weekly-nights');
    assert.equal(plan.nextAt, plan.rings[0]?.firstWindow?.start);
    // Hosts without an inventory are not left out: they keep their ring incomplete.
    assert.equal(plan.rings[0]?.hosts.find((entry) => entry.host === 'app-canary-1')?.block?.kind, 'unreachable');
  });

  it('reads the progress so far; --kev puts a known-exploited fix in the urgent lane (shorter soak)', async () => {
    const progressFile = join(dir, 'progress.json');
    const succeeded = { outcome: 'succeeded', attempts: 1, startedAt: '2027-01-04T08:00:00Z', finishedAt: '2027-01-04T09:00:00Z' };
    await writeFile(
      progressFile,
      JSON.stringify({
        formatVersion: 1,
        rolloutId: 'production@abc',
        hosts: { 'bastion-1': succeeded, 'web-canary-1': succeeded, 'app-canary-1': succeeded },
        rings: {},
      }),
    );
    const plain = JSON.parse(
      (
        await runCliCaptured([
          'plan',
          '-f',
          'policies',
          '--inventory',
          inventoryFile,
          '--progress',
          progressFile,
          '--now',
          NOW,
          '--output',
          'json',
        ])
      ).stdout,
    ) as RolloutPlan;
    assert.equal(plain.rolloutId, 'production@abc');
    assert.equal(plain.rings[0]?.phase, 'complete');
    assert.equal(plain.rings[0]?.soakUntil, '2027-01-05T09:00:00.000Z');
    assert.equal(plain.rings[1]?.hosts.find((entry) => entry.host === 'web-1')?.urgent, false);
    const urgent = JSON.parse(
      (
        await runCliCaptured([
          'plan',
          '-f',
          'policies',
          '--inventory',
          inventoryFile,
          '--progress',
          progressFile,
          '--kev',
          KEV,
          '--now',
          NOW,
          '--output',
          'json',
        ])
      ).stdout,
    ) as RolloutPlan;
    const web1 = urgent.rings[1]?.hosts.find((entry) => entry.host === 'web-1');
    assert.equal(web1?.urgent, true);
    assert.deepEqual(web1?.urgentAdvisories, ['DSA-5514-1']);
    assert.equal(urgent.rings[0]?.urgentSoakUntil, '2027-01-04T13:00:00.000Z');
  });

  it('reads progress and cordons from a state directory (StateStore, read-only)', async () => {
    const stateDir = join(dir, 'state');
    const store = await openLocalStateStore({ directory: stateDir, now: new Date(NOW) });
    const succeeded = { outcome: 'succeeded' as const, attempts: 1, startedAt: '2027-01-04T08:00:00Z', finishedAt: '2027-01-04T09:00:00Z' };
    const put = async <T>(type: StateDocumentType<T>, name: string, value: T) => assert.ok((await store.put(type, name, value)).ok);
    await put(rolloutProgressDocument(), 'production@one', {
      formatVersion: 1,
      rolloutId: 'production@one',
      hosts: { 'web-canary-1': succeeded },
      rings: {},
    });
    await put(cordonDocument(), 'bastion-1', { host: 'bastion-1', at: '2027-01-03T00:00:00Z', by: 'alice', reason: 'rebuild' });
    await store.close();
    const args = ['plan', '-f', 'policies', '--inventory', inventoryFile, '--state', stateDir, '--now', NOW, '--output', 'json'];
    // Without --rollout only this revision's rollout is read: none here, so the first step is planned.
    const fresh = await runCliCaptured(args);
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.match(fresh.stderr, /no progress of rollout production@[0-9a-f]+ \(stored: production@one; choose one with --rollout ID\)/);
    assert.equal((JSON.parse(fresh.stdout) as RolloutPlan).rolloutId, undefined);
    const run = await runCliCaptured([...args, '--rollout', 'production@one']);
    assert.equal(run.code, 0, run.stderr);
    const plan = JSON.parse(run.stdout) as RolloutPlan;
    assert.equal(plan.rolloutId, 'production@one');
    assert.equal(plan.rings[0]?.hosts.find((entry) => entry.host === 'web-canary-1')?.state, 'succeeded');
    assert.deepEqual(
      plan.leftOut.find((entry) => entry.host === 'bastion-1'),
      {
        host: 'bastion-1',
        ring: 'canary',
        reason: 'cordoned',
        detail: 'cordoned by alice at 2027-01-03T00:00:00Z: rebuild',
      },
    );
    const missing = await runCliCaptured([...args, '--rollout', 'production@two']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no rollout production@two in the state directory/);
  });

  it('prints Markdown for a pull request and a table for people', async () => {
    const markdown = await runCliCaptured(['plan', '-f', 'policies', '--inventory', inventoryFile, '--now', NOW, '--output', 'markdown']);
    assert.equal(markdown.code, 0);
    assert.match(markdown.stdout, /^### Rollout plan\n/);
    assert.match(markdown.stdout, /\| web-canary-1 \| debian-12 \| libc-bin:amd64 2\.36-9\+deb12u1 → 2\.36-9\+deb12u3<br>/);
    const table = await runCliCaptured(['plan', '-f', 'policies', '--inventory', inventoryFile, '--now', NOW, '--cordoned', 'web-3']);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /Ring canary \(order 0\)/);
    assert.match(table.stdout, /web-3 +broad +cordoned/);
  });

  const usage: { name: string; args: string[]; message: RegExp }[] = [
    { name: 'no policy directory', args: ['plan', '--inventory', 'x.json'], message: /-f POLICY_DIR is required/ },
    { name: 'an unknown output', args: ['plan', '-f', 'policies', '--output', 'csv'], message: /--output must be table, json or markdown/ },
    { name: 'a bad --now', args: ['plan', '-f', 'policies', '--now', 'tomorrow'], message: /--now 'tomorrow' is not a time/ },
    {
      name: '--state with --progress',
      args: ['plan', '-f', 'policies', '--state', '/tmp/x', '--progress', 'p.json'],
      message: /give --state DIR or --progress FILE, not both/,
    },
    { name: '--rollout without --state', args: ['plan', '-f', 'policies', '--rollout', 'a@b'], message: /--rollout needs --state DIR/ },
  ];
  for (const testCase of usage) {
    it(`exits 2 on ${testCase.name}`, async () => {
      const run = await runCliCaptured(testCase.args);
      assert.equal(run.code, 2);
      assert.match(run.stderr, testCase.message);
    });
  }

  it('exits 2 naming the file and the field of a bad progress document', async () => {
    const bad = join(dir, 'bad-progress.json');
    await writeFile(bad, JSON.stringify({ formatVersion: 1, rolloutId: 'p@1', hosts: { h: { outcome: 'done', attempts: 1 } }, rings: {} }));
    const run = await runCliCaptured(['plan', '-f', 'policies', '--inventory', inventoryFile, '--progress', bad]);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      new RegExp(
        `${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a RolloutProgress document: /hosts/h/outcome must be equal to one of the allowed values`,
      ),
    );
  });
});
