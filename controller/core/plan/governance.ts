/**
 * What governs one host: the PatchPolicies whose selector matches it, every PatchBaseline they
 * name (ALL of them apply), and from those the approvals for the host's release, the holds (a
 * hold anywhere wins over any approval) and the policies' exclusions.
 *
 * Compiled once per distinct set of governing policies and per release, so a fleet of thousands of
 * hosts with a handful of label combinations costs a handful of compilations.
 */
import { compileBaseline, type HostHolds } from '../assess/baseline.js';
import type { OsReleaseKey } from '../inventory/host-inventory.js';
import type { Approval, Exclusion, PatchBaseline, PatchPolicy } from '../model/generated/kinds.js';
import { matchesSelector } from '../model/selector.js';
import { packageGlob, untilEnd } from '../model/hold-terms.js';

/** One approval's entry for a package on a release. */
export interface ApprovalEntry {
  readonly approval: Approval;
  readonly minVersion: string;
}

/** The approvals of every governing baseline for one release, by package name (source name for dpkg). */
export type ReleaseApprovals = ReadonlyMap<string, readonly ApprovalEntry[]>;

export interface Governance {
  /** Key of the set of governing policies (names joined), equal for hosts governed alike. */
  readonly key: string;
  readonly policies: readonly PatchPolicy[];
  readonly baselines: readonly PatchBaseline[];
  approvalsFor(release: OsReleaseKey): ReleaseApprovals;
  holdsFor(labels: Readonly<Record<string, string>>): HostHolds;
  /** The reason of an active exclusion of this approval (by its id or an alias), or undefined. */
  approvalExclusion(approval: Approval): string | undefined;
  /** The reason of an active exclusion of this binary or source package name, or undefined. */
  packageExclusion(binaryName: string, sourceName: string): string | undefined;
}

/** A date means the whole UTC day. */
function isActive(until: string | undefined, now: Date): boolean {
  if (until === undefined) return true;
  const end = untilEnd(until);
  return Number.isNaN(end) || end >= now.getTime();
}

function compileGovernance(policies: readonly PatchPolicy[], baselinesByName: ReadonlyMap<string, PatchBaseline>, now: Date): Governance {
  const baselines: PatchBaseline[] = [];
  for (const name of new Set(policies.map((policy) => policy.spec.baseline))) {
    const baseline = baselinesByName.get(name);
    if (baseline !== undefined) baselines.push(baseline);
  }
  const holds = compileBaseline(
    {
      holds: [...baselines.flatMap((baseline) => baseline.spec.holds ?? []), ...policies.flatMap((policy) => policy.spec.holds ?? [])],
    },
    now,
  );
  const exclusions = policies.flatMap((policy) => policy.spec.exclusions ?? []).filter((exclusion) => isActive(exclusion.until, now));
  const advisoryExclusions = new Map<string, Exclusion>();
  const packageExclusions: { pattern: RegExp; exclusion: Exclusion }[] = [];
  for (const exclusion of exclusions) {
    if (exclusion.advisory !== undefined && !advisoryExclusions.has(exclusion.advisory))
      advisoryExclusions.set(exclusion.advisory, exclusion);
    if (exclusion.package !== undefined) packageExclusions.push({ pattern: packageGlob(exclusion.package), exclusion });
  }
  const byRelease = new Map<string, ReleaseApprovals>();
  return {
    key: policies.map((policy) => policy.metadata.name).join('\u0000'),
    policies,
    baselines,
    approvalsFor(release) {
      let found = byRelease.get(release);
      if (found === undefined) {
        const map = new Map<string, ApprovalEntry[]>();
        for (const baseline of baselines) {
          for (const approval of baseline.spec.approvals ?? []) {
            for (const entry of approval.packages) {
              if (entry.release !== release) continue;
              const list = map.get(entry.name) ?? [];
              list.push({ approval, minVersion: entry.minVersion });
              map.set(entry.name, list);
            }
          }
        }
        found = map;
        byRelease.set(release, found);
      }
      return found;
    },
    holdsFor: (labels) => holds.holdsFor(labels),
    approvalExclusion(approval) {
      for (const id of [approval.advisory, ...(approval.aliases ?? [])]) {
        const exclusion = advisoryExclusions.get(id);
        if (exclusion !== undefined) return `${id} excluded: ${exclusion.reason}`;
      }
      return undefined;
    },
    packageExclusion(binaryName, sourceName) {
      for (const { pattern, exclusion } of packageExclusions) {
        if (pattern.test(binaryName) || pattern.test(sourceName)) return `${exclusion.package ?? ''} excluded: ${exclusion.reason}`;
      }
      return undefined;
    },
  };
}

/** Finds and caches the governance of hosts by the set of policies selecting them. */
export interface GovernanceIndex {
  /** Undefined when no policy governs a host with these labels. */
  governanceOf(labels: Readonly<Record<string, string>>): Governance | undefined;
}

export function governanceIndex(policies: readonly PatchPolicy[], baselines: readonly PatchBaseline[], now: Date): GovernanceIndex {
  const baselinesByName = new Map(baselines.map((baseline) => [baseline.metadata.name, baseline] as const));
  const sorted = [...policies].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  const cache = new Map<string, Governance>();
  return {
    governanceOf(labels) {
      const governing = sorted.filter((policy) => matchesSelector(policy.spec.selector, labels));
      if (governing.length === 0) return undefined;
      const key = governing.map((policy) => policy.metadata.name).join('\u0000');
      let found = cache.get(key);
      if (found === undefined) {
        found = compileGovernance(governing, baselinesByName, now);
        cache.set(key, found);
      }
      return found;
    },
  };
}
