import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';
import type { Fleet, ResolvedHost } from '../../core/model/index.js';
import { resolveFleetHosts } from '../../core/model/index.js';
import { collectFleetInventory } from '../../edges/inventory/collect-fleet-inventory.js';
import { formatInventoryTable } from '../../edges/inventory/inventory-table.js';
import { FileSecretReader } from '../../edges/transport/secrets/file-secret-reader.js';
import { createKubeSecretReader, type KubeSecretReader } from '../../edges/transport/secrets/kube-secret-reader.js';
import type { KeyRef, SecretReader } from '../../ports/transport.js';
import type { Command, CommandIo } from '../command.js';
import { EXIT } from '../command.js';

const USAGE = `usage: patchward inventory --fleet FILE [options]

Connects to every host of the Fleet over SSH (pinned host keys) and prints one inventory
snapshot per host: OS release, kernel, installed packages, reboot needed, package-db health.

options:
  --fleet FILE        Fleet YAML (kind: Fleet; several documents allowed)
  --output FORMAT     table (default) or json (a HostInventoryList)
  --concurrency N     hosts at once (default 50)
  --timeout S         per-host deadline in seconds (default 60)
  --pending           also list pending upgrades from the hosts' package metadata
  --refresh           refresh apt/dnf metadata first (slow; root or sudo)
  --namespace NS      namespace of Secrets in ssh.keyRef.secretRef (default: default)

exit: 0 every host inventoried, 1 some host unreachable/refused/timed out/failed, 2 usage error.
`;

async function loadFleetFile(path: string): Promise<ResolvedHost[]> {
  const text = await readFile(path, 'utf8');
  const hosts: ResolvedHost[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors[0]?.message ?? 'YAML error'}`);
    const value = document.toJS() as { kind?: unknown; spec?: { hosts?: unknown } } | null;
    if (value?.kind !== 'Fleet') continue;
    if (!Array.isArray(value.spec?.hosts)) throw new Error(`${path}: Fleet without spec.hosts`);
    hosts.push(...resolveFleetHosts(value as unknown as Fleet));
  }
  if (hosts.length === 0) throw new Error(`${path}: no Fleet with hosts`);
  return hosts;
}

function secretsFor(io: CommandIo, namespace: string): SecretReader {
  let kube: Promise<KubeSecretReader> | undefined;
  const cluster: SecretReader = {
    read: async (ref: KeyRef) => (await (kube ??= createKubeSecretReader(namespace))).read(ref),
  };
  return new FileSecretReader({ baseDir: io.cwd, secrets: cluster });
}

function positiveNumber(raw: string | undefined, fallback: number): number | undefined {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export const inventoryCommand: Command = {
  name: 'inventory',
  summary: 'collect a live inventory of the fleet over SSH',
  usage: USAGE,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...args],
        options: {
          fleet: { type: 'string' },
          output: { type: 'string', default: 'table' },
          concurrency: { type: 'string' },
          timeout: { type: 'string' },
          pending: { type: 'boolean', default: false },
          refresh: { type: 'boolean', default: false },
          namespace: { type: 'string', default: 'default' },
          help: { type: 'boolean', short: 'h', default: false },
        },
        strict: true,
        allowPositionals: false,
      });
    } catch (error) {
      io.stderr.write(`patchward inventory: ${(error as Error).message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    const { values } = parsed;
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    const concurrency = positiveNumber(values.concurrency, 50);
    const timeout = positiveNumber(values.timeout, 60);
    if (values.fleet === undefined || concurrency === undefined || timeout === undefined || !['table', 'json'].includes(values.output)) {
      io.stderr.write(`patchward inventory: ${values.fleet === undefined ? '--fleet FILE is required' : 'bad --output, --concurrency or --timeout'}\n\n${USAGE}`);
      return EXIT.usage;
    }
    let hosts: ResolvedHost[];
    try {
      hosts = await loadFleetFile(resolve(io.cwd, values.fleet));
    } catch (error) {
      io.stderr.write(`patchward inventory: cannot load the fleet: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    const { inventory, trustedOnFirstUse } = await collectFleetInventory(hosts, {
      secrets: secretsFor(io, values.namespace),
      logger: io.logger,
      concurrency: Math.floor(concurrency),
      hostTimeoutMs: timeout * 1000,
      pendingUpgrades: values.pending,
      refresh: values.refresh,
    });
    io.stdout.write(values.output === 'json' ? `${JSON.stringify(inventory, null, 2)}\n` : formatInventoryTable(inventory));
    for (const trusted of trustedOnFirstUse) {
      io.stderr.write(`patchward inventory: ${trusted.host}: host key trusted on first use (${trusted.fingerprint}); pin it:\n  hostKeys: ["${trusted.key}"]\n`);
    }
    return inventory.items.every((item) => item.status === 'ok') ? EXIT.ok : EXIT.findings;
  },
};
