/**
 * The inventory's plan inputs on real sandbox hosts: the boot id, and the versions the hosts'
 * repositories offer for installed packages (after a real metadata refresh), for apt and dnf.
 * Ground truth: the harness's own boot id file and the repository MANIFEST (old → fixed versions).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { HostInventory, HostInventoryList } from '../../../controller/core/inventory/host-inventory.js';
import { resolveFleetHosts } from '../../../controller/core/model/index.js';
import { collectFleetInventory } from '../../../controller/edges/inventory/collect-fleet-inventory.js';
import { FileSecretReader } from '../../../controller/edges/transport/secrets/file-secret-reader.js';
import { buildFleet } from '../../harness/fleet-yaml.js';
import { ensureSandboxImage, startHosts, type SandboxFleet } from '../../harness/sandbox.js';
import { inventorySchemaErrors } from '../../helpers/validate-inventory.js';

describe('inventory: boot id and available versions on sandbox hosts', { timeout: 300_000 }, () => {
  let fleet: SandboxFleet;
  let list: HostInventoryList;
  const item = (name: string): HostInventory => list.items.find((candidate) => candidate.host === name) ?? assert.fail(`no ${name}`);
  const offered = (name: string, pkg: string) =>
    (item(name).available ?? [])
      .filter((entry) => entry.name === pkg)
      .map((entry) => `${entry.version} ${entry.source}/${entry.sourceVersion}`);

  /** The apt host's inventory again, without a refresh (which would write the lists anew). */
  const collectApt = async (): Promise<HostInventory> => {
    const doc = buildFleet(
      fleet.hosts.filter((host) => host.name === 'avail-apt-01'),
      fleet.clientKeyPath,
      { user: 'patchward' },
    );
    const collected = await collectFleetInventory(resolveFleetHosts(doc), {
      secrets: new FileSecretReader({ baseDir: '/' }),
      logger: pino({ level: 'silent' }),
      hostTimeoutMs: 60_000,
      refresh: false,
    });
    const [host] = collected.inventory.items;
    assert.equal(host?.status, 'ok', host?.reason);
    return host as HostInventory;
  };
  const offeredOf = (host: HostInventory) =>
    (host.available ?? [])
      .map((entry) => `${entry.name} ${entry.version} ${entry.arch ?? ''} ${entry.source}/${entry.sourceVersion}`)
      .sort();
  const onApt = async (script: string) => {
    const result = await fleet.exec('avail-apt-01', ['sh', '-euc', script]);
    assert.equal(result.code, 0, result.stderr);
  };

  before(async () => {
    await ensureSandboxImage({ quiet: true });
    fleet = await startHosts({
      groups: [
        { count: 1, flavour: 'apt', namePrefix: 'avail-apt' },
        { count: 1, flavour: 'rpm', namePrefix: 'avail-rpm' },
      ],
    });
    // One host already has the fix: its package has no OTHER version on offer and is left out.
    const upgraded = await fleet.exec('avail-apt-01', ['apt-get', 'install', '-y', '-q', 'pw-kernel=1.1-1']);
    assert.equal(upgraded.code, 0, upgraded.stderr);
    const doc = buildFleet(fleet.hosts, fleet.clientKeyPath, { user: 'patchward' });
    const collected = await collectFleetInventory(resolveFleetHosts(doc), {
      secrets: new FileSecretReader({ baseDir: '/' }),
      logger: pino({ level: 'silent' }),
      hostTimeoutMs: 60_000,
      refresh: true,
    });
    list = collected.inventory;
  });

  after(async () => {
    await fleet?.stop();
  });

  it('reports the boot id the host has, and a schema-valid document', () => {
    assert.deepEqual(inventorySchemaErrors(list), []);
    for (const name of ['avail-apt-01', 'avail-rpm-01']) {
      assert.equal(item(name).status, 'ok', item(name).reason);
      assert.equal(item(name).bootId, fleet.bootId(name));
    }
  });

  it('apt: every offered version of packages with another version, with source and source version', () => {
    assert.deepEqual(offered('avail-apt-01', 'pw-libdemo').sort(), ['1.0-1 pw-demo-src/1.0-1', '1.0-2 pw-demo-src/1.0-2']);
    assert.deepEqual(offered('avail-apt-01', 'pw-demo-utils').sort(), ['1.0-1 pw-demo-src/1.0-1', '1.0-2 pw-demo-src/1.0-2']);
    // pw-kernel 1.1-1 is installed: 1.0-1 is still another offered version (a downgrade target).
    assert.deepEqual(offered('avail-apt-01', 'pw-kernel').sort(), ['1.0-1 pw-kernel/1.0-1', '1.1-1 pw-kernel/1.1-1']);
    // Not installed (pw-newdep) or not in any repository (bash): absent.
    assert.deepEqual(offered('avail-apt-01', 'pw-newdep'), []);
    assert.deepEqual(offered('avail-apt-01', 'bash'), []);
  });

  it('apt: the same offered versions from lists that are split, compressed, or kept where only apt knows', async () => {
    const plain = offeredOf(item('avail-apt-01'));
    assert.ok(plain.length >= 6, `offered: ${plain.join('; ')}`);
    const lists = '/var/lib/apt/lists';
    const list = `${lists}/_srv_patchward-repo_apt_._Packages`;
    await onApt(`test -f ${list} && cp ${list} /root/Packages.orig`);
    try {
      // Two plain lists, the first by name (pw-libdemo's records) ending without a blank line: its
      // last record must not run into the second list's first one.
      await onApt(
        `awk 'BEGIN { RS = ""; ORS = "\\n\\n" } /^Package: pw-libdemo\\n/ { print > "/root/first"; next } { print > "/root/rest" }' ${list}
         head -c -2 /root/first > ${lists}/_srv_patchward-repo_apt_._0split_Packages
         cp /root/rest ${list}
         test "$(tail -c 1 ${lists}/_srv_patchward-repo_apt_._0split_Packages | od -An -tx1 | tr -d ' ')" != 0a`,
      );
      assert.deepEqual(offeredOf(await collectApt()), plain, 'split lists');
      // Compressed lists, one beside a plain one and then all of them: apt-helper cat-file reads them.
      await onApt(`gzip ${lists}/_srv_patchward-repo_apt_._0split_Packages`);
      assert.deepEqual(offeredOf(await collectApt()), plain, 'a plain and a compressed list');
      await onApt(`gzip ${list}`);
      assert.deepEqual(offeredOf(await collectApt()), plain, 'compressed lists only');
      // Lists where apt's configuration keeps them (Dir::State::lists): only apt can say where.
      await onApt(
        `rm -f ${lists}/*_Packages*; mkdir -p /root/lists-elsewhere; cp /root/Packages.orig /root/lists-elsewhere/_srv_patchward-repo_apt_._Packages
         cp ${lists}/*_Release /root/lists-elsewhere/
         echo 'Dir::State::lists "/root/lists-elsewhere/";' > /etc/apt/apt.conf.d/99lists-elsewhere`,
      );
      assert.deepEqual(offeredOf(await collectApt()), plain, 'lists kept elsewhere');
    } finally {
      await onApt(
        `rm -f /etc/apt/apt.conf.d/99lists-elsewhere ${lists}/*_Packages*; rm -rf /root/lists-elsewhere
         cp /root/Packages.orig ${list}`,
      );
    }
  });

  it('dnf: every offered EVR with the source rpm name and EVR', () => {
    assert.deepEqual(offered('avail-rpm-01', 'pw-libdemo').sort(), ['1.0-1 pw-demo-src/1.0-1', '1.0-2 pw-demo-src/1.0-2']);
    assert.deepEqual(offered('avail-rpm-01', 'pw-replacer').sort(), ['1.0-1 pw-replacer/1.0-1', '2.0-1 pw-replacer/2.0-1']);
    assert.deepEqual(offered('avail-rpm-01', 'patchward-sandbox-release'), [], 'only one version exists: nothing to choose');
  });
});
