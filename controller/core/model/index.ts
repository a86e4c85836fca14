/**
 * The policy model: the kinds of `patchward.io/v1alpha1` (types generated from the CRD schemas in
 * `crds/`), the loaded policy set, problems, and pure helpers over them.
 */
export type {
  AllowedRemoval,
  Approval,
  ApprovedPackage,
  AutoMerge,
  AutoMergeRule,
  Blackout,
  Condition,
  Exclusion,
  Fleet,
  FleetDefaults,
  FleetHost,
  FleetSpec,
  FleetStatus,
  ForgeSettings,
  HealthCheck,
  Hook,
  HttpCheck,
  LabelSelector,
  LabelSelectorRequirement,
  MaintenanceWindow,
  MaintenanceWindowSpec,
  MaintenanceWindowStatus,
  ManagedHost,
  ManagedHostOs,
  ManagedHostSpec,
  ManagedHostStatus,
  MissingFix,
  PackageHold,
  PatchBaseline,
  PatchBaselineSpec,
  PatchBaselineStatus,
  PatchPolicy,
  PatchPolicySpec,
  PatchPolicyStatus,
  PatchRepository,
  PatchRepositorySpec,
  PatchRepositoryStatus,
  PatchRollout,
  PrometheusCheck,
  PrometheusThreshold,
  PatchRolloutSpec,
  PatchRolloutStatus,
  ProposalGrouping,
  PullRequestSettings,
  RebootSettings,
  Ring,
  RingProgress,
  RingSpec,
  RingStatus,
  RolloutHalt,
  SecretKeyRef,
  SshKeyRef,
  SshSettings,
  TcpCheck,
  UrgentLane,
  WindowSchedule,
  YearlyBlackout,
} from './generated/kinds.js';
export type { ObjectMeta } from './object-meta.js';
export { API_GROUP, API_VERSION, ALL_KINDS, CLUSTER_KINDS, POLICY_KINDS, isKindName, isPolicyKind } from './kinds.js';
export type { ClusterKind, KindName, PolicyKind } from './kinds.js';
export type { PolicyLoadResult, PolicySet, Sourced } from './policy-set.js';
export { emptyPolicySet } from './policy-set.js';
export type { Problem, ProblemCode, ProblemSeverity, SourceLocation } from './problem.js';
export { PROBLEM_CODES, formatProblem, sortProblems } from './problem.js';
export type { ResolvedHost, ResolvedSsh } from './fleet-hosts.js';
export { DEFAULT_SSH_PORT, resolveFleetHost, resolveFleetHosts } from './fleet-hosts.js';
export { matchesSelector } from './selector.js';
export { formatDuration, parseDurationSeconds } from './duration.js';
export type { ParsedRelease } from './os-release.js';
export { parseReleaseKey } from './os-release.js';
