/** `patchward cordon`: see rollout-control.ts. */
export { cordonCommand } from './rollout-control.js';
