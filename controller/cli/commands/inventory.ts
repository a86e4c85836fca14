import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';
import type { Fleet, ResolvedHost } from '../../core/model/index.js';
import { formatProblem, resolveFleetHosts } from '../../core/model/index.js';
import { loadPolicyRepository } from '../../edges/policy-repo/load.js';
import { collectFleetInventory } from '../../edges/inventory/collect-fleet-inventory.js';
import { formatInventoryTable } from '../../edges/inventory/inventory-table.js';
import { FileSecretReader } from '../../edges/transport/secrets/file-secret-reader.js';
import { createKubeSecretReader, type KubeSecretReader } from '../../edges/transport/secrets/kube-secret-reader.js';
import type { KeyRef, SecretReader } from '../../ports/transport.js';
import type { Command, CommandIo } from '../command.js';
import { EXIT } from '../command.js';

const USAGE = `usage: patchward inventory (-f POLICY_DIR | --fleet FILE) [options]

Connects to every host of the Fleet over SSH (pinned host keys) and prints one inventory
snapshot per host: OS release, kernel, installed packages, reboot needed, package-db health.

options:
  -f, --policy DIR    policy repository: every Fleet in it (validated like 'patchward validate')
  --fleet FILE        a Fleet YAML file on its own (kind: Fleet; several documents allowed)
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

async function loadPolicyFleets(dir: string): Promise<ResolvedHost[]> {
  const loaded = await loadPolicyRepository(dir);
  if (!loaded.ok) throw new Error(`${dir} is not a valid policy repository:\n${loaded.problems.map(formatProblem).join('\n')}`);
  const hosts = loaded.value.fleets.flatMap((fleet) => resolveFleetHosts(fleet.resource));
  if (hosts.length === 0) throw new Error(`${dir}: no Fleet with hosts`);
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
          policy: { type: 'string', short: 'f' },
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
    const source = values.policy ?? values.fleet;
    const problem =
      source === undefined || (values.policy !== undefined && values.fleet !== undefined)
        ? 'give either -f POLICY_DIR or --fleet FILE'
        : concurrency === undefined || timeout === undefined || !['table', 'json'].includes(values.output)
          ? 'bad --output, --concurrency or --timeout'
          : undefined;
    if (problem !== undefined || source === undefined || concurrency === undefined || timeout === undefined) {
      io.stderr.write(`patchward inventory: ${problem ?? 'bad arguments'}\n\n${USAGE}`);
      return EXIT.usage;
    }
    let hosts: ResolvedHost[];
    try {
      hosts = values.policy !== undefined ? await loadPolicyFleets(resolve(io.cwd, values.policy)) : await loadFleetFile(resolve(io.cwd, source));
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
