/** `patchward pause`: see rollout-control.ts. */
export { pauseCommand } from './rollout-control.js';
