/** The rollout planner: pure, in core. */
export type * from './plan-types.js';
export type { Cordon, HostOutcome, HostProgress, RingProgressRecord, RolloutProgress, RolloutStop } from './rollout-progress.js';
export { ROLLOUT_PROGRESS_FORMAT, emptyRolloutProgress } from './rollout-progress.js';
export { planRollout } from './plan-rollout.js';
export { MARKDOWN_HOSTS_PER_RING, renderPlanMarkdown } from './render-markdown.js';
export { renderPlanTable } from './render-table.js';
export { markdownText, terminalText } from './render-text.js';
export { createProgressValidator, ROLLOUT_PROGRESS_SCHEMA, type ProgressCheck } from './progress-validator.js';
export { CORDON_KIND, cordonDocument, ROLLOUT_PROGRESS_KIND, rolloutProgressDocument } from './progress-documents.js';
export { planPolicyOf } from './plan-policy.js';
