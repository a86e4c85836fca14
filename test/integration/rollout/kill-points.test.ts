/**
 * Kill-point test: for every step boundary of the host sequence (intent written / side effect done /
 * outcome written, for each of the six steps), the real `patchward rollout` child process kills
 * itself with SIGKILL there (test hook PATCHWARD_TEST_KILL_AT, see `patchward rollout --help`),
 * at the first host that reaches it (the canary), and after the apply and after the reboot of the
 * first ring-2 host (the second). A new process then finishes the rollout. Every host gets the
 * reboot package (pw-kernel), so every host reboots. Checked each time against the hosts' own
 * package logs (dpkg.log, dnf.rpm.log), their boot ids and the audit log:
 * - the rollout finishes, every host has the target versions and rebooted once with a new boot id;
 * - no host ever got the upgrade twice; the audit log records exactly one apply per host and the
 *   versions it claims are the ones the host's log shows;
 * - never more hosts of a ring at once than its maxConcurrent, never a ring out of order;
 * - the audit chain verifies.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { HOST_STEPS } from '../../../controller/core/rollout/rollout-state.js';
import { type AuditRecord, parseAuditText, verifyAuditText } from '../../../controller/edges/status/audit-log.js';
import { ensureSandboxImage, type SandboxFleet, startHosts } from '../../harness/sandbox.js';
import { installedOn, runPatchward, writeRolloutRepo } from './rollout-repo.js';

const POINTS = ['intent', 'effect', 'recorded'] as const;
const PATCHED = { 'pw-libdemo': '1.0-2', 'pw-demo-utils': '1.0-2', 'pw-kernel': '1.1-1' };
const RING_OF: Record<string, string> = { 'kp-apt-01': 'canary', 'kp-apt-02': 'broad', 'kp-rpm-01': 'broad' };
const MAX_CONCURRENT: Record<string, number> = { canary: 1, broad: 1 };
/** pw-kernel's fixed version asks for a reboot (/run/reboot-required); the sandbox's in-host `systemctl reboot` restarts the host with a new boot id. */
const KERNEL = {
  advisory: 'PWSA-2026-0004',
  packages: [
    { release: 'debian-12', name: 'pw-kernel', minVersion: '1.1-1' },
    { release: 'rocky-9', name: 'pw-kernel', minVersion: '1.1-1' },
  ],
};
const REBOOT = { policy: 'if-required', timeout: '60s' };

/** Upgrades of the demo packages the host's own log shows: [package, from, to]. */
async function hostUpgrades(fleet: SandboxFleet, host: string): Promise<string[][]> {
  if (fleet.host(host).flavour === 'rpm') {
    const log = await fleet.exec(host, ['cat', '/var/log/dnf.rpm.log']);
    return [...log.stdout.matchAll(/ Upgrade: (pw-libdemo|pw-demo-utils|pw-kernel)-([^-\s]+-[^.\s]+)\.noarch/g)].map((m) => [
      m[1] ?? '',
      '',
      m[2] ?? '',
    ]);
  }
  const log = await fleet.exec(host, ['cat', '/var/log/dpkg.log']);
  return [...log.stdout.matchAll(/ upgrade (pw-libdemo|pw-demo-utils|pw-kernel):\S+ (\S+) (\S+)/g)].map((m) => [
    m[1] ?? '',
    m[2] ?? '',
    m[3] ?? '',
  ]);
}

function maxOverlap(spans: readonly [number, number][]): number {
  const events = spans.flatMap(([start, end]) => [
    [start, 1],
    [end, -1],
  ]);
  events.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
  let now = 0;
  let max = 0;
  for (const [, delta] of events) {
    now += delta as number;
    max = Math.max(max, now);
  }
  return max;
}

