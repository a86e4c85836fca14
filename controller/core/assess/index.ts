export { assess, type AssessOptions } from './assess.js';
export * from './assessment.js';
export {
  compileBaseline,
  EMPTY_BASELINE,
  type BaselineApproval,
  type BaselineApprovalPackage,
  type BaselineApprovals,
  type BaselineHold,
  type CompiledBaseline,
} from './baseline.js';
export { packageSetHash, samePackageSet } from './package-set-key.js';
export { compareExposure, summarizeFleet } from './summary.js';
