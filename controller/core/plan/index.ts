/** The rollout planner: pure, in core. */
export type * from './plan-types.js';
export type { Cordon, HostOutcome, HostProgress, RingProgressRecord, RolloutProgress, RolloutStop } from './rollout-progress.js';
export { ROLLOUT_PROGRESS_FORMAT, emptyRolloutProgress } from './rollout-progress.js';
export { planRollout } from './plan-rollout.js';
