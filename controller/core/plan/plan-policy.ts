/** The planner's view of one loaded policy repository (`patchward plan`, the propose step's timeline and dashboard). */
import { type PolicySet, resolveFleetHosts } from '../model/index.js';
import type { PlanHost, PlanPolicy } from './plan-types.js';

/** Rings, windows, policies and baselines of `policySet`; hosts from its Fleets unless given. */
export function planPolicyOf(policySet: PolicySet, hosts?: readonly PlanHost[]): PlanPolicy {
  return {
    hosts:
      hosts ??
      policySet.fleets.flatMap((fleet) => resolveFleetHosts(fleet.resource)).map((host) => ({ name: host.name, labels: host.labels })),
    rings: policySet.rings.map((entry) => entry.resource),
    windows: policySet.maintenanceWindows.map((entry) => entry.resource),
    policies: policySet.patchPolicies.map((entry) => entry.resource),
    baselines: policySet.patchBaselines.map((entry) => entry.resource),
  };
}
