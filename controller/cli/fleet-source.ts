/**
 * Where a command's policy comes from: a validated policy repository (`-f DIR`) or one validated
 * policy file (`--fleet FILE`, `--baseline FILE`). Shared by `patchward inventory` and `assess`.
 */
import type { PolicySet, ResolvedHost } from '../core/model/index.js';
import { formatProblem, resolveFleetHosts } from '../core/model/index.js';
import { collectFleetInventory, type FleetInventory } from '../edges/inventory/collect-fleet-inventory.js';
import { loadPolicyRepository, type PolicyRepositoryLoader } from '../edges/policy-repo/load.js';
import { installedPolicyValidator } from '../edges/policy-repo/installed-validator.js';
import { READ_LIMITS, readInputText } from '../edges/io/bounded-read.js';
import { FileSecretReader } from '../edges/transport/secrets/file-secret-reader.js';
import { createKubeSecretReader, type KubeSecretReader } from '../edges/transport/secrets/kube-secret-reader.js';
import { openLocalStateStore } from '../edges/state/local/local-state-store.js';
import { StateHostKeyTrust } from '../edges/transport/ssh/state-host-key-trust.js';
import type { StateStore } from '../ports/state-store.js';
import { InvalidInputError } from '../errors.js';
import type { KeyRef, SecretReader } from '../ports/transport.js';
import type { CommandIo } from './command.js';

/** A policy repository or file that cannot be used; the user must fix it (reported, exit 2). */
export class PolicySourceProblem extends InvalidInputError {}

/**
 * Loads one policy file (a Fleet, a PatchBaseline …) and validates it as `patchward validate`
 * does: CRD schema, grammar, exact file:line:column problems; any error refuses it whole.
 */
export async function loadValidPolicyFile(file: string, now: Date): Promise<PolicySet> {
  const text = await readInputText(file, { limit: READ_LIMITS.policyFile });
  const checked = (await installedPolicyValidator()).validate([{ path: file, text }], { now });
  if (!checked.ok) throw new PolicySourceProblem(`${file} is not a valid policy file:\n${checked.error.map(formatProblem).join('\n')}`);
  return checked.value;
}

/** The hosts of every Fleet in one validated file (`--fleet FILE`). */
export async function loadFleetFile(file: string, now: Date): Promise<ResolvedHost[]> {
  return fleetHostsOf(await loadValidPolicyFile(file, now), file);
}

/** Loads and validates a policy repository; any error refuses it whole (nothing half-applied). */
export async function loadValidPolicySet(dir: string, loader?: PolicyRepositoryLoader): Promise<PolicySet> {
  const loaded = loader === undefined ? await loadPolicyRepository(dir) : await loader.load(dir);
  if (!loaded.ok) throw new PolicySourceProblem(`${dir} is not a valid policy repository:\n${loaded.error.map(formatProblem).join('\n')}`);
  return loaded.value;
}

export function fleetHostsOf(policySet: PolicySet, dir: string): ResolvedHost[] {
  const hosts = policySet.fleets.flatMap((fleet) => resolveFleetHosts(fleet.resource));
  if (hosts.length === 0) throw new PolicySourceProblem(`${dir}: no Fleet with hosts`);
  return hosts;
}

/** SSH keys from files, or from Kubernetes Secrets (client created only when a Secret is named). */
export function secretReaderFor(io: CommandIo, namespace: string): SecretReader {
  let kube: Promise<KubeSecretReader> | undefined;
  const cluster: SecretReader = {
    read: async (ref: KeyRef) => {
      kube ??= createKubeSecretReader(namespace);
      return (await kube).read(ref);
    },
  };
  return new FileSecretReader({ baseDir: io.cwd, secrets: cluster });
}

export interface LiveCollection {
  readonly concurrency: number;
  readonly timeoutSeconds: number;
  readonly namespace: string;
  readonly pendingUpgrades?: boolean;
  readonly refresh?: boolean;
  /** The state directory (`--state`), where keys trusted on first use are recorded and pinned from then on. */
  readonly stateDirectory: string;
  /** The store of that directory when the caller has it open already (one process holds its lock once). */
  readonly stateStore?: StateStore;
}

/**
 * Collects the inventory of these hosts over SSH and tells the user about keys trusted on first use.
 * The state directory is opened (and locked) only if a host relies on trust-on-first-use.
 */
export async function collectLive(hosts: readonly ResolvedHost[], settings: LiveCollection, io: CommandIo): Promise<FleetInventory> {
  const given = settings.stateStore;
  const trust = new StateHostKeyTrust(settings.stateDirectory, () =>
    given === undefined ? openLocalStateStore({ directory: settings.stateDirectory, now: new Date() }) : Promise.resolve(given),
  );
  let result: FleetInventory;
  try {
    result = await collectFleetInventory(hosts, {
      secrets: secretReaderFor(io, settings.namespace),
      hostKeyTrust: trust,
      logger: io.logger,
      concurrency: Math.floor(settings.concurrency),
      hostTimeoutMs: settings.timeoutSeconds * 1000,
      pendingUpgrades: settings.pendingUpgrades ?? false,
      refresh: settings.refresh ?? false,
    });
  } finally {
    if (given === undefined) await (await trust.opened().catch(() => undefined))?.close();
  }
  for (const trusted of result.trustedOnFirstUse) {
    io.stderr.write(
      `patchward: ${trusted.host}: host key trusted on first use (${trusted.fingerprint}), recorded in ${settings.stateDirectory} ` +
        `and pinned from now on; pin it in the Fleet:\n  hostKeys: ["${trusted.key}"]\n`,
    );
  }
  return result;
}
