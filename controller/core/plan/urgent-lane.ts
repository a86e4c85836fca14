/**
 * The urgent lane as the PatchPolicy CRD defines it. An approval qualifies under a policy when the
 * policy's `urgentLane.enabled` is true and
 * - its severity is one of `urgentLane.severities` (default [critical]), or
 * - it is known exploited (its id or an alias is in the catalogue) and `urgentLane.knownExploited`
 *   is not false (default true), unless the policy's `knownExploited` is `by-severity` (no special
 *   treatment), or
 * - it is known exploited, the policy's `knownExploited` is `as-critical` (treated as critical) and
 *   critical is one of the lane's severities.
 * A host is urgent when an approval it needs qualifies under a policy governing it; then the lane's
 * `windows` are extra windows besides its ring's own, and the lane's `soakTime`, when set, replaces
 * the soak of the previous ring (the shortest one when several qualifying policies set one).
 */
import type { Approval, PatchPolicy } from '../model/generated/kinds.js';
import { parseDurationSeconds } from '../model/duration.js';

export type KnownExploitedIds = ReadonlySet<string> | ReadonlyMap<string, unknown>;

export function isKnownExploited(approval: Approval, catalogue: KnownExploitedIds | undefined): boolean {
  if (catalogue === undefined) return false;
  return [approval.advisory, ...(approval.aliases ?? [])].some((id) => catalogue.has(id));
}

export function qualifiesUrgent(approval: Approval, policy: PatchPolicy, catalogue: KnownExploitedIds | undefined): boolean {
  const lane = policy.spec.urgentLane;
  if (lane?.enabled !== true) return false;
  const severities: readonly string[] = lane.severities ?? ['critical'];
  if (approval.severity !== undefined && severities.includes(approval.severity)) return true;
  if (!isKnownExploited(approval, catalogue)) return false;
  const treatment = policy.spec.knownExploited ?? 'always';
  if (treatment === 'as-critical' && severities.includes('critical')) return true;
  return lane.knownExploited !== false && treatment !== 'by-severity';
}

export interface UrgentLaneOutcome {
  readonly urgent: boolean;
  readonly advisories: readonly string[];
  /** Extra windows (sorted, without duplicates). */
  readonly windows: readonly string[];
  /** The soak that replaces the previous ring's, when a qualifying lane sets one. */
  readonly soakSeconds?: number;
}

export function urgentLaneFor(
  approvals: readonly Approval[],
  policies: readonly PatchPolicy[],
  catalogue: KnownExploitedIds | undefined,
): UrgentLaneOutcome {
  const advisories = new Set<string>();
  const windows = new Set<string>();
  let soakSeconds: number | undefined;
  for (const policy of policies) {
    const qualifying = approvals.filter((approval) => qualifiesUrgent(approval, policy, catalogue));
    if (qualifying.length === 0) continue;
    for (const approval of qualifying) advisories.add(approval.advisory);
    for (const window of policy.spec.urgentLane?.windows ?? []) windows.add(window);
    const soak = policy.spec.urgentLane?.soakTime === undefined ? undefined : parseDurationSeconds(policy.spec.urgentLane.soakTime);
    if (soak !== undefined && (soakSeconds === undefined || soak < soakSeconds)) soakSeconds = soak;
  }
  return {
    urgent: advisories.size > 0,
    advisories: [...advisories].sort(),
    windows: [...windows].sort(),
    ...(soakSeconds === undefined ? {} : { soakSeconds }),
  };
}
