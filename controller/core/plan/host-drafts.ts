/**
 * First pass of the planner: every Fleet host either left out (with its reason) or placed in its
 * ring with its work, its state in this rollout and its windows. Gating and order come later.
 */
import type { HostInventory } from '../inventory/host-inventory.js';
import type { Ring } from '../model/generated/kinds.js';
import { matchesSelector } from '../model/selector.js';
import { type GovernanceIndex, governanceIndex } from './governance.js';
import { hostWork } from './package-targets.js';
import type { HostBlock, HostPlan, LeftOutHost, PlanHost, PlanInput } from './plan-types.js';
import { type RingLimits, ringLimits } from './ring-limits.js';
import type { Cordon, HostProgress } from './rollout-progress.js';
import { urgentLaneFor } from './urgent-lane.js';

/** A host with work in a ring, before gating: `notBefore` is filled in by the ring pass. */
export interface HostDraft {
  readonly plan: Omit<HostPlan, 'notBefore'>;
  readonly progress: HostProgress | undefined;
  /** The urgent lane's soak replacing the previous ring's, for this host. */
  readonly urgentSoakSeconds?: number;
}

export interface RingDraft {
  readonly ring: Ring;
  readonly name: string;
  readonly size: number;
  readonly limits: RingLimits;
  readonly hosts: HostDraft[];
}

