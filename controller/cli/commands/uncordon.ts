/** `patchward uncordon`: see rollout-control.ts. */
export { uncordonCommand } from './rollout-control.js';
