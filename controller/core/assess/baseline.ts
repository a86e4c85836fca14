/**
 * The part of a `PatchBaseline` spec that `assess` reads, typed structurally so that the policy
 * model's `PatchBaseline['spec']` satisfies it, and its compiled form for O(1) look-ups.
 *
 * An approval covers a finding when one of its ids (`advisory`, `aliases`) equals the finding's
 * advisory id, one of that advisory's aliases, or one of its CVE ids, AND it lists a package entry
 * for the host's release and the package as the advisory names it (source package for
 * Debian/Ubuntu, rpm name for the RHEL family). Its `minVersion` is compared with the installed
 * version (the source version for dpkg).
 *
 * A hold matches a binary or source package name, exactly or by glob (`*`, `?`), in the listed
 * releases (all when absent), on hosts whose labels match its `hosts` selector (all when absent),
 * up to and including `until` (a date means the whole UTC day; forever when absent).
 */
import type { OsReleaseKey } from '../inventory/host-inventory.js';
import { matchesSelector } from '../model/selector.js';
import { packageGlob, untilEnd } from '../model/hold-terms.js';

/** Kubernetes-style label selector, as the policy model defines it. */
export type HostSelector = NonNullable<Parameters<typeof matchesSelector>[0]>;

export interface BaselineApprovalPackage {
  readonly release: OsReleaseKey;
  readonly name: string;
  readonly minVersion: string;
}

export interface BaselineApproval {
  readonly advisory: string;
  readonly aliases?: readonly string[];
  readonly severity?: string;
  readonly packages: readonly BaselineApprovalPackage[];
}

export interface BaselineHold {
  readonly package: string;
  readonly releases?: readonly OsReleaseKey[];
  /** Hosts the hold applies to (by labels); all hosts when absent. */
  readonly hosts?: HostSelector;
  readonly until?: string;
  readonly reason: string;
}

export interface BaselineApprovals {
  readonly approvals?: readonly BaselineApproval[];
  readonly holds?: readonly BaselineHold[];
}

export const EMPTY_BASELINE: BaselineApprovals = Object.freeze({ approvals: [], holds: [] });

interface CompiledHold {
  readonly hosts: HostSelector | undefined;
  readonly pattern: RegExp;
  readonly releases: ReadonlySet<string> | undefined;
  readonly reason: string;
}

/** The holds that apply to one host; `key` is equal for hosts with the same applicable holds. */
export interface HostHolds {
  readonly key: string;
  /** The reason of the first applicable hold on either name, or undefined. */
  holdReason(release: OsReleaseKey, binaryName: string, sourceName: string): string | undefined;
}

export interface CompiledBaseline {
  /** False when the baseline approves nothing (then every finding is unapproved). */
  readonly hasApprovals: boolean;
  /** The approval's `minVersion` for (release, package, any of the ids), or undefined. */
  approvedMinVersion(
    release: OsReleaseKey,
    packageName: string,
    ids: readonly string[],
  ): { readonly approval: string; readonly minVersion: string } | undefined;
  /** Holds that apply to a host with these labels. */
  holdsFor(labels: Readonly<Record<string, string>> | undefined): HostHolds;
}

function hostHolds(key: string, holds: readonly CompiledHold[]): HostHolds {
  return {
    key,
    holdReason(release, binaryName, sourceName) {
      if (holds.length === 0) return undefined;
      for (const hold of holds) {
        if (hold.releases !== undefined && !hold.releases.has(release)) continue;
        if (hold.pattern.test(binaryName) || hold.pattern.test(sourceName)) return hold.reason;
      }
      return undefined;
    },
  };
}

/** Compiles approvals and the holds active at `now` (holds past `until` are dropped). */
export function compileBaseline(baseline: BaselineApprovals, now: Date): CompiledBaseline {
  const approvals = new Map<string, Map<string, { approval: string; minVersion: string }>>();
  for (const approval of baseline.approvals ?? []) {
    for (const pkg of approval.packages) {
      const key = `${pkg.release}\u0000${pkg.name}`;
      let byId = approvals.get(key);
      if (byId === undefined) {
        byId = new Map();
        approvals.set(key, byId);
      }
      for (const id of [approval.advisory, ...(approval.aliases ?? [])]) {
        if (!byId.has(id)) byId.set(id, { approval: approval.advisory, minVersion: pkg.minVersion });
      }
    }
  }
  const holds: CompiledHold[] = [];
  for (const hold of baseline.holds ?? []) {
    if (hold.until !== undefined) {
      const until = untilEnd(hold.until);
      if (!Number.isNaN(until) && until < now.getTime()) continue;
    }
    holds.push({
      hosts: hold.hosts,
      pattern: packageGlob(hold.package),
      releases: hold.releases === undefined ? undefined : new Set(hold.releases),
      reason: hold.reason,
    });
  }
  const everyHost = holds.filter((hold) => hold.hosts === undefined);
  const scoped = holds.map((hold, i) => ({ hold, i })).filter(({ hold }) => hold.hosts !== undefined);
  const byKey = new Map<string, HostHolds>([['', hostHolds('', everyHost)]]);
  return {
    hasApprovals: approvals.size > 0,
    approvedMinVersion(release, packageName, ids) {
      if (approvals.size === 0) return undefined;
      const byId = approvals.get(`${release}\u0000${packageName}`);
      if (byId === undefined) return undefined;
      for (const id of ids) {
        const found = byId.get(id);
        if (found !== undefined) return found;
      }
      return undefined;
    },
    holdsFor(labels) {
      if (scoped.length === 0) return byKey.get('') as HostHolds;
      const applicable = scoped.filter(({ hold }) => matchesSelector(hold.hosts, labels ?? {}));
      const key = applicable.map(({ i }) => i).join(',');
      let found = byKey.get(key);
      if (found === undefined) {
        found = hostHolds(key, [...everyHost, ...applicable.map(({ hold }) => hold)]);
        byKey.set(key, found);
      }
      return found;
    },
  };
}