export interface Drafts {
  readonly rings: readonly RingDraft[];
  readonly leftOut: readonly LeftOutHost[];
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The latest inventory per host (by collectedAt, the later entry on a tie). */
function latestInventories(inventory: readonly HostInventory[]): Map<string, HostInventory> {
  const byHost = new Map<string, HostInventory>();
  for (const entry of inventory) {
    const known = byHost.get(entry.host);
    if (known === undefined || Date.parse(entry.collectedAt) >= Date.parse(known.collectedAt)) byHost.set(entry.host, entry);
  }
  return byHost;
}

function inventoryBlock(inventory: HostInventory | undefined): HostBlock | undefined {
  if (inventory === undefined) return { kind: 'unreachable', detail: 'no inventory of the host' };
  if (inventory.status !== 'ok') {
    const reason = inventory.reason ?? 'no reason given';
    return { kind: 'unreachable', detail: inventory.status === 'unreachable' ? reason : `${inventory.status}: ${reason}` };
  }
  if (inventory.packageDb?.healthy === false) {
    const problems = inventory.packageDb.problems.map(
      (problem) => `${problem.kind}${problem.package === undefined ? '' : ` ${problem.package}`}`,
    );
    return { kind: 'package-db', detail: `package database unhealthy: ${problems.join(', ') || 'unknown problem'}` };
  }
  return undefined;
}

function progressOf(input: PlanInput, host: string): HostProgress | undefined {
  const hosts = input.progress?.hosts;
  return hosts !== undefined && Object.hasOwn(hosts, host) ? hosts[host] : undefined;
}

function draftHost(
  input: PlanInput,
  host: PlanHost,
  ring: RingDraft,
  index: GovernanceIndex,
  inventory: HostInventory | undefined,
): HostDraft | LeftOutHost {
  const governance = index.governanceOf(host.labels);
  if (governance === undefined) return { host: host.name, ring: ring.name, reason: 'no-policy', detail: 'no PatchPolicy selects the host' };
  const progress = progressOf(input, host.name);
  const block = inventoryBlock(inventory);
  const work = block === undefined && inventory !== undefined ? hostWork(inventory, governance, host.labels) : undefined;
  const retryable = progress === undefined || progress.outcome === 'retryable';
  if (retryable && work?.kind === 'left-out') return { host: host.name, ring: ring.name, reason: work.reason, detail: work.detail };
  const approvals = work?.kind === 'work' ? work.approvals : [];
  const lane = urgentLaneFor(approvals, governance.policies, input.knownExploited);
  const attempts = progress?.attempts ?? 0;
  const effectiveBlock = block ?? (work?.kind === 'work' ? work.block : undefined);
  let state: HostPlan['state'];
  let reason = progress?.reason;
  if (progress?.outcome === 'succeeded') state = 'succeeded';
  else if (progress?.outcome === 'failed') state = 'failed';
  else if (progress?.outcome === 'in-progress') state = 'in-progress';
  else if (progress !== undefined && attempts >= ring.limits.maxAttempts) {
    state = 'failed';
    reason = `out of attempts (${attempts} of ${ring.limits.maxAttempts})${progress.reason === undefined ? '' : `: ${progress.reason}`}`;
  } else state = effectiveBlock === undefined ? 'pending' : 'blocked';
  const windows = [...new Set([...ring.ring.spec.windows, ...lane.windows])];
  return {
    plan: {
      host: host.name,
      ring: ring.name,
      state,
      ...(progress === undefined ? {} : { outcome: progress.outcome }),
      attempts,
      ...(inventory?.os?.release === undefined ? {} : { release: inventory.os.release }),
      ...(inventory?.packageManager === undefined ? {} : { packageManager: inventory.packageManager }),
      packages: work?.kind === 'work' ? work.packages : [],
      held: work?.held ?? [],
      allowedRemovals: work?.kind === 'work' ? work.allowedRemovals : [],
      urgent: lane.urgent,
      urgentAdvisories: lane.advisories,
      windows,
      ...(effectiveBlock === undefined || state === 'succeeded' || state === 'failed' ? {} : { block: effectiveBlock }),
      ...(reason === undefined ? {} : { reason }),
    },
    progress,
    ...(lane.soakSeconds === undefined ? {} : { urgentSoakSeconds: lane.soakSeconds }),
  };
}

/** Places every host: left out with a reason, or into its ring (the first by order whose selector matches). */
export function draftHosts(input: PlanInput, now: Date): Drafts {
  const rings = [...input.policy.rings].sort((a, b) => a.spec.order - b.spec.order || byName(a.metadata.name, b.metadata.name));
  const hosts = [...input.policy.hosts].sort((a, b) => byName(a.name, b.name));
  const ringOf = new Map<string, Ring>();
  const sizes = new Map<string, number>();
  for (const host of hosts) {
    const ring = rings.find((candidate) => matchesSelector(candidate.spec.selector, host.labels));
    if (ring === undefined) continue;
    ringOf.set(host.name, ring);
    sizes.set(ring.metadata.name, (sizes.get(ring.metadata.name) ?? 0) + 1);
  }
  const ringDrafts = new Map<string, RingDraft>();
  for (const ring of rings) {
    const size = sizes.get(ring.metadata.name) ?? 0;
    ringDrafts.set(ring.metadata.name, { ring, name: ring.metadata.name, size, limits: ringLimits(ring, size), hosts: [] });
  }
  const cordons = new Map<string, Cordon>((input.cordons ?? []).map((cordon) => [cordon.host, cordon] as const));
  const inventories = latestInventories(input.inventory);
  const index = governanceIndex(input.policy.policies, input.policy.baselines, now);
  const leftOut: LeftOutHost[] = [];
  for (const host of hosts) {
    const ring = ringOf.get(host.name);
    const ringDraft = ring === undefined ? undefined : ringDrafts.get(ring.metadata.name);
    const cordon = cordons.get(host.name);
    if (cordon !== undefined) {
      const detail = `cordoned${cordon.by === undefined ? '' : ` by ${cordon.by}`} at ${cordon.at}${cordon.reason === undefined ? '' : `: ${cordon.reason}`}`;
      leftOut.push({ host: host.name, ...(ring === undefined ? {} : { ring: ring.metadata.name }), reason: 'cordoned', detail });
      continue;
    }
    if (ringDraft === undefined) {
      leftOut.push({ host: host.name, reason: 'no-ring', detail: 'no Ring selects the host' });
      continue;
    }
    const drafted = draftHost(input, host, ringDraft, index, inventories.get(host.name));
    if ('plan' in drafted) ringDraft.hosts.push(drafted);
    else leftOut.push(drafted);
  }
  return { rings: [...ringDrafts.values()], leftOut };
}
