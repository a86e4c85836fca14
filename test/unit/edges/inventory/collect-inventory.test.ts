import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pino } from 'pino';
import { collectInventory } from '../../../../controller/edges/inventory/collect-inventory.js';
import { sshTargetsOf } from '../../../../controller/edges/inventory/fleet-targets.js';
import { formatInventoryTable } from '../../../../controller/edges/inventory/inventory-table.js';
import { ExternalError } from '../../../../controller/errors.js';
import { resolveFleetHosts, type Fleet } from '../../../../controller/core/model/index.js';
import { FakeTransport, factsOutput } from '../../../fakes/fake-transport.js';
import { inventorySchemaErrors } from '../../../helpers/validate-inventory.js';

const logger = pino({ level: 'silent' });
const NOW = new Date('2025-03-01T10:00:00Z');
const isFacts = (argv: readonly string[]) => argv[0] === 'sh' && argv[3] === 'patchward-facts';
const DEB_OUTPUT = factsOutput({
  'os-release': ['ID=debian\nVERSION_ID="12"', '0'],
  uname: ['6.1.0-18-amd64\nx86_64', '0'],
  pm: ['apt', '0'],
  arch: ['amd64', '0'],
  packages: ['bash\t5.2.15-2+b2\tamd64\tii \tbash\t5.2.15-2\nopenssl\t3.0.11-1~deb12u2\tamd64\tiF \topenssl\t3.0.11-1~deb12u2', '0'],
  reboot: ['', '0'],
  locks: ['', '0'],
});

const host = (name: string, sudo = false) => ({ name, address: '10.0.0.1', port: 22, sudo, labels: { ring: 'canary' } });

describe('collectInventory', () => {
  it('reports each host on its own: ok, refused, unreachable, timeout, error; the rest carry on', async () => {
    let release: () => void = () => undefined;
    const never = new Promise<void>((resolve) => (release = resolve));
    const transports = new Map([
      ['ok', new FakeTransport('ok', [{ argv: isFacts, sudo: true, reply: { stdout: DEB_OUTPUT } }])],
      [
        'keychanged',
        new FakeTransport('keychanged', [
          { argv: isFacts, reply: new ExternalError('ssh', 'HostKeyMismatch', 'HOST KEY MISMATCH: expected SHA256:a, seen SHA256:b') },
        ]),
      ],
      ['down', new FakeTransport('down', [{ argv: isFacts, reply: new ExternalError('ssh', 'ConnectionRefused', 'refused') }])],
      ['slow', new FakeTransport('slow', [{ argv: isFacts, gate: never, reply: { stdout: DEB_OUTPUT } }])],
      ['weird', new FakeTransport('weird', [{ argv: isFacts, reply: { stdout: 'garbage' } }])],
    ]);
    const hosts = [host('ok', true), host('keychanged'), host('down'), host('slow'), host('weird')];
    const list = await collectInventory(hosts, (h) => transports.get(h.name) ?? assert.fail(h.name), {
      concurrency: 2,
      hostTimeoutMs: 150,
      pendingUpgrades: false,
      refresh: false,
      logger,
      now: () => NOW,
    });
    release();
    for (const transport of transports.values()) {
      transport.assertDone();
      assert.equal(transport.closed, 1, `${transport.host} closed once`);
    }
    assert.deepEqual(
      list.items.map((item) => [item.host, item.status]),
      [
        ['ok', 'ok'],
        ['keychanged', 'refused'],
        ['down', 'unreachable'],
        ['slow', 'timeout'],
        ['weird', 'error'],
      ],
    );
    assert.deepEqual(inventorySchemaErrors(list), []);
    const [ok, keychanged] = list.items;
    assert.equal(ok?.collectedAt, '2025-03-01T10:00:00.000Z');
    assert.equal(ok?.os?.release, 'debian-12');
    assert.equal(ok?.packages?.length, 2);
    assert.deepEqual(
      ok?.packageDb?.problems.map((problem) => problem.kind),
      ['half-configured'],
    );
    assert.match(keychanged?.reason ?? '', /SHA256:a.*SHA256:b/);
    const table = formatInventoryTable(list);
    assert.match(table, /^ok +ok +debian-12 +2 +no +half-configured/m);
    assert.match(table, /5 host\(s\), 1 ok, 4 failed/);
  });

  it('never inventories more hosts at once than the concurrency', async () => {
    let active = 0;
    let peak = 0;
    const hosts = Array.from({ length: 7 }, (_, index) => host(`h${index}`));
    const list = await collectInventory(
      hosts,
      (h) => ({
        host: h.name,
        run: async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, 10));
          active--;
          return { exitCode: 0, stdout: DEB_OUTPUT, stderr: '', durationMs: 10 };
        },
        close: async () => undefined,
      }),
      { concurrency: 3, hostTimeoutMs: 1000, pendingUpgrades: false, refresh: false, logger, now: () => NOW },
    );
    assert.equal(peak, 3);
    assert.equal(list.items.length, 7);
  });

  it('leaves the connections open with keepConnections (the rollout reuses them)', async () => {
    const transports = ['a', 'b'].map((name) => new FakeTransport(name, [{ argv: isFacts, reply: { stdout: DEB_OUTPUT } }]));
    const list = await collectInventory([host('a'), host('b')], (h) => transports.find((t) => t.host === h.name) ?? assert.fail(h.name), {
      concurrency: 2,
      hostTimeoutMs: 1000,
      pendingUpgrades: false,
      refresh: false,
      keepConnections: true,
      logger,
      now: () => NOW,
    });
    assert.deepEqual(
      list.items.map((item) => item.status),
      ['ok', 'ok'],
    );
    for (const transport of transports) {
      transport.assertDone();
      assert.equal(transport.closed, 0, `${transport.host} left open`);
    }
  });
});

describe('sshTargetsOf', () => {
  it('maps Fleet hosts with defaults, resolves jump hosts, reports unusable ones', () => {
    const fleet = {
      apiVersion: 'patchward.io/v1alpha1',
      kind: 'Fleet',
      metadata: { name: 'f' },
      spec: {
        defaults: { ssh: { user: 'patchward', keyRef: { file: 'id' }, sudo: true, connectTimeoutSeconds: 5 } },
        hosts: [
          { name: 'bastion', address: '10.0.0.1', ssh: { hostKeys: ['ssh-ed25519 AAAA'] } },
          { name: 'db1', address: '10.0.1.1', port: 2222, ssh: { jumpHost: 'bastion', keyRef: { secretRef: { name: 's', key: 'k' } } } },
          { name: 'lost', address: '10.0.1.2', ssh: { jumpHost: 'nowhere' } },
          { name: 'a', address: '10.0.1.3', ssh: { jumpHost: 'b' } },
          { name: 'b', address: '10.0.1.4', ssh: { jumpHost: 'a' } },
        ],
      },
    } as unknown as Fleet;
    const { targets, problems } = sshTargetsOf(resolveFleetHosts(fleet));
    assert.deepEqual(
      targets.map((target) => [target.name, target.jumpHost?.name]),
      [
        ['bastion', undefined],
        ['db1', 'bastion'],
      ],
    );
    const db1 = targets[1];
    assert.deepEqual(db1?.key, { secretRef: { name: 's', key: 'k' } });
    assert.equal(db1?.port, 2222);
    assert.equal(db1?.connectTimeoutMs, 5000);
    assert.equal(db1?.sudo, true);
    assert.deepEqual(
      problems.map((problem) => problem.host),
      ['lost', 'a', 'b'],
    );
    assert.match(problems[1]?.reason ?? '', /cycle/);
  });
});
