/**
 * The dashboard sections other steps know, computed here from the same pure functions when the
 * caller does not pass them: approved advisories whose hosts wait for a maintenance window (from
 * `assess` against the CURRENT baselines and `plan`'s first window per ring), and a halt `plan`
 * reports from the rollout progress it was given. `haltedRollouts` lists the rollouts the engine
 * persisted (kind `rollout-progress`) that are halted or paused, with the reason.
 */
import type { HostAssessment } from '../../core/assess/assessment.js';
import type { HostInventory } from '../../core/inventory/host-inventory.js';
import type { PolicySet } from '../../core/model/index.js';
import { planPolicyOf, planRollout, type RolloutProgress } from '../../core/plan/index.js';
import type { DashboardInput } from '../../core/proposals/index.js';

export function dashboardFacts(
  policySet: PolicySet,
  inventory: readonly HostInventory[],
  assessed: readonly HostAssessment[],
  now: Date,
  progress?: RolloutProgress,
): Pick<DashboardInput, 'waiting' | 'halted'> {
  const plan = planRollout(
    {
      policy: planPolicyOf(policySet),
      inventory,
      ...(progress === undefined ? {} : { progress }),
    },
    now,
  );
  const ringOfHost = new Map<string, string>();
  for (const ring of plan.rings) for (const host of ring.hosts) ringOfHost.set(host.host, ring.name);
  const waiting = new Map<string, { advisory: string; ring: string; opens?: string }>();
  for (const host of assessed) {
    const ringName = ringOfHost.get(host.host);
    const ring = plan.rings.find((candidate) => candidate.name === ringName);
    const window = ring?.firstWindow;
    if (ring === undefined || window === undefined || Date.parse(window.start) <= now.getTime()) continue;
    for (const finding of host.result?.findings ?? []) {
      if (!finding.approvedMissing || finding.heldReason !== undefined) continue;
      const key = `${finding.advisory}\u0000${ring.name}`;
      if (!waiting.has(key)) waiting.set(key, { advisory: finding.advisory, ring: ring.name, opens: `${window.window} ${window.start}` });
    }
  }
  return {
    waiting: [...waiting.values()].sort((a, b) => (a.advisory < b.advisory ? -1 : a.advisory > b.advisory ? 1 : a.ring < b.ring ? -1 : 1)),
    ...(progress === undefined
      ? {}
      : { halted: plan.halt === undefined ? [] : [{ rollout: progress.rolloutId, ring: plan.halt.ring, reason: plan.halt.reason }] }),
  };
}

/**
 * Halted and paused rollouts, each with why, who and when (sorted by rollout id). A rollout both
 * halted and paused is listed once per stop: each needs its own `patchward resume`.
 */
export function haltedRollouts(progress: readonly RolloutProgress[]): NonNullable<DashboardInput['halted']> {
  const rows: { rollout: string; ring?: string; reason: string }[] = [];
  for (const rollout of [...progress].sort((a, b) => (a.rolloutId < b.rolloutId ? -1 : a.rolloutId > b.rolloutId ? 1 : 0)))
    for (const [what, stop] of [
      ['halted', rollout.halted],
      ['paused', rollout.paused],
    ] as const) {
      if (stop === undefined) continue;
      const by = stop.by === undefined ? '' : ` by ${stop.by}`;
      const host = stop.host === undefined ? '' : ` on host ${stop.host}`;
      rows.push({
        rollout: rollout.rolloutId,
        ...(stop.ring === undefined ? {} : { ring: stop.ring }),
        reason: `${what}${by} at ${stop.at}${host}: ${stop.reason}`,
      });
    }
  return rows;
}
