/**
 * `patchward plan -f REPO` on real sandbox hosts: a policy repository in a real Git work tree, the
 * fleet inventoried over SSH (metadata refreshed, the versions the hosts' repositories offer).
 * Ground truth is the hosts themselves: the planned versions are installed with the hosts' own
 * apt-get / dnf (exact versions, nothing else), dpkg / rpm then report exactly those versions, and
 * a second plan finds the patched hosts compliant.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { HostPlan, RolloutPlan } from '../../../controller/core/plan/index.js';
import { ensureSandboxImage, type SandboxFleet, startHosts } from '../../harness/sandbox.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

const POLICY = `apiVersion: patchward.io/v1alpha1
kind: MaintenanceWindow
metadata: { name: always }
spec:
  timeZone: UTC
  schedules: [{ cron: "0 0 * * *", duration: 24h }]
---
apiVersion: patchward.io/v1alpha1
kind: Ring
metadata: { name: canary }
spec: { order: 0, selector: { matchLabels: { ring: canary } }, windows: [always], maxConcurrent: 2, soakTime: 1h }
---
apiVersion: patchward.io/v1alpha1
kind: Ring
metadata: { name: broad }
spec: { order: 10, selector: { matchLabels: { ring: broad } }, windows: [always] }
---
apiVersion: patchward.io/v1alpha1
kind: PatchPolicy
metadata: { name: security }
spec: { selector: {}, baseline: production }
---
apiVersion: patchward.io/v1alpha1
kind: PatchBaseline
metadata: { name: production }
spec:
  approvals:
    - advisory: PWSA-2026-0001
      severity: critical
      packages:
        - { release: debian-12, name: pw-demo-src, minVersion: 1.0-2 }
        - { release: rocky-9, name: pw-libdemo, minVersion: 1.0-2 }
        - { release: rocky-9, name: pw-demo-utils, minVersion: 1.0-2 }
    - advisory: PWSA-2026-0005
      severity: high
      packages:
        - { release: debian-12, name: pw-replacer, minVersion: 2.0-1 }
        - { release: rocky-9, name: pw-replacer, minVersion: 2.0-1 }
      removes: [{ name: pw-oldtool }]
    - advisory: PWSA-2026-0003
      severity: medium
      packages:
        - { release: debian-12, name: pw-kernel, minVersion: 1.1-1 }
  holds:
    - package: pw-kernel
      hosts: { matchLabels: { team: db } }
      reason: kernel updates of the db team wait for its change window
`;

describe('patchward plan -f on live sandbox hosts', { timeout: 300_000 }, () => {
  let fleet: SandboxFleet;
  let repo = '';
  const plan = async (): Promise<RolloutPlan> => {
    const run = await runCliCaptured(['plan', '-f', repo, '--output', 'json', '--timeout', '60']);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout) as RolloutPlan & { revision?: string };
  };
  const hostOf = (value: RolloutPlan, name: string): HostPlan =>
    value.rings.flatMap((ring) => ring.hosts).find((entry) => entry.host === name) ?? assert.fail(`${name} is not planned`);
  const changes = (host: HostPlan) => host.packages.map((change) => `${change.name} ${change.from} -> ${change.to}`);

  before(async () => {
    await ensureSandboxImage({ quiet: true });
    fleet = await startHosts({
      groups: [
        { count: 2, flavour: 'apt', namePrefix: 'plan-apt' },
        { count: 1, flavour: 'rpm', namePrefix: 'plan-rpm' },
      ],
    });
    repo = mkdtempSync(join(tmpdir(), 'patchward-plan-repo-'));
    writeFileSync(join(repo, 'policy.yaml'), POLICY);
    fleet.writeFleetYaml(join(repo, 'fleet.yaml'), {
      user: 'patchward',
      ring: (host) => (host.name === 'plan-apt-02' ? 'broad' : 'canary'),
      labels: (host): Record<string, string> => (host.name === 'plan-apt-02' ? { team: 'db' } : {}),
    });
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-q', '-m', 'policy');
  });

  after(async () => {
    await fleet?.stop();
    if (repo !== '') rmSync(repo, { recursive: true, force: true });
  });

  it('names the exact versions the hosts offer; installing exactly them makes the hosts compliant', async () => {
    const first = (await plan()) as RolloutPlan & { revision?: string };
    assert.equal(first.revision, execFileSync('git', ['-C', repo, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim());
    const apt = hostOf(first, 'plan-apt-01');
    assert.deepEqual(changes(apt), [
      'pw-demo-utils 1.0-1 -> 1.0-2',
      'pw-kernel 1.0-1 -> 1.1-1',
      'pw-libdemo 1.0-1 -> 1.0-2',
      'pw-replacer 1.0-1 -> 2.0-1',
    ]);
    assert.deepEqual(
      apt.packages
        .filter((change) => change.name !== 'pw-kernel' && change.name !== 'pw-replacer')
        .map((change) => `${change.source} ${change.sourceFrom} -> ${change.sourceTo}`),
      ['pw-demo-src 1.0-1 -> 1.0-2', 'pw-demo-src 1.0-1 -> 1.0-2'],
    );
    assert.deepEqual(apt.allowedRemovals, ['pw-oldtool']);
    const rpm = hostOf(first, 'plan-rpm-01');
    assert.equal(rpm.release, 'rocky-9');
    assert.deepEqual(
      rpm.packages.map((change) => change.name),
      ['pw-demo-utils', 'pw-libdemo', 'pw-replacer'],
    );
    // The db team's host: in the broad ring, waiting for the canary, its kernel held.
    const db = hostOf(first, 'plan-apt-02');
    assert.equal(db.ring, 'broad');
    assert.deepEqual(
      db.held.map((entry) => entry.name),
      ['pw-kernel'],
    );
    assert.ok(!changes(db).some((change) => change.startsWith('pw-kernel')));
    assert.deepEqual(first.start.map((entry) => entry.host).sort(), ['plan-apt-01', 'plan-rpm-01']);
    assert.equal(first.rings[1]?.phase, 'waiting');

    // Ground truth: the hosts' own package managers install exactly the planned versions.
    const aptInstall = await fleet.exec('plan-apt-01', [
      'apt-get',
      'install',
      '-y',
      '-q',
      ...apt.packages.map((change) => `${change.name}=${change.to}`),
    ]);
    assert.equal(aptInstall.code, 0, aptInstall.stderr);
    const dpkg = await fleet.exec('plan-apt-01', [
      'dpkg-query',
      '-W',
      '-f',
      '${Package} ${Version}\\n',
      ...apt.packages.map((change) => change.name),
    ]);
    assert.deepEqual(dpkg.stdout.trim().split('\n').sort(), apt.packages.map((change) => `${change.name} ${change.to}`).sort());
    const rpmInstall = await fleet.exec('plan-rpm-01', [
      'dnf',
      '-y',
      '-q',
      'install',
      ...rpm.packages.map((change) => `${change.name}-${change.to}`),
    ]);
    assert.equal(rpmInstall.code, 0, rpmInstall.stderr);
    const rpmq = await fleet.exec('plan-rpm-01', [
      'rpm',
      '-q',
      '--qf',
      '%{NAME} %{VERSION}-%{RELEASE}\\n',
      ...rpm.packages.map((change) => change.name),
    ]);
    assert.deepEqual(rpmq.stdout.trim().split('\n').sort(), rpm.packages.map((change) => `${change.name} ${change.to}`).sort());

    // A new plan sees the canary hosts compliant; with nothing left in the canary, the broad ring may start.
    const second = await plan();
    const reasons = new Map(second.leftOut.map((entry) => [entry.host, entry.reason]));
    assert.equal(reasons.get('plan-apt-01'), 'compliant');
    assert.equal(reasons.get('plan-rpm-01'), 'compliant');
    assert.deepEqual(
      second.start.map((entry) => entry.host),
      ['plan-apt-02'],
    );
  });
});
