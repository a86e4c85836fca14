/**
 * Inventory against real sandbox hosts (test/harness/sandbox.ts): real sshd, dpkg/apt and rpm/dnf,
 * reached over SSH as the non-root `patchward` user with `sudo -n`. Ground truth comes from the
 * harness's `exec` (nsenter, no SSH). Ten hosts, each healthy or broken in its own way.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { HostInventory, HostInventoryList } from '../../../controller/core/inventory/host-inventory.js';
import { resolveFleetHosts } from '../../../controller/core/model/index.js';
import { collectFleetInventory } from '../../../controller/edges/inventory/collect-fleet-inventory.js';
import { FileSecretReader } from '../../../controller/edges/transport/secrets/file-secret-reader.js';
import { buildFleet } from '../../harness/fleet-yaml.js';
import { ensureSandboxImage, startHosts, type SandboxFleet, type SandboxHost } from '../../harness/sandbox.js';
import { inventorySchemaErrors } from '../../helpers/validate-inventory.js';

const HOST_TIMEOUT_MS = 8000;

describe('inventory of ten sandbox hosts', { timeout: 600_000 }, () => {
  let fleet: SandboxFleet;
  let pinnedBefore: readonly SandboxHost[];
  let list: HostInventoryList;
  const releases: (() => Promise<void>)[] = [];
  const item = (name: string): HostInventory =>
    list.items.find((candidate) => candidate.host === name) ?? assert.fail(`no item for ${name}`);

  before(async () => {
    await ensureSandboxImage({ quiet: true });
    fleet = await startHosts({
      groups: [
        { count: 6, flavour: 'apt', namePrefix: 'inv-apt' },
        { count: 4, flavour: 'rpm', namePrefix: 'inv-rpm' },
      ],
    });
    pinnedBefore = fleet.hosts;
    const doc = buildFleet(pinnedBefore, fleet.clientKeyPath, { user: 'patchward' });
    const jumped = doc.spec.hosts.find((host) => host.name === 'inv-rpm-01');
    if (jumped?.ssh !== undefined) jumped.ssh.jumpHost = 'inv-apt-01';
    await fleet.stopHost('inv-apt-02');
    await fleet.rotateHostKey('inv-apt-03');
    releases.push(await fleet.makeCommandHang('inv-apt-04', 'dpkg-query'));
    await fleet.breakPackageDb('inv-apt-05', 'half-configured');
    releases.push(await fleet.holdPackageLock('inv-apt-06'));
    const sudoers = await fleet.exec('inv-rpm-03', ['sh', '-c', "printf 'patchward ALL=(ALL) ALL\\n' > /etc/sudoers.d/patchward"]);
    assert.equal(sudoers.code, 0, sudoers.stderr);
    await fleet.breakPackageDb('inv-rpm-04', 'corrupt-db');

    const collected = await collectFleetInventory(resolveFleetHosts(doc), {
      secrets: new FileSecretReader({ baseDir: '/' }),
      logger: pino({ level: 'silent' }),
      concurrency: 10,
      hostTimeoutMs: HOST_TIMEOUT_MS,
    });
    list = collected.inventory;
  });

  after(async () => {
    for (const release of releases) await release().catch(() => undefined);
    await fleet?.stop();
  });

  it('produces one schema-valid snapshot per host, in fleet order', () => {
    assert.deepEqual(inventorySchemaErrors(list), []);
    assert.deepEqual(
      list.items.map((entry) => entry.host),
      pinnedBefore.map((host) => host.name),
    );
    assert.deepEqual(Object.fromEntries(list.items.map((entry) => [entry.host, entry.status])), {
      'inv-apt-01': 'ok',
      'inv-apt-02': 'unreachable',
      'inv-apt-03': 'refused',
      'inv-apt-04': 'timeout',
      'inv-apt-05': 'ok',
      'inv-apt-06': 'ok',
      'inv-rpm-01': 'ok',
      'inv-rpm-02': 'ok',
      'inv-rpm-03': 'refused',
      'inv-rpm-04': 'ok',
    });
  });

  for (const name of ['inv-apt-01', 'inv-apt-05']) {
    it(`${name}: packages match dpkg-query on the host`, async () => {
      const truth = await fleet.exec(name, ['dpkg-query', '-W', '-f=${Package} ${Version} ${Architecture} ${db:Status-Abbrev}\n']);
      const expected = truth.stdout
        .split('\n')
        .filter((line) => / .[^nc]. ?$/.test(line))
        .map((line) => line.split(' ').slice(0, 3).join(' '))
        .sort();
      const entry = item(name);
      assert.equal(entry.os?.release, 'debian-12');
      assert.equal(entry.packageManager, 'apt');
      assert.deepEqual((entry.packages ?? []).map((pkg) => `${pkg.name} ${pkg.version} ${pkg.arch}`).sort(), expected);
    });
  }

  for (const name of ['inv-rpm-01', 'inv-rpm-02']) {
    it(`${name}: packages match rpm -qa on the host${name === 'inv-rpm-01' ? ' (reached through jump host inv-apt-01)' : ''}`, async () => {
      const truth = await fleet.exec(name, ['rpm', '-qa', '--qf', '%{NAME} %|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE} %{ARCH}\n']);
      const expected = truth.stdout
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('gpg-pubkey '))
        .sort();
      const entry = item(name);
      assert.equal(entry.os?.release, 'rocky-9');
      assert.equal(entry.packageManager, 'dnf');
      assert.ok(expected.length > 0);
      assert.deepEqual((entry.packages ?? []).map((pkg) => `${pkg.name} ${pkg.version} ${pkg.arch}`).sort(), expected);
      assert.equal(entry.packageDb?.healthy, true);
    });
  }

  it('a stopped host is unreachable', () => {
    assert.match(item('inv-apt-02').reason ?? '', /ECONNREFUSED|cannot connect/);
  });

  it('a host whose key changed is refused, naming the pinned and the seen fingerprints', () => {
    const pinned = pinnedBefore.find((host) => host.name === 'inv-apt-03')?.hostKeyFingerprint ?? '';
    const seen = fleet.host('inv-apt-03').hostKeyFingerprint;
    assert.notEqual(pinned, seen);
    const reason = item('inv-apt-03').reason ?? '';
    assert.ok(reason.includes(pinned) && reason.includes(seen), reason);
  });

  it('a host whose dpkg-query hangs times out', () => {
    assert.match(item('inv-apt-04').reason ?? '', /timed out|no answer within/);
  });

  it('broken package databases are reported with the problem, not hidden', () => {
    const halfConfigured = item('inv-apt-05').packageDb;
    assert.equal(halfConfigured?.healthy, false);
    assert.ok(
      halfConfigured?.problems.some((problem) => problem.kind === 'half-configured' && problem.package === 'pw-broken'),
      JSON.stringify(halfConfigured),
    );
    const locked = item('inv-apt-06').packageDb;
    assert.deepEqual(
      locked?.problems.map((problem) => problem.kind),
      ['lock-held', 'lock-held'],
    );
    const rpmdb = item('inv-rpm-04').packageDb;
    assert.equal(rpmdb?.healthy, false);
    assert.equal(rpmdb?.problems[0]?.kind, 'rpmdb-error');
  });

  it('sudo that wants a password refuses the host with SudoRequiresPassword', () => {
    assert.match(item('inv-rpm-03').reason ?? '', /sudo -n .* requires a password/);
  });
});
