import type { HostInventory, HostInventoryList } from '../../core/inventory/host-inventory.js';
import type { ResolvedHost } from '../../core/model/index.js';
import type { Logger } from '../../log.js';
import type { HostKeyTrust, SecretReader, SshTarget, TrustedOnFirstUse } from '../../ports/transport.js';
import { SshConnectionPool } from '../transport/ssh/ssh-connection-pool.js';
import { SshTransport } from '../transport/ssh/ssh-transport.js';
import { collectInventory } from './collect-inventory.js';
import { sshTargetsOf } from './fleet-targets.js';

export interface FleetInventoryOptions {
  readonly secrets: SecretReader;
  /** Durable record of keys trusted on first use (the state store); without it such hosts are refused. */
  readonly hostKeyTrust?: HostKeyTrust;
  readonly logger: Logger;
  /** Hosts inventoried at once (default 50). */
  readonly concurrency?: number;
  /** Whole-host deadline in ms (default 60 s). */
  readonly hostTimeoutMs?: number;
  /** Default false: installed packages, reboot and db health only. */
  readonly pendingUpgrades?: boolean;
  /** Default false: refresh apt/dnf metadata first (slow, root or sudo). */
  readonly refresh?: boolean;
  /** Default true: list the versions the repositories offer for installed packages (`available`, plan input). */
  readonly availableVersions?: boolean;
  readonly keepaliveIntervalMs?: number;
  readonly now?: () => Date;
}

export interface FleetInventory {
  readonly inventory: HostInventoryList;
  /** Host keys recorded by trust-on-first-use during this collection: pin them. */
  readonly trustedOnFirstUse: readonly TrustedOnFirstUse[];
}

/**
 * Collects a live inventory of SSH targets: one pooled connection per host (jump hosts shared),
 * one remote invocation per host, bounded concurrency, each failure reported per host.
 */
export async function collectSshInventory(targets: readonly SshTarget[], options: FleetInventoryOptions): Promise<FleetInventory> {
  const logger = options.logger.child({ component: 'inventory' });
  const pool = new SshConnectionPool({
    secrets: options.secrets,
    logger,
    ...(options.hostKeyTrust === undefined ? {} : { hostKeyTrust: options.hostKeyTrust }),
    ...(options.keepaliveIntervalMs === undefined ? {} : { keepaliveIntervalMs: options.keepaliveIntervalMs }),
  });
  try {
    const inventory = await collectInventory(targets, (target) => new SshTransport(target, pool, { logger }), {
      concurrency: options.concurrency ?? 50,
      hostTimeoutMs: options.hostTimeoutMs ?? 60_000,
      pendingUpgrades: options.pendingUpgrades ?? false,
      refresh: options.refresh ?? false,
      availableVersions: options.availableVersions ?? true,
      logger,
      now: options.now ?? (() => new Date()),
    });
    return { inventory, trustedOnFirstUse: pool.trustedOnFirstUse() };
  } finally {
    await pool.closeAll();
  }
}

/**
 * THE entry point for other modules (assess, reconcile): a Fleet's resolved hosts
 * (`resolveFleetHosts(fleet)`) → its live inventory. Hosts whose SSH settings are unusable are
 * reported with status `error` and the reason, in fleet order with the rest.
 */
export async function collectFleetInventory(hosts: readonly ResolvedHost[], options: FleetInventoryOptions): Promise<FleetInventory> {
  const mapping = sshTargetsOf(hosts);
  const collected = await collectSshInventory(mapping.targets, options);
  const byName = new Map(collected.inventory.items.map((item) => [item.host, item]));
  const collectedAt = (options.now ?? (() => new Date()))().toISOString();
  const items: HostInventory[] = hosts.map((host) => {
    const found = byName.get(host.name);
    if (found !== undefined) return found;
    const reason = mapping.problems.find((problem) => problem.host === host.name)?.reason ?? 'not collected';
    return {
      apiVersion: 'patchward.io/v1alpha1',
      kind: 'HostInventory',
      host: host.name,
      address: `${host.address}:${host.port}`,
      collectedAt,
      status: 'error',
      reason,
      labels: host.labels,
    };
  });
  return { inventory: { ...collected.inventory, items }, trustedOnFirstUse: collected.trustedOnFirstUse };
}
