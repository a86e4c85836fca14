/**
 * The SSH private key comes from a real Kubernetes Secret: a real kube-apiserver
 * (test/servers/kube.ts), one apt sandbox host (test/harness/sandbox.ts), and the production
 * reader `createKubeSecretReader`, which loads its KubeConfig with `loadFromDefault()`: the test
 * points it at the test server through KUBECONFIG, as an operator running the controller outside
 * the cluster would. The Fleet uses `ssh.keyRef.secretRef {name, key, namespace}` (crds/patchward.io_fleets.yaml)
 * and is first accepted by the server with strict validation, so the field names are the schema's.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { HostInventory, HostInventoryList } from '../../../controller/core/inventory/host-inventory.js';
import { resolveFleetHosts, type Fleet, type FleetHost } from '../../../controller/core/model/index.js';
import { collectFleetInventory } from '../../../controller/edges/inventory/collect-fleet-inventory.js';
import { CoreV1Api } from '@kubernetes/client-node';
import { createKubeSecretReader, KubeSecretReader } from '../../../controller/edges/transport/secrets/kube-secret-reader.js';
import { isPatchwardError } from '../../../controller/errors.js';
import type { SecretReader } from '../../../controller/ports/transport.js';
import { buildFleet } from '../../harness/fleet-yaml.js';
import { ensureSandboxImage, startHosts, type SandboxFleet } from '../../harness/sandbox.js';
import { inventorySchemaErrors } from '../../helpers/validate-inventory.js';
import { startKube, type KubeServer } from '../../servers/kube.js';

const SECRET = 'patchward-ssh';
const KEY = 'id_ed25519';
const HOST_TIMEOUT_MS = 15_000;

describe('SSH key from a real Kubernetes Secret', { timeout: 120_000 }, () => {
  let kube: KubeServer | undefined;
  let fleet: SandboxFleet | undefined;
  let failed = false;
  const namespace = `secret-ssh-${randomBytes(4).toString('hex')}`;
  const logLines: string[] = [];
  let list: HostInventoryList;
  let reader: SecretReader | undefined;
  const item = (name: string): HostInventory =>
    list.items.find((candidate) => candidate.host === name) ?? assert.fail(`no inventory item for ${name}`);

  const report = (what: string): void => {
    failed = true;
    process.stderr.write(`\n[secret-ssh-key] ${what}; controller log:\n${logLines.join('')}\n`);
    if (kube) process.stderr.write(`server logs (run dir ${kube.runDir}):\n${kube.logs()}\n`);
    if (fleet) process.stderr.write(`sandbox run dir kept: ${fleet.runDir} (hosts/<name>/host.log has sshd's log)\n`);
  };
  const withLogs = async (body: () => void | Promise<void>): Promise<void> => {
    try {
      await body();
    } catch (err) {
      report('test failed');
      throw err;
    }
  };

  before(async () => {
    try {
      const started = Date.now();
      await ensureSandboxImage({ quiet: true });
      const [kubeStart, fleetStart] = await Promise.allSettled([
        startKube(),
        startHosts({ count: 1, flavour: 'apt', namePrefix: 'sec-apt' }),
      ]);
      if (kubeStart.status === 'fulfilled') kube = kubeStart.value;
      if (fleetStart.status === 'fulfilled') fleet = fleetStart.value;
      if (kubeStart.status === 'rejected') throw kubeStart.reason;
      if (fleetStart.status === 'rejected') throw fleetStart.reason;
      assert.ok(kube && fleet);
      process.stderr.write(`[secret-ssh-key] kube-apiserver and 1 sandbox host ready in ${Date.now() - started} ms\n`);

      await kube.kubectl(['create', 'namespace', namespace]);
      // The sandbox's client private key, as an operator would store it.
      await kube.kubectl(['create', 'secret', 'generic', SECRET, '-n', namespace, `--from-file=${KEY}=${fleet.clientKeyPath}`]);

      // One sandbox host under four fleet names: the key from the Secret (explicit and default
      // namespace), a key name the Secret lacks, and a Secret that does not exist.
      const [host] = fleet.hosts;
      assert.ok(host);
      const base = buildFleet([host], fleet.clientKeyPath, { name: 'secret-keys', user: 'patchward' });
      const template = base.spec.hosts[0];
      const withRef = (name: string, secretRef: { name: string; key: string; namespace?: string }): FleetHost => ({
        ...template,
        name,
        ssh: { ...template.ssh, keyRef: { secretRef } },
      });
      const doc: Fleet = {
        ...base,
        spec: {
          hosts: [
            withRef('sec-ok', { name: SECRET, key: KEY, namespace }),
            withRef('sec-default-ns', { name: SECRET, key: KEY }),
            withRef('sec-missing-key', { name: SECRET, key: 'id_rsa', namespace }),
            withRef('sec-missing-secret', { name: 'no-such-secret', key: KEY, namespace }),
          ],
        },
      };

      // The same document is a valid Fleet for the server (strict: unknown or misspelt fields are refused).
      await kube.kubectl(['apply', '--validate=strict', '-f', join(process.cwd(), 'crds', 'patchward.io_fleets.yaml')]);
      await kube.kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/fleets.patchward.io']);
      const fleetFile = join(kube.runDir, 'fleet.json');
      writeFileSync(fleetFile, JSON.stringify(doc));
      await kube.kubectl(['apply', '--validate=strict', '-n', namespace, '-f', fleetFile]);

      // createKubeSecretReader uses loadFromDefault(): KUBECONFIG first. Restored right after.
      const previous = process.env['KUBECONFIG'];
      process.env['KUBECONFIG'] = kube.kubeconfigPath;
      let secrets;
      try {
        secrets = await createKubeSecretReader(namespace);
      } finally {
        if (previous === undefined) delete process.env['KUBECONFIG'];
        else process.env['KUBECONFIG'] = previous;
      }

      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString());
          done();
        },
      });
      const collected = await collectFleetInventory(resolveFleetHosts(doc), {
        secrets,
        logger: pino({ level: 'debug' }, sink),
        concurrency: 4,
        hostTimeoutMs: HOST_TIMEOUT_MS,
      });
      list = collected.inventory;
      reader = secrets;
    } catch (err) {
      report('setup failed');
      throw err;
    }
  });

  after(async () => {
    await fleet?.stop({ keepRunDir: failed });
    await kube?.stop({ keepRunDir: failed });
  });

  it('inventories every fleet host, schema-valid, in fleet order', () =>
    withLogs(() => {
      assert.deepEqual(inventorySchemaErrors(list), []);
      assert.deepEqual(Object.fromEntries(list.items.map((entry) => [entry.host, entry.status])), {
        'sec-ok': 'ok',
        'sec-default-ns': 'ok',
        'sec-missing-key': 'refused',
        'sec-missing-secret': 'refused',
      });
    }));

  for (const name of ['sec-ok', 'sec-default-ns']) {
    it(`${name}: logged in with the key from the Secret; packages match dpkg-query on the host`, () =>
      withLogs(async () => {
        assert.ok(fleet);
        const [host] = fleet.hosts;
        assert.ok(host);
        const truth = await fleet.exec(host.name, ['dpkg-query', '-W', '-f=${Package} ${Version} ${Architecture} ${db:Status-Abbrev}\n']);
        const expected = truth.stdout
          .split('\n')
          .filter((line) => / ii ?$/.test(line))
          .map((line) => line.split(' ').slice(0, 3).join(' '))
          .sort();
        const entry = item(name);
        assert.equal(entry.os?.release, 'debian-12');
        assert.equal(entry.packageManager, 'apt');
        const packages = (entry.packages ?? []).map((pkg) => `${pkg.name} ${pkg.version} ${pkg.arch}`).sort();
        assert.ok(packages.length > 50, `only ${packages.length} packages`);
        assert.ok(
          packages.some((line) => line.startsWith('pw-libdemo 1.0-1 ')),
          'the sandbox test package pw-libdemo 1.0-1 is installed',
        );
        assert.deepEqual(packages, expected);
      }));
  }

  it('a Secret without the key: refused, naming the Secret and the missing key', () =>
    withLogs(() => {
      const reason = item('sec-missing-key').reason ?? '';
      assert.ok(reason.includes(`Secret ${namespace}/${SECRET}`), reason);
      assert.match(reason, /has no key id_rsa/);
      assert.equal(item('sec-missing-key').packages, undefined);
    }));

  it('a Secret that does not exist: refused, naming the Secret', () =>
    withLogs(() => {
      const reason = item('sec-missing-secret').reason ?? '';
      assert.ok(reason.includes(`Secret ${namespace}/no-such-secret`), reason);
      assert.equal(item('sec-missing-secret').packages, undefined);
    }));

  it('"Secret not found" is Stalled (a person must act); the same read with the API server down is External(kube), retried', () =>
    withLogs(async () => {
      assert.ok(kube && reader);
      await assert.rejects(reader.read({ secretRef: { name: 'no-such-secret', key: KEY, namespace } }), (error: unknown) => {
        assert.ok(isPatchwardError(error) && error.kind === 'Stalled' && error.code === 'SecretNotFound', String(error));
        return true;
      });
      // The same cluster settings, but an API server that does not answer (nothing listens on port 1).
      const config = kube.kubeConfig();
      const cluster = config.getCurrentCluster();
      assert.ok(cluster);
      config.clusters = config.clusters.map((entry) => (entry.name === cluster.name ? { ...entry, server: 'https://127.0.0.1:1' } : entry));
      const down = new KubeSecretReader(config.makeApiClient(CoreV1Api), namespace);
      await assert.rejects(down.read({ secretRef: { name: SECRET, key: KEY } }), (error: unknown) => {
        assert.ok(isPatchwardError(error) && error.kind === 'External' && error.code === 'SecretStoreUnavailable', String(error));
        assert.equal((error as { system?: string }).system, 'kube');
        return true;
      });
    }));
});
