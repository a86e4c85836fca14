/**
 * Wiring shared by `patchward rollout` (and later `patchward run`): from a validated policy set and
 * a revision to the driver's inputs, with SSH agents for the hosts.
 */
import type { PolicySet, ResolvedHost } from '../../core/model/index.js';
import { matchesSelector, resolveFleetHosts } from '../../core/model/index.js';
import type { PatchBaseline } from '../../core/model/generated/kinds.js';
import { ringPlanOf } from '../../core/rollout/schedule-rollout.js';
import { windowGate } from '../../core/rollout/window-gate.js';
import { sshTargetsOf } from '../../edges/inventory/fleet-targets.js';
import type { AuditLog } from '../../edges/status/audit-log.js';
import { SshConnectionPool } from '../../edges/transport/ssh/ssh-connection-pool.js';
import { SshTransport } from '../../edges/transport/ssh/ssh-transport.js';
import type { Logger } from '../../log.js';
import type { SecretReader } from '../../ports/transport.js';
import type { HostAgent } from './host-agent.js';
import type { RolloutInputs } from './reconcile-rollout.js';
import type { RolloutStateStore } from './rollout-store.js';
import { SshHostAgent } from './ssh-host-agent.js';

/** The hosts a baseline governs: those of the PatchPolicies naming it (every host when none does). */
export function governedHosts(policySet: PolicySet, baseline: PatchBaseline): ResolvedHost[] {
  const hosts = policySet.fleets.flatMap((fleet) => resolveFleetHosts(fleet.resource));
  const policies = policySet.patchPolicies.filter((policy) => policy.resource.spec.baseline === baseline.metadata.name);
  if (policies.length === 0) return hosts;
  return hosts.filter((host) => policies.some((policy) => matchesSelector(policy.resource.spec.selector, host.labels)));
}

export interface SshAgents {
  readonly agentFor: (host: string) => HostAgent;
  readonly close: () => Promise<void>;
  readonly problems: readonly { readonly host: string; readonly reason: string }[];
}

export function sshAgents(hosts: readonly ResolvedHost[], secrets: SecretReader, logger: Logger): SshAgents {
  const mapping = sshTargetsOf(hosts);
  const pool = new SshConnectionPool({ secrets, logger });
  const byName = new Map(mapping.targets.map((target) => [target.name, target]));
  return {
    agentFor: (host) => {
      const target = byName.get(host);
      if (target === undefined)
        throw new Error(`${host}: ${mapping.problems.find((problem) => problem.host === host)?.reason ?? 'not in the fleet'}`);
      return new SshHostAgent(new SshTransport(target, pool, { logger }), {
        address: target.address,
        sudo: target.sudo,
        commandTimeoutMs: target.commandTimeoutMs,
      });
    },
    close: () => pool.closeAll(),
    problems: mapping.problems,
  };
}

export function rolloutInputsOf(
  policySet: PolicySet,
  baseline: PatchBaseline,
  revision: string,
  parts: Pick<RolloutInputs, 'store' | 'audit' | 'agentFor' | 'clock' | 'logger' | 'retryDelayMs' | 'print' | 'boundary' | 'source'> & {
    readonly audit: AuditLog;
    readonly store: RolloutStateStore;
  },
): RolloutInputs {
  const hosts = governedHosts(policySet, baseline);
  const rings = policySet.rings.map((sourced) => ({ ring: sourced.resource, plan: ringPlanOf(sourced.resource, hosts) }));
  const windows = policySet.maintenanceWindows.map((sourced) => sourced.resource);
  return {
    baseline: baseline.metadata.name,
    revision,
    approvals: baseline.spec.approvals ?? [],
    holds: baseline.spec.holds ?? [],
    rings,
    labels: Object.fromEntries(hosts.map((host) => [host.name, host.labels])),
    gates: (now) => Object.fromEntries(rings.map(({ ring }) => [ring.metadata.name, windowGate(ring, windows, now)])),
    ...parts,
  };
}
