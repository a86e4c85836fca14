/** The pure rollout planner: what to do next and when (issue 10, "Planning (pure, in core)"). */
import type { PlanInput, RolloutPlan } from './plan-types.js';

/** Plans the rollout at `now`. Pure: no I/O, no clock. */
export function planRollout(input: PlanInput, now: Date): RolloutPlan {
  void input;
  throw new Error(`planRollout: not implemented yet (${now.toISOString()})`);
}
