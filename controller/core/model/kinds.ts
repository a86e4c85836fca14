/** The kinds of apiVersion `patchward.io/v1alpha1`, and which of them belong in a policy repository. */

export const API_GROUP = 'patchward.io';
export const API_VERSION = 'patchward.io/v1alpha1';

/** Kinds people keep as YAML in the policy repository. */
export const POLICY_KINDS = ['Fleet', 'MaintenanceWindow', 'Ring', 'PatchPolicy', 'PatchBaseline'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/** Kinds that exist only in the cluster (written by people with kubectl, or by the controller). */
export const CLUSTER_KINDS = ['PatchRepository', 'ManagedHost', 'PatchRollout'] as const;
export type ClusterKind = (typeof CLUSTER_KINDS)[number];

export const ALL_KINDS = [...POLICY_KINDS, ...CLUSTER_KINDS] as const;
export type KindName = PolicyKind | ClusterKind;

export function isPolicyKind(value: unknown): value is PolicyKind {
  return typeof value === 'string' && (POLICY_KINDS as readonly string[]).includes(value);
}

export function isKindName(value: unknown): value is KindName {
  return typeof value === 'string' && (ALL_KINDS as readonly string[]).includes(value);
}
