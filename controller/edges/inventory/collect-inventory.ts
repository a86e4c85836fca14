import type { HostInventory, HostInventoryList, InventoryStatus } from '../../core/inventory/host-inventory.js';
import { isPatchwardError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { HostFacts } from '../../ports/package-manager.js';
import type { Transport } from '../../ports/transport.js';
import { TRANSPORT_ERROR_CODES as CODES } from '../../ports/transport.js';
import { collectHostFacts } from '../packages/collect-facts.js';
import { Semaphore } from '../transport/semaphore.js';
import { StringPool } from '../packages/string-pool.js';

/** The part of a host the collector needs; `SshTarget` fits. */
export interface InventoryHost {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly sudo: boolean;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface CollectOptions {
  /** Hosts collected at once. */
  readonly concurrency: number;
  /** Whole-host deadline (connect + facts); the host is reported `timeout` after it. */
  readonly hostTimeoutMs: number;
  readonly pendingUpgrades: boolean;
  readonly refresh: boolean;
  /** List the versions the repositories offer for installed packages (`available`); default true. */
  readonly availableVersions?: boolean;
  /** Bound of the metadata refresh in seconds (default 120). */
  readonly refreshTimeoutSeconds?: number;
  readonly logger: Logger;
  /** Clock (injected for tests). */
  readonly now: () => Date;
  /** Shares equal package strings between hosts; `collectInventory` makes one per collection. */
  readonly strings?: StringPool;
  /**
   * Leave each host's connection open after its facts (default false: closed). The rollout keeps
   * them, so the host sequences that follow run over the same pooled connection instead of a new
   * SSH handshake per host; the pool's owner closes them.
   */
  readonly keepConnections?: boolean;
}

/** Transport error code → inventory status. Everything unknown is `error`. */
const STATUS_BY_CODE: Readonly<Record<string, InventoryStatus>> = {
  [CODES.hostUnreachable]: 'unreachable',
  [CODES.connectionRefused]: 'unreachable',
  [CODES.connectionLost]: 'unreachable',
  [CODES.connectTimeout]: 'timeout',
  [CODES.commandTimeout]: 'timeout',
  [CODES.hostKeyMismatch]: 'refused',
  [CODES.hostKeyNotPinned]: 'refused',
  [CODES.authFailed]: 'refused',
  [CODES.sudoRequiresPassword]: 'refused',
  [CODES.keyUnavailable]: 'refused',
  [CODES.secretNotFound]: 'refused',
};

export function statusOfError(error: unknown): InventoryStatus {
  return isPatchwardError(error) ? (STATUS_BY_CODE[error.code] ?? 'error') : 'error';
}

class HostDeadline extends Error {}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new HostDeadline(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** The fields every snapshot has, whatever the outcome. */
function snapshotOf(host: InventoryHost, collectedAt: Date, status: HostInventory['status']) {
  return {
    apiVersion: 'patchward.io/v1alpha1',
    kind: 'HostInventory',
    host: host.name,
    address: `${host.address}:${host.port}`,
    collectedAt: collectedAt.toISOString(),
    status,
    ...(host.labels === undefined ? {} : { labels: host.labels }),
  } as const;
}

function inventoryOf(host: InventoryHost, collectedAt: Date, facts: HostFacts, durationMs: number): HostInventory {
  return {
    ...snapshotOf(host, collectedAt, 'ok'),
    os: facts.os,
    arch: facts.arch,
    kernel: facts.kernel,
    packageManager: facts.packageManager,
    packages: facts.packages,
    reboot: facts.reboot,
    ...(facts.pendingUpgrades === undefined ? {} : { pendingUpgrades: facts.pendingUpgrades }),
    ...(facts.available === undefined ? {} : { available: facts.available }),
    ...(facts.bootId === '' ? {} : { bootId: facts.bootId }),
    ...(facts.metadataRefreshed === undefined ? {} : { metadataRefreshed: facts.metadataRefreshed }),
    packageDb: facts.packageDb,
    durationSeconds: Math.round(durationMs) / 1000,
  };
}

/** The snapshot of one host; never throws: failures become a status and a reason. */
export async function collectHostInventory(
  host: InventoryHost,
  transport: Transport,
  options: Omit<CollectOptions, 'concurrency'>,
): Promise<HostInventory> {
  const logger = options.logger.child({ host: host.name });
  const collectedAt = options.now();
  const started = performance.now();
  try {
    const facts = await withDeadline(
      collectHostFacts(transport, {
        pendingUpgrades: options.pendingUpgrades,
        refresh: options.refresh,
        availableVersions: options.availableVersions ?? true,
        // A refresh gets at most half the host's deadline, so a slow mirror leaves time for the rest.
        refreshTimeoutSeconds: options.refreshTimeoutSeconds ?? Math.max(1, Math.floor(options.hostTimeoutMs / 2000)),
        timeoutMs: options.hostTimeoutMs,
        sudo: host.sudo,
        ...(options.strings === undefined ? {} : { strings: options.strings }),
      }),
      options.hostTimeoutMs,
    );
    for (const warning of facts.warnings) logger.warn({ warning }, 'inventory incomplete');
    if (!facts.packageDb.healthy)
      logger.warn({ problems: facts.packageDb.problems.map((problem) => problem.kind) }, 'package database unhealthy');
    const inventory = inventoryOf(host, collectedAt, facts, performance.now() - started);
    logger.debug({ packages: facts.packages.length, durationMs: Math.round(performance.now() - started) }, 'host inventoried');
    return inventory;
  } catch (error) {
    const status = error instanceof HostDeadline ? 'timeout' : statusOfError(error);
    const reason = error instanceof Error ? error.message : String(error);
    const level = status === 'refused' ? 'error' : 'warn';
    logger[level]({ err: error, status }, 'host not inventoried');
    return {
      ...snapshotOf(host, collectedAt, status),
      reason: error instanceof HostDeadline ? `${host.name}: ${reason}` : reason,
      durationSeconds: Math.round(performance.now() - started) / 1000,
    };
  } finally {
    if (options.keepConnections !== true) await transport.close().catch(() => undefined);
  }
}

/**
 * Inventories many hosts, at most `concurrency` at once; each host's failure is reported in its
 * snapshot and the others carry on. Items come back in the order of `hosts`.
 */
export async function collectInventory<H extends InventoryHost>(
  hosts: readonly H[],
  transportFor: (host: H) => Transport,
  options: CollectOptions,
): Promise<HostInventoryList> {
  const limit = new Semaphore(Math.max(1, options.concurrency));
  const shared = { ...options, strings: options.strings ?? new StringPool() };
  const items = await Promise.all(hosts.map((host) => limit.with(() => collectHostInventory(host, transportFor(host), shared))));
  return { apiVersion: 'patchward.io/v1alpha1', kind: 'HostInventoryList', items };
}
