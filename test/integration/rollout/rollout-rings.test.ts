/**
 * `patchward rollout` on real sandbox hosts (apt and the rpm stand-in): three rings of 1, 2 and 5
 * hosts with soak times of seconds.
 * - a failing health check on the canary halts the rollout before ring 2; the halt survives a new
 *   process; after the fix on the host and `resume` the rollout goes on;
 * - a package whose fixed version fails to install (pw-broken) and a transaction that would remove
 *   a package the approval does not name (pw-replacer removes pw-oldtool) fail their hosts, count
 *   against the budget, and nothing of the refused transaction is installed;
 * - a stopped host keeps its ring incomplete (exit 4, waiting) until it is back;
 * - a cordoned host is left out until uncordoned;
 * - the audit chain verifies, and `rollback` restores the exact previous versions.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureSandboxImage, type SandboxFleet, startHosts } from '../../harness/sandbox.js';
import { installedOn, runPatchward, writeRolloutRepo } from './rollout-repo.js';

const DEMO = ['pw-libdemo', 'pw-demo-utils'];

describe('patchward rollout: three rings on sandbox hosts', { timeout: 300_000 }, () => {
  let fleet: SandboxFleet;
  let work: string;
  let repo: string;
  let state: string;
  let id: string;
  const ringOf: Record<string, string> = {
    'ro-apt-01': 'canary',
    'ro-apt-02': 'early',
    'ro-rpm-01': 'early',
    'ro-apt-03': 'broad', // pw-broken fails to install
    'ro-apt-04': 'broad', // pw-replacer would remove pw-oldtool: refused
    'ro-apt-05': 'broad', // stopped, then back
    'ro-rpm-02': 'broad',
    'ro-rpm-03': 'broad',
  };
  const rollout = (...extra: string[]) => runPatchward(['rollout', '-f', repo, '--state', state, '--retry-interval', '1', ...extra]);

  before(async () => {
    await ensureSandboxImage({ quiet: true });
    fleet = await startHosts({
      groups: [
        { count: 5, flavour: 'apt', namePrefix: 'ro-apt' },
        { count: 3, flavour: 'rpm', namePrefix: 'ro-rpm' },
      ],
    });
    work = mkdtempSync(join(tmpdir(), 'pw-rollout-'));
    repo = join(work, 'repo');
    state = join(work, 'state');
    const healthy = { name: 'app-ok', command: ['test', '-f', '/etc/pw-ok'], timeout: '5s' };
    const revision = writeRolloutRepo(repo, fleet, {
      ringOf: (host) => ringOf[host] ?? 'broad',
      labels: (host) => ({ ...(host === 'ro-apt-03' ? { broken: 'yes' } : {}), ...(host === 'ro-apt-04' ? { replacer: 'yes' } : {}) }),
      rings: [
        { name: 'canary', maxConcurrent: 1, soakTime: '1s', healthChecks: [healthy] },
        { name: 'early', maxConcurrent: 2, soakTime: '1s', healthChecks: [healthy] },
        { name: 'broad', maxConcurrent: 5, failureBudget: 2, maxAttempts: 20 },
      ],
      extraApprovals: [
        { advisory: 'PWSA-2026-0002', packages: [{ release: 'debian-12', name: 'pw-broken', minVersion: '1.0-2' }] },
        { advisory: 'PWSA-2026-0003', packages: [{ release: 'debian-12', name: 'pw-replacer', minVersion: '2.0-1' }] },
      ],
      holds: [
        {
          package: 'pw-broken',
          hosts: { matchExpressions: [{ key: 'broken', operator: 'DoesNotExist' }] },
          reason: 'only on the host that shows the failure',
        },
        {
          package: 'pw-replacer',
          hosts: { matchExpressions: [{ key: 'replacer', operator: 'DoesNotExist' }] },
          reason: 'only on the host that shows the refusal',
        },
      ],
    });
    id = `prod@${revision}`;
    for (const host of Object.keys(ringOf)) if (host !== 'ro-apt-01') await fleet.exec(host, ['touch', '/etc/pw-ok']);
  });

  after(async () => {
    await fleet?.stop();
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('halts on the canary health check before ring 2, and stays halted in a new process', async () => {
    const first = await rollout();
    assert.equal(first.code, 3, first.stdout + first.stderr);
    assert.match(first.stdout, /ro-apt-01 health failed: health check .*app-ok/);
    assert.match(first.stdout, /halted .*FailureBudgetExceeded/);
    assert.deepEqual(await installedOn(fleet, 'ro-apt-01', DEMO), { 'pw-libdemo': '1.0-2', 'pw-demo-utils': '1.0-2' });
    for (const host of ['ro-apt-02', 'ro-rpm-01', 'ro-apt-05']) {
      assert.deepEqual(await installedOn(fleet, host, DEMO), { 'pw-libdemo': '1.0-1', 'pw-demo-utils': '1.0-1' }, `${host} untouched`);
    }
    const again = await rollout('--until', 'idle');
    assert.equal(again.code, 3, 'the halt survives a restart');
    assert.doesNotMatch(again.stdout, /Z early /, 'no step of ring 2 ran');
    assert.match(again.stdout, /ring early: 0 succeeded, 0 failed, 0 in progress, 2 pending/);
  });

  it('after the fix and resume, a stopped host keeps its ring incomplete', async () => {
    await fleet.exec('ro-apt-01', ['touch', '/etc/pw-ok']);
    await fleet.stopHost('ro-apt-05');
    const resumed = await runPatchward(['resume', '--state', state, id]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const cordoned = await runPatchward(['cordon', '--state', state, '--reason', 'disk replacement', 'ro-rpm-03']);
    assert.equal(cordoned.code, 0, cordoned.stderr);
    let run = await rollout('--until', 'idle');
    for (let tries = 0; tries < 10 && !/broad ro-apt-05 observe retry/.test(run.stdout); tries += 1) {
      await new Promise((done) => setTimeout(done, 1100));
      run = await rollout('--until', 'idle');
    }
    assert.equal(run.code, 4, run.stdout + run.stderr);
    assert.match(run.stdout, /ro-apt-05 observe retry: .*ECONNREFUSED/);
    assert.match(run.stdout, /waiting \(nothing can start before/);
    assert.doesNotMatch(run.stdout, /ring broad: .*completed/);
  });

  it('completes when the host is back; failures count against the budget; refusals install nothing', async () => {
    await fleet.startHost('ro-apt-05');
    const done = await rollout('--until', 'done');
    assert.equal(done.code, 1, `complete with failed hosts within the budget: ${done.stdout}${done.stderr}`);
    assert.match(done.stdout, /complete \(complete: every ring is done\)/);
    assert.match(done.stdout, /ring broad: 2 succeeded, 2 failed/);
    assert.match(done.stdout, /ro-apt-03 failed: install-failed/);
    assert.match(done.stdout, /ro-apt-04 failed: refused before installing anything: .*pw-oldtool/);
    assert.match(done.stdout, /left out: ro-rpm-03 \(cordoned: .*disk replacement/);
    assert.deepEqual(
      await installedOn(fleet, 'ro-rpm-03', DEMO),
      { 'pw-libdemo': '1.0-1', 'pw-demo-utils': '1.0-1' },
      'a cordoned host is left alone',
    );
    const uncordoned = await runPatchward(['uncordon', '--state', state, 'ro-rpm-03']);
    assert.equal(uncordoned.code, 0, uncordoned.stderr);
    const after = await rollout('--until', 'done');
    assert.equal(after.code, 1, after.stdout + after.stderr);
    assert.match(after.stdout, /ring broad: 3 succeeded, 2 failed/);
    for (const host of ['ro-apt-01', 'ro-apt-02', 'ro-rpm-01', 'ro-apt-05', 'ro-rpm-02', 'ro-rpm-03']) {
      assert.deepEqual(await installedOn(fleet, host, DEMO), { 'pw-libdemo': '1.0-2', 'pw-demo-utils': '1.0-2' }, host);
    }
    assert.deepEqual(await installedOn(fleet, 'ro-apt-04', [...DEMO, 'pw-replacer', 'pw-oldtool']), {
      'pw-libdemo': '1.0-1',
      'pw-demo-utils': '1.0-1',
      'pw-replacer': '1.0-1',
      'pw-oldtool': '1.0-1',
    });
    const verify = await runPatchward(['report', '--state', state, '--verify', '--output', 'json']);
    assert.equal(verify.code, 0, verify.stderr);
    const report = JSON.parse(verify.stdout) as { fixed: Record<string, string[]>; patched: { host: string; result: string }[] };
    assert.deepEqual(report.fixed['ro-rpm-02'], ['PWSA-2026-0001']);
    assert.equal(report.patched.filter((row) => row.result === 'failed').length >= 2, true);
  });

  it('rollback restores the exact previous versions', async () => {
    const rolled = await runPatchward(['rollback', '--state', state, 'ro-rpm-02']);
    assert.equal(rolled.code, 0, rolled.stdout + rolled.stderr);
    assert.deepEqual(await installedOn(fleet, 'ro-rpm-02', DEMO), { 'pw-libdemo': '1.0-1', 'pw-demo-utils': '1.0-1' });
    const apt = await runPatchward(['rollback', '--state', state, 'ro-apt-02', '--rollout', id]);
    assert.equal(apt.code, 0, apt.stdout + apt.stderr);
    assert.deepEqual(await installedOn(fleet, 'ro-apt-02', DEMO), { 'pw-libdemo': '1.0-1', 'pw-demo-utils': '1.0-1' });
  });
});
