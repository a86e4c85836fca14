/** Proposals (pure core): which advisories become PRs, grouped how, with what file edit and text, and their lifecycle. */
export * from './auto-merge.js';
export * from './baseline-edit.js';
export * from './candidate.js';
export * from './dashboard.js';
export * from './fleet-edit.js';
export * from './group-proposals.js';
export * from './lifecycle.js';
export * from './markdown-text.js';
export * from './marker.js';
export * from './pr-content.js';
export * from './ref-name.js';
export * from './select-candidates.js';
export { appendItemsAt, replaceScalarAt, type YamlEditProblem } from './yaml-splice.js';
export * from './pin-proposal.js';