async function checkRun(fleet: SandboxFleet, state: string, label: string): Promise<void> {
  const text = readFileSync(join(state, 'audit.jsonl'), 'utf8');
  assert.equal(verifyAuditText(text).ok, true, `${label}: audit chain`);
  const records = parseAuditText(text);
  const byHost = new Map<string, AuditRecord[]>();
  for (const record of records) if (record.host !== undefined) byHost.set(record.host, [...(byHost.get(record.host) ?? []), record]);
  for (const host of Object.keys(RING_OF)) {
    assert.deepEqual(await installedOn(fleet, host, Object.keys(PATCHED)), PATCHED, `${label}: ${host} patched`);
    const upgrades = await hostUpgrades(fleet, host);
    for (const name of Object.keys(PATCHED)) {
      assert.equal(
        upgrades.filter(([upgraded]) => upgraded === name).length,
        1,
        `${label}: ${host} got ${name} exactly once: ${JSON.stringify(upgrades)}`,
      );
    }
    const mine = byHost.get(host) ?? [];
    const applies = mine.filter((record) => record.step === 'apply' && (record.outcome === 'succeeded' || record.outcome === 'recovered'));
    const effective = applies.filter((record) => record.outcome === 'recovered' || !/already installed/.test(record.message ?? ''));
    assert.equal(effective.length, 1, `${label}: ${host}: one apply in the audit log: ${JSON.stringify(applies)}`);
    for (const [name, from, to] of upgrades) {
      assert.equal(effective[0]?.after?.[name ?? ''], to, `${label}: ${host}: audit 'after' of ${name} matches the host log`);
      if (from !== '') assert.equal(effective[0]?.before?.[name ?? ''], from, `${label}: ${host}: audit 'before' of ${name}`);
    }
    assert.equal(
      mine.filter((record) => record.step === 'host' && record.outcome === 'started').length,
      1,
      `${label}: ${host} started once`,
    );
    assert.equal(
      mine.filter((record) => record.step === 'host' && record.outcome === 'succeeded').length,
      1,
      `${label}: ${host} succeeded once`,
    );
  }
  for (const host of Object.keys(RING_OF)) {
    const reboots = (byHost.get(host) ?? []).filter(
      (record) =>
        record.step === 'reboot' && (record.outcome === 'succeeded' || record.outcome === 'recovered') && record.bootIdAfter !== undefined,
    );
    assert.equal(reboots.length, 1, `${label}: ${host} rebooted once: ${JSON.stringify(reboots)}`);
    assert.notEqual(reboots[0]?.bootIdAfter, reboots[0]?.bootIdBefore, `${label}: ${host}: a new boot id`);
    assert.equal(reboots[0]?.bootIdAfter, fleet.bootId(host), `${label}: ${host}: the audit's new boot id is the host's`);
  }
  if (label.startsWith('host:finished')) {
    assert.ok(
      records.some((record) => record.step === 'host' && record.outcome === 'recovered'),
      `${label}: the finished host's end was recorded from its own record, not run again`,
    );
  }
  if (label.startsWith('reboot:effect')) {
    assert.ok(
      records.some((record) => record.step === 'reboot' && record.outcome === 'recovered'),
      `${label}: the host killed after its reboot was asked for its boot id, and the reboot recorded as recovered`,
    );
  }
  if (label.startsWith('apply:effect')) {
    const recovered = records.filter((record) => record.step === 'apply' && record.outcome === 'recovered');
    assert.ok(recovered.length >= 1, `${label}: the host killed after its apply was asked, and the finished apply recorded as recovered`);
  }
  const spanOf = (host: string): [number, number] => {
    const mine = byHost.get(host) ?? [];
    const end = mine.find((record) => record.step === 'host' && record.outcome === 'succeeded');
    return [Date.parse(mine[0]?.time ?? ''), Date.parse(end?.time ?? '')];
  };
  for (const [ring, limit] of Object.entries(MAX_CONCURRENT)) {
    const spans = Object.keys(RING_OF)
      .filter((host) => RING_OF[host] === ring)
      .map(spanOf);
    assert.ok(maxOverlap(spans) <= limit, `${label}: ring ${ring} ran more than ${limit} hosts at once: ${JSON.stringify(spans)}`);
  }
  const canaryDone = spanOf('kp-apt-01')[1];
  for (const host of ['kp-apt-02', 'kp-rpm-01']) {
    assert.ok(spanOf(host)[0] >= canaryDone, `${label}: ${host} started before the canary ring completed`);
  }
}

describe('kill-point: SIGKILL at every step boundary, then resume', { timeout: 480_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'pw-killpoint-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  // Every step boundary at the canary (the 1st host to reach it), and its end (its final record
  // written, the rollout's progress not yet); at the first ring-2 host (the 2nd), whose ring allows
  // one host at a time, the two boundaries where the host is asked again.
  const labels = [
    ...HOST_STEPS.flatMap((step) => POINTS.map((point) => `${step}:${point}:1`)),
    'host:finished:1',
    'apply:effect:2',
    'reboot:effect:2',
  ];
  for (const label of labels) {
    it(`killed at ${label}`, async () => {
      await ensureSandboxImage({ quiet: true });
      const fleet = await startHosts({
        groups: [
          { count: 2, flavour: 'apt', namePrefix: 'kp-apt' },
          { count: 1, flavour: 'rpm', namePrefix: 'kp-rpm' },
        ],
      });
      try {
        const dir = join(work, label.replaceAll(':', '-'));
        const repo = join(dir, 'repo');
        const state = join(dir, 'state');
        writeRolloutRepo(repo, fleet, {
          ringOf: (host) => RING_OF[host] ?? 'broad',
          rings: [
            { name: 'canary', maxConcurrent: 1, healthChecks: [{ name: 'true', command: ['true'], timeout: '5s' }], reboot: REBOOT },
            { name: 'broad', maxConcurrent: 1, healthChecks: [{ name: 'true', command: ['true'], timeout: '5s' }], reboot: REBOOT },
          ],
          extraApprovals: [KERNEL],
        });
        const args = ['rollout', '-f', repo, '--state', state, '--retry-interval', '1'];
        const killed = await runPatchward(args, { PATCHWARD_TEST_KILL_AT: label });
        assert.equal(killed.signal, 'SIGKILL', `${label}: the hook killed the process: ${killed.stdout}${killed.stderr}`);
        const resumed = await runPatchward(args);
        assert.equal(resumed.code, 0, `${label}: ${resumed.stdout}${resumed.stderr}`);
        await checkRun(fleet, state, label);
      } finally {
        await fleet.stop();
      }
    });
  }
});
