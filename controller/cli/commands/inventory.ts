import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ResolvedHost } from '../../core/model/index.js';
import { formatInventoryTable } from '../../edges/inventory/inventory-table.js';
import type { Command } from '../command.js';
import { collectLive, fleetHostsOf, loadFleetFile, loadValidPolicySet } from '../fleet-source.js';
import { positiveNumber } from '../options.js';
import { EXIT } from '../command.js';
import { resolveStateDirectory } from '../../config/state-dir.js';

const USAGE = `usage: patchward inventory (-f POLICY_DIR | --fleet FILE) [options]

Connects to every host of the Fleet over SSH (pinned host keys) and prints one inventory
snapshot per host: OS release, kernel, installed packages, reboot needed, package-db health.

options:
  -f, --policy DIR    policy repository: every Fleet in it (validated like 'patchward validate')
  --fleet FILE        a Fleet YAML file on its own (validated as by 'patchward validate')
  --output FORMAT     table (default) or json (a HostInventoryList)
  --concurrency N     hosts at once (default 50)
  --timeout S         per-host deadline in seconds (default 60)
  --pending           also list pending upgrades from the hosts' package metadata
  --refresh           refresh apt/dnf metadata first (slow; root or sudo)
  --namespace NS      namespace of Secrets in ssh.keyRef.secretRef (default: default)
  --state DIR         state directory: host keys trusted on first use are recorded there and pinned
                      from then on (default $XDG_STATE_HOME/patchward, else ~/.local/state/patchward)

exit: 0 every host inventoried, 1 some host unreachable/refused/timed out/failed, 2 usage error.
`;

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
          state: { type: 'string' },
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
      if (values.policy !== undefined) {
        const dir = resolve(io.cwd, values.policy);
        hosts = fleetHostsOf(await loadValidPolicySet(dir), dir);
      } else hosts = await loadFleetFile(resolve(io.cwd, source), new Date());
    } catch (error) {
      io.stderr.write(`patchward inventory: cannot load the fleet: ${(error as Error).message}\n`);
      return EXIT.usage;
    }
    const { inventory } = await collectLive(
      hosts,
      {
        concurrency,
        timeoutSeconds: timeout,
        namespace: values.namespace,
        pendingUpgrades: values.pending,
        refresh: values.refresh,
        stateDirectory: resolveStateDirectory(values.state, io.env, io.cwd, homedir()),
      },
      io,
    );
    io.stdout.write(values.output === 'json' ? `${JSON.stringify(inventory, null, 2)}\n` : formatInventoryTable(inventory));
    return inventory.items.every((item) => item.status === 'ok') ? EXIT.ok : EXIT.findings;
  },
};
