/** `patchward resume`: see rollout-control.ts. */
export { resumeCommand } from './rollout-control.js';
