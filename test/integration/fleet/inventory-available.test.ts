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

  it('dnf: every offered EVR with the source rpm name and EVR', () => {
    assert.deepEqual(offered('avail-rpm-01', 'pw-libdemo').sort(), ['1.0-1 pw-demo-src/1.0-1', '1.0-2 pw-demo-src/1.0-2']);
    assert.deepEqual(offered('avail-rpm-01', 'pw-replacer').sort(), ['1.0-1 pw-replacer/1.0-1', '2.0-1 pw-replacer/2.0-1']);
    assert.deepEqual(offered('avail-rpm-01', 'patchward-sandbox-release'), [], 'only one version exists: nothing to choose');
  });
});
