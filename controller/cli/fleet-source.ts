/**
 * Where a command's hosts come from: every Fleet of a validated policy repository (`-f DIR`) or a
 * Fleet YAML file on its own (`--fleet FILE`). Shared by `patchward inventory` and `assess`.
 */
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import type { Fleet, PolicySet, ResolvedHost } from '../core/model/index.js';
import { formatProblem, resolveFleetHosts } from '../core/model/index.js';
import { collectFleetInventory, type FleetInventory } from '../edges/inventory/collect-fleet-inventory.js';
import { loadPolicyRepository } from '../edges/policy-repo/load.js';
import { FileSecretReader } from '../edges/transport/secrets/file-secret-reader.js';
import { createKubeSecretReader, type KubeSecretReader } from '../edges/transport/secrets/kube-secret-reader.js';
import type { KeyRef, SecretReader } from '../ports/transport.js';
import type { CommandIo } from './command.js';

/** A problem with the fleet's source that the user must fix (reported, exit 2). */
export class FleetSourceProblem extends Error {}

export async function loadFleetFile(path: string): Promise<ResolvedHost[]> {
  const text = await readFile(path, 'utf8');
  const hosts: ResolvedHost[] = [];
  for (const document of parseAllDocuments(text)) {
    if (document.errors.length > 0) throw new FleetSourceProblem(`${path}: ${document.errors[0]?.message ?? 'YAML error'}`);
    const value = document.toJS() as { kind?: unknown; spec?: { hosts?: unknown } } | null;
    if (value?.kind !== 'Fleet') continue;
    if (!Array.isArray(value.spec?.hosts)) throw new FleetSourceProblem(`${path}: Fleet without spec.hosts`);
    hosts.push(...resolveFleetHosts(value as unknown as Fleet));
  }
  if (hosts.length === 0) throw new FleetSourceProblem(`${path}: no Fleet with hosts`);
  return hosts;
}

/** Loads and validates a policy repository; any error refuses it whole (nothing half-applied). */
export async function loadValidPolicySet(dir: string): Promise<PolicySet> {
  const loaded = await loadPolicyRepository(dir);
  if (!loaded.ok) throw new FleetSourceProblem(`${dir} is not a valid policy repository:\n${loaded.problems.map(formatProblem).join('\n')}`);
  return loaded.value;
}

export function fleetHostsOf(policySet: PolicySet, dir: string): ResolvedHost[] {
  const hosts = policySet.fleets.flatMap((fleet) => resolveFleetHosts(fleet.resource));
  if (hosts.length === 0) throw new FleetSourceProblem(`${dir}: no Fleet with hosts`);
  return hosts;
}

/** SSH keys from files, or from Kubernetes Secrets (client created only when a Secret is named). */
export function secretReaderFor(io: CommandIo, namespace: string): SecretReader {
  let kube: Promise<KubeSecretReader> | undefined;
  const cluster: SecretReader = {
    read: async (ref: KeyRef) => (await (kube ??= createKubeSecretReader(namespace))).read(ref),
  };
  return new FileSecretReader({ baseDir: io.cwd, secrets: cluster });
}

export interface LiveCollection {
  readonly concurrency: number;
  readonly timeoutSeconds: number;
  readonly namespace: string;
  readonly pendingUpgrades?: boolean;
  readonly refresh?: boolean;
}

/** Collects the inventory of these hosts over SSH and tells the user about keys trusted on first use. */
export async function collectLive(hosts: readonly ResolvedHost[], settings: LiveCollection, io: CommandIo): Promise<FleetInventory> {
  const result = await collectFleetInventory(hosts, {
    secrets: secretReaderFor(io, settings.namespace),
    logger: io.logger,
    concurrency: Math.floor(settings.concurrency),
    hostTimeoutMs: settings.timeoutSeconds * 1000,
    pendingUpgrades: settings.pendingUpgrades ?? false,
    refresh: settings.refresh ?? false,
  });
  for (const trusted of result.trustedOnFirstUse) {
    io.stderr.write(`patchward: ${trusted.host}: host key trusted on first use (${trusted.fingerprint}); pin it:\n  hostKeys: ["${trusted.key}"]\n`);
  }
  return result;
}
