/**
 * The `PackageManager` port on real sandbox hosts (apt and dnf), reached over SSH as the non-root
 * `patchward` user with `sudo -n`: state read with lock wait and broken-DB refusal, refresh,
 * simulation read into a transaction and checked against the approval, exact-version apply,
 * verification, reboot detection and offered versions. Ground truth: the hosts' own dpkg/rpm
 * through the harness (nsenter, no SSH).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkTransaction, verifyVersions, type PackageVersion } from '../../../controller/core/transaction/index.js';
import { packageManagerFor } from '../../../controller/edges/packages/host-package-manager.js';
import type { PackageManager } from '../../../controller/ports/package-manager.js';
import { ensureSandboxImage, startHosts, type SandboxFleet } from '../../harness/sandbox.js';
import { sandboxTransports, type SandboxTransports } from '../../helpers/sandbox-transport.js';

const RUN = { timeoutMs: 120_000, sudo: true } as const;
const APPLY = { ...RUN, lockTimeoutSeconds: 30 } as const;
const FLAVOURS = [
  { flavour: 'apt', id: 'apt', host: 'pm-apt-01', other: 'pm-apt-02', query: ['dpkg-query', '-W', '-f', '${Package} ${Version}\\n'] },
  { flavour: 'rpm', id: 'dnf', host: 'pm-rpm-01', other: 'pm-rpm-02', query: ['rpm', '-qa', '--qf', '%{NAME} %{VERSION}-%{RELEASE}\\n'] },
] as const;

describe('PackageManager on sandbox hosts', { timeout: 600_000 }, () => {
  let fleet: SandboxFleet;
  let ssh: SandboxTransports;

  before(async () => {
    await ensureSandboxImage({ quiet: true });
    fleet = await startHosts({
      groups: [
        { count: 2, flavour: 'apt', namePrefix: 'pm-apt' },
        { count: 2, flavour: 'rpm', namePrefix: 'pm-rpm' },
      ],
    });
    ssh = sandboxTransports(fleet);
  });

  after(async () => {
    await ssh?.close();
    await fleet?.stop();
  });

  const truth = async (name: string, query: readonly string[]): Promise<Map<string, string>> => {
    const result = await fleet.exec(name, query);
    return new Map(
      result.stdout
        .split('\n')
        .filter((line) => line.startsWith('pw-'))
        .map((line) => line.split(' ') as [string, string]),
    );
  };

  for (const { flavour, id, host, other, query } of FLAVOURS) {
    describe(`${flavour} (${id})`, () => {
      let pm: PackageManager;
      before(() => {
        pm = packageManagerFor(id, ssh.transport(host));
      });

      it('reads the state: installed versions, the boot id, a healthy database', async () => {
        const state = await pm.readState({ ...RUN, lockWaitSeconds: 0 });
        assert.ok(state.ok, state.ok ? '' : state.error.message);
        assert.equal(state.value.bootId, fleet.bootId(host));
        assert.equal(state.value.packages.find((pkg) => pkg.name === 'pw-libdemo')?.version, '1.0-1');
      });

      it('waits for a held lock, refuses when it stays held, and goes on once it is released', async () => {
        const release = await fleet.holdPackageLock(host);
        const held = await pm.readState({ ...RUN, lockWaitSeconds: 1 });
        assert.equal(held.ok, false);
        assert.equal(held.ok ? '' : held.error.reason, 'lock-held');
        const waiting = pm.readState({ ...RUN, lockWaitSeconds: 60 });
        await new Promise((done) => setTimeout(done, 1500));
        await release();
        const after = await waiting;
        assert.ok(after.ok, after.ok ? '' : after.error.message);
      });

      it('apply gives up on a lock held past its lock timeout, naming it, and installs nothing', async () => {
        const release = await fleet.holdPackageLock(other);
        try {
          const otherPm = packageManagerFor(id, ssh.transport(other));
          const applied = await otherPm.apply([{ name: 'pw-libdemo', version: '1.0-2' }], { ...APPLY, lockTimeoutSeconds: 1 });
          assert.equal(applied.ok ? 'applied' : applied.error.reason, 'lock-timeout');
        } finally {
          await release();
        }
        assert.equal((await truth(other, query)).get('pw-libdemo'), '1.0-1');
      });

      it('refreshes metadata and simulates exact versions into a transaction', async () => {
        const refreshed = await pm.refreshMetadata({ ...RUN, refreshTimeoutSeconds: 60 });
        assert.ok(refreshed.ok, refreshed.ok ? '' : refreshed.error.output);
        const sim = await pm.simulate(
          [
            { name: 'pw-libdemo', version: '1.0-2' },
            { name: 'pw-demo-utils', version: '1.0-2' },
            { name: 'pw-depender', version: '2.0-1' },
          ],
          APPLY,
        );
        assert.ok(sim.ok, sim.ok ? '' : sim.error.output);
        assert.deepEqual(sim.value.upgrades.map((change) => `${change.name} ${change.version}`).sort(), [
          'pw-demo-utils 1.0-2',
          'pw-depender 2.0-1',
          'pw-libdemo 1.0-2',
        ]);
        assert.deepEqual(
          sim.value.installs.map((change) => `${change.name} ${change.version}`),
          ['pw-newdep 1.0-1'],
          'the new dependency',
        );
        assert.deepEqual(sim.value.removals, []);
        const targets = [
          { name: 'pw-libdemo', version: '1.0-2' },
          { name: 'pw-demo-utils', version: '1.0-2' },
          { name: 'pw-depender', version: '2.0-1' },
        ];
        assert.ok(checkTransaction(sim.value, { targets, removes: [] }).ok, 'approved set + its new dependency pass');
        assert.deepEqual(await truth(host, query).then((map) => map.get('pw-libdemo')), '1.0-1', 'a simulation changes nothing');
      });

      it('reads a removal from the simulation; the check refuses it unless the approval names it', async () => {
        const sim = await pm.simulate([{ name: 'pw-replacer', version: '2.0-1' }], APPLY);
        assert.ok(sim.ok, sim.ok ? '' : sim.error.output);
        assert.deepEqual(
          sim.value.removals.map((change) => change.name),
          ['pw-oldtool'],
        );
        const refused = checkTransaction(sim.value, { targets: [{ name: 'pw-replacer', version: '2.0-1' }], removes: [] });
        assert.equal(refused.ok, false);
        assert.match(refused.ok ? '' : refused.error.message, /would remove packages the approval does not name: pw-oldtool/);
        assert.ok(checkTransaction(sim.value, { targets: [{ name: 'pw-replacer', version: '2.0-1' }], removes: ['pw-oldtool'] }).ok);
        if (id === 'apt') {
          // Belt and braces: an apply not told removals are allowed removes nothing (apt --no-remove).
          const applied = await pm.apply([{ name: 'pw-replacer', version: '2.0-1' }], APPLY);
          assert.equal(applied.ok ? 'applied' : applied.error.reason, 'removal-refused');
          assert.equal((await truth(host, query)).get('pw-oldtool'), '1.0-1');
        }
      });

      it('checked apply: shows the transaction before anything is installed; a refusal installs nothing', async () => {
        const targets = [{ name: 'pw-replacer', version: '2.0-1' }];
        const shown: string[] = [];
        const outcome = await pm.checkedApply(targets, APPLY, (transaction) => {
          shown.push(...transaction.removals.map((change) => `remove ${change.name} ${change.fromVersion}`));
          shown.push(...transaction.upgrades.map((change) => `upgrade ${change.name} ${change.version}`));
          return checkTransaction(transaction, { targets, removes: [] }).ok;
        });
        assert.equal(outcome.kind, 'refused');
        assert.deepEqual(shown.sort(), ['remove pw-oldtool 1.0-1', 'upgrade pw-replacer 2.0-1']);
        const ground = await truth(host, query);
        assert.equal(ground.get('pw-replacer'), '1.0-1', 'nothing installed');
        assert.equal(ground.get('pw-oldtool'), '1.0-1', 'nothing removed');
      });

      it('checked apply: an accepted transaction (with its new dependency) is installed and read back in the same call', async () => {
        const targets = [{ name: 'pw-depender', version: '2.0-1' }];
        const outcome = await pm.checkedApply(targets, APPLY, (transaction) => checkTransaction(transaction, { targets, removes: [] }).ok);
        assert.equal(outcome.kind, 'applied', JSON.stringify(outcome));
        if (outcome.kind !== 'applied') return;
        assert.deepEqual(
          outcome.transaction?.installs.map((change) => `${change.name} ${change.version}`),
          ['pw-newdep 1.0-1'],
        );
        const readBack = new Map(outcome.outcome.after?.packages.map((pkg) => [pkg.name, pkg.version]));
        assert.equal(readBack.get('pw-depender'), '2.0-1');
        const ground = await truth(host, query);
        assert.equal(ground.get('pw-depender'), '2.0-1');
        assert.equal(ground.get('pw-newdep'), '1.0-1');
      });

      it('says a version the repositories do not offer is not offered', async () => {
        const sim = await pm.simulate([{ name: 'pw-libdemo', version: '9.9-1' }], APPLY);
        assert.equal(sim.ok, false);
        assert.equal(sim.ok ? '' : sim.error.reason, 'not-offered');
      });

      it('never puts an invalid name on a command line', async () => {
        const sim = await pm.simulate([{ name: 'pw-libdemo;touch /tmp/pwned', version: '1.0-2' }], APPLY);
        assert.equal(sim.ok ? '' : sim.error.reason, 'invalid-request');
      });

      it('applies exactly the given versions, verifies them, and sees the reboot request of the kernel package', async () => {
        const targets: PackageVersion[] = [
          { name: 'pw-libdemo', version: '1.0-2' },
          { name: 'pw-demo-utils', version: '1.0-2' },
          { name: 'pw-kernel', version: '1.1-1' },
        ];
        assert.equal((await pm.rebootRequired(RUN)).required, false);
        const applied = await pm.apply(targets, APPLY);
        assert.ok(applied.ok, applied.ok ? '' : applied.error.output);
        const installed = await pm.installedVersions(
          targets.map((target) => target.name),
          RUN,
        );
        assert.deepEqual(verifyVersions(targets, installed), { ok: true, mismatches: [] });
        const ground = await truth(host, query);
        for (const target of targets) assert.equal(ground.get(target.name), target.version, `${target.name} on the host`);
        const reboot = await pm.rebootRequired(RUN);
        assert.equal(reboot.required, true);
        assert.ok(reboot.reasons.includes('reboot-required file'));
        assert.deepEqual(reboot.packages, ['pw-kernel']);
      });

      it('reports a failed install and verification names the package left behind', async () => {
        const otherPm = packageManagerFor(id, ssh.transport(other));
        const targets = [{ name: 'pw-broken', version: '1.0-2' }];
        const applied = await otherPm.apply(targets, APPLY);
        assert.equal(applied.ok, false);
        assert.equal(applied.ok ? '' : applied.error.reason, 'install-failed');
        const verification = verifyVersions(targets, await otherPm.installedVersions(['pw-broken'], RUN));
        assert.equal(verification.ok, false);
        assert.equal(verification.mismatches[0]?.name, 'pw-broken');
      });

      it('lists the versions the repositories offer', async () => {
        const offered = await pm.offeredVersions(['pw-libdemo', 'pw-newdep'], RUN);
        assert.deepEqual(offered.map((entry) => `${entry.name} ${entry.version}`).sort(), [
          'pw-libdemo 1.0-1',
          'pw-libdemo 1.0-2',
          'pw-newdep 1.0-1',
        ]);
      });
    });
  }

  it('apt: a transaction that would change an installed package outside the approved set is refused, naming it', async () => {
    // pw-libdemo 1.0-2 alone: apt also upgrades pw-demo-utils (same source), which the approval did not list.
    const pm = packageManagerFor('apt', ssh.transport('pm-apt-02'));
    const targets = [{ name: 'pw-libdemo', version: '1.0-2' }];
    const sim = await pm.simulate(targets, APPLY);
    assert.ok(sim.ok, sim.ok ? '' : sim.error.output);
    const refused = checkTransaction(sim.value, { targets, removes: [] });
    assert.equal(
      refused.ok ? '' : refused.error.message,
      'transaction refused: would change packages outside the approved set: pw-demo-utils',
    );
  });

  it('a metadata refresh that hangs is cut at its timeout and reported, in the port and in the inventory', async () => {
    const undo = await fleet.makeCommandHang('pm-apt-02', 'apt-get');
    try {
      const pm = packageManagerFor('apt', ssh.transport('pm-apt-02'));
      const refreshed = await pm.refreshMetadata({ ...RUN, refreshTimeoutSeconds: 1 });
      assert.equal(refreshed.ok ? 'ok' : refreshed.error.reason, 'refresh-failed');
      assert.match(refreshed.ok ? '' : refreshed.error.message, /did not finish within 1 s/);
      // (Every apt-get hangs here, so the inventory is asked for nothing else that runs apt-get.)
      const facts = await pm.collectFacts({ ...RUN, pendingUpgrades: false, refresh: true, refreshTimeoutSeconds: 1 });
      assert.ok(facts.warnings.includes('apt-get update failed (exit 124, timed out)'), facts.warnings.join('; '));
      assert.ok(
        facts.packages.some((pkg) => pkg.name === 'pw-libdemo'),
        'the rest of the facts still come',
      );
    } finally {
      await undo();
    }
  });

  it('apt: refuses a broken database at the state read', async () => {
    await fleet.breakPackageDb('pm-apt-02', 'half-installed');
    const state = await packageManagerFor('apt', ssh.transport('pm-apt-02')).readState({ ...RUN, lockWaitSeconds: 0 });
    assert.equal(state.ok ? '' : state.error.reason, 'broken-db');
  });

  it('dnf: refuses a broken database at the state read', async () => {
    await fleet.breakPackageDb('pm-rpm-02', 'corrupt-db');
    const state = await packageManagerFor('dnf', ssh.transport('pm-rpm-02')).readState({ ...RUN, lockWaitSeconds: 0 });
    assert.equal(state.ok ? '' : state.error.reason, 'broken-db');
  });
});
