/**
 * Trust-on-first-use against a real sandbox host (real sshd): the first key is recorded in the
 * state directory and pinned from then on; after the harness rotates the host's key, the next
 * cycle of a long-running process (a new collection, a new connection pool, the same state
 * directory) refuses the host as Stalled HostKeyMismatch, and the record keeps the first key.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { HostInventoryList } from '../../../controller/core/inventory/host-inventory.js';
import { resolveFleetHosts } from '../../../controller/core/model/index.js';
import { collectFleetInventory } from '../../../controller/edges/inventory/collect-fleet-inventory.js';
import { openLocalStateStore } from '../../../controller/edges/state/local/local-state-store.js';
import { FileSecretReader } from '../../../controller/edges/transport/secrets/file-secret-reader.js';
import { readTrustedHostKeys, StateHostKeyTrust } from '../../../controller/edges/transport/ssh/state-host-key-trust.js';
import type { StateStore } from '../../../controller/ports/state-store.js';
import { buildFleet } from '../../harness/fleet-yaml.js';
import { ensureSandboxImage, startHosts, type SandboxFleet } from '../../harness/sandbox.js';

describe('host keys trusted on first use, on a real host whose key is rotated', { timeout: 300_000 }, () => {
  let fleet: SandboxFleet;
  let root = '';
  let store: StateStore;
  const cycle = async (): Promise<HostInventoryList> => {
    const doc = buildFleet(fleet.hosts, fleet.clientKeyPath, { user: 'patchward' });
    for (const host of doc.spec.hosts) {
      if (host.ssh === undefined) continue;
      host.ssh.hostKeys = [];
      host.ssh.trustOnFirstUse = true;
    }
    const collected = await collectFleetInventory(resolveFleetHosts(doc), {
      secrets: new FileSecretReader({ baseDir: '/' }),
      hostKeyTrust: new StateHostKeyTrust(store.location, async () => store),
      logger: pino({ level: 'silent' }),
      concurrency: 2,
      hostTimeoutMs: 30_000,
    });
    return collected.inventory;
  };

  before(async () => {
    await ensureSandboxImage({ quiet: true });
    fleet = await startHosts({ count: 1, flavour: 'apt', namePrefix: 'tofu' });
    root = mkdtempSync(join(tmpdir(), 'pw-tofu-live-'));
    store = await openLocalStateStore({ directory: join(root, 'state'), now: new Date() });
  });
  after(async () => {
    await store?.close();
    await fleet?.stop();
    if (root !== '') rmSync(root, { recursive: true, force: true });
  });

  it('records the first key, accepts it again, and refuses the rotated key on the next cycle', async () => {
    const [host] = fleet.hosts;
    assert.ok(host);
    const first = await cycle();
    assert.equal(first.items[0]?.status, 'ok', first.items[0]?.reason);
    const recorded = await readTrustedHostKeys(store);
    assert.deepEqual(
      recorded.map((record) => [record.host, record.key, record.fingerprint]),
      [[host.name, host.hostKeyPublic, host.hostKeyFingerprint]],
    );

    const again = await cycle();
    assert.equal(again.items[0]?.status, 'ok', again.items[0]?.reason);

    const rotated = await fleet.rotateHostKey(host.name);
    assert.notEqual(rotated.hostKeyFingerprint, host.hostKeyFingerprint);
    const next = await cycle();
    assert.equal(next.items[0]?.status, 'refused');
    const reason = next.items[0]?.reason ?? '';
    assert.match(reason, /HOST KEY MISMATCH/);
    assert.ok(reason.includes(host.hostKeyFingerprint) && reason.includes(rotated.hostKeyFingerprint), reason);
    assert.ok(reason.includes(`recorded in ${store.location}`), reason);
    assert.deepEqual(
      (await readTrustedHostKeys(store)).map((record) => record.key),
      [host.hostKeyPublic],
      'the record keeps the first key',
    );
  });
});
