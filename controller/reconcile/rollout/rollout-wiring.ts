/**
 * Wiring shared by `patchward rollout` and `rollback` (and later `patchward run`): one SSH
 * connection pool for the inventory and the host steps, and the planner's view of the policy.
 */
import type { HostInventory } from '../../core/inventory/host-inventory.js';
import type { PolicySet, ResolvedHost } from '../../core/model/index.js';
import { resolveFleetHosts } from '../../core/model/index.js';
import type { PlanPolicy } from '../../core/plan/plan-types.js';
import { collectInventory } from '../../edges/inventory/collect-inventory.js';
import { sshTargetsOf } from '../../edges/inventory/fleet-targets.js';
import { packageManagerFor } from '../../edges/packages/host-package-manager.js';
import { SshConnectionPool } from '../../edges/transport/ssh/ssh-connection-pool.js';
import { SshTransport } from '../../edges/transport/ssh/ssh-transport.js';
import type { Logger } from '../../log.js';
import type { HostKeyTrust, SecretReader, SshTarget } from '../../ports/transport.js';
import type { HostAccess } from './host-runner.js';

/** Every Fleet host of the policy set. */
export function policyHosts(policySet: PolicySet): ResolvedHost[] {
  return policySet.fleets.flatMap((fleet) => resolveFleetHosts(fleet.resource));
}

export function planPolicyOf(policySet: PolicySet): PlanPolicy {
  return {
    hosts: policyHosts(policySet),
    rings: policySet.rings.map((sourced) => sourced.resource),
    windows: policySet.maintenanceWindows.map((sourced) => sourced.resource),
    policies: policySet.patchPolicies.map((sourced) => sourced.resource),
    baselines: policySet.patchBaselines.map((sourced) => sourced.resource),
  };
}

export interface SshFleet {
  readonly access: (host: string, packageManager: 'apt' | 'dnf') => HostAccess;
  readonly inventory: (hosts: readonly string[]) => Promise<HostInventory[]>;
  /**
   * Starts the SSH handshakes with the first `concurrency` hosts of the fleet whose keys are pinned,
   * while the caller is still getting ready (the rest of the policy check, the Git revision, the
   * state lock): the pass's inventory then finds them connected. Runs nothing on them.
   */
  readonly connectAhead: () => void;
  readonly close: () => Promise<void>;
}

export interface SshFleetOptions {
  readonly secrets: SecretReader;
  readonly hostKeyTrust?: HostKeyTrust;
  readonly logger: Logger;
  readonly concurrency: number;
  readonly hostTimeoutMs: number;
  readonly now: () => Date;
}

export function sshFleet(hosts: readonly ResolvedHost[], options: SshFleetOptions): SshFleet {
  const mapping = sshTargetsOf(hosts);
  const pool = new SshConnectionPool({
    secrets: options.secrets,
    logger: options.logger,
    ...(options.hostKeyTrust === undefined ? {} : { hostKeyTrust: options.hostKeyTrust }),
  });
  const targets = new Map(mapping.targets.map((target) => [target.name, target]));
  const transports = new Map<string, SshTransport>();
  const transportFor = (target: SshTarget): SshTransport => {
    let transport = transports.get(target.name);
    if (transport === undefined) {
      transport = new SshTransport(target, pool, { logger: options.logger });
      transports.set(target.name, transport);
    }
    return transport;
  };
  return {
    access(host, packageManager) {
      const target = targets.get(host);
      if (target === undefined)
        throw new Error(`${host}: ${mapping.problems.find((problem) => problem.host === host)?.reason ?? 'not in the fleet'}`);
      const transport = transportFor(target);
      return {
        name: host,
        address: target.address,
        sudo: target.sudo,
        transport,
        packageManager: packageManagerFor(packageManager, transport),
        commandTimeoutMs: target.commandTimeoutMs,
      };
    },
    async inventory(names) {
      const wanted = new Set(names);
      const list = await collectInventory(
        mapping.targets.filter((target) => wanted.has(target.name)),
        transportFor,
        {
          concurrency: options.concurrency,
          hostTimeoutMs: options.hostTimeoutMs,
          pendingUpgrades: false,
          refresh: true,
          availableVersions: true,
          // One connection per host for the whole pass: the host sequences reuse it (closed by `close`).
          keepConnections: true,
          logger: options.logger,
          now: options.now,
        },
      );
      const collectedAt = options.now().toISOString();
      const unusable: HostInventory[] = mapping.problems
        .filter((problem) => wanted.has(problem.host))
        .map((problem) => ({
          apiVersion: 'patchward.io/v1alpha1',
          kind: 'HostInventory',
          host: problem.host,
          collectedAt,
          status: 'error',
          reason: problem.reason,
        }));
      return [...list.items, ...unusable];
    },
    connectAhead() {
      // Pinned hosts only: connecting to a host trusted on first use may record its key.
      const pinned = mapping.targets.filter((target) => target.hostKeys.length > 0);
      for (const target of pinned.slice(0, Math.max(1, options.concurrency))) pool.connectAhead(target);
    },
    close: () => pool.closeAll(),
  };
}
