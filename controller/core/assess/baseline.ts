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
 * releases (all when absent), while `now < until` (forever when absent).
 */
import type { OsReleaseKey } from '../inventory/host-inventory.js';

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
  readonly until?: string;
  readonly reason: string;
}

export interface BaselineApprovals {
  readonly approvals: readonly BaselineApproval[];
  readonly holds?: readonly BaselineHold[];
}

export const EMPTY_BASELINE: BaselineApprovals = Object.freeze({ approvals: [], holds: [] });

interface CompiledHold {
  readonly pattern: RegExp;
  readonly releases: ReadonlySet<string> | undefined;
  readonly reason: string;
}

export interface CompiledBaseline {
  /** The approval's `minVersion` for (release, package, any of the ids), or undefined. */
  approvedMinVersion(release: OsReleaseKey, packageName: string, ids: readonly string[]): { readonly approval: string; readonly minVersion: string } | undefined;
  /** The reason of the first active hold on either name, or undefined. */
  holdReason(release: OsReleaseKey, binaryName: string, sourceName: string): string | undefined;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/** Compiles approvals and the holds active at `now` (holds past `until` are dropped). */
export function compileBaseline(baseline: BaselineApprovals, now: Date): CompiledBaseline {
  const approvals = new Map<string, Map<string, { approval: string; minVersion: string }>>();
  for (const approval of baseline.approvals) {
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
      const until = Date.parse(hold.until);
      if (!Number.isNaN(until) && until <= now.getTime()) continue;
    }
    holds.push({ pattern: globToRegExp(hold.package), releases: hold.releases === undefined ? undefined : new Set(hold.releases), reason: hold.reason });
  }
  return {
    approvedMinVersion(release, packageName, ids) {
      const byId = approvals.get(`${release}\u0000${packageName}`);
      if (byId === undefined) return undefined;
      for (const id of ids) {
        const found = byId.get(id);
        if (found !== undefined) return found;
      }
      return undefined;
    },
    holdReason(release, binaryName, sourceName) {
      for (const hold of holds) {
        if (hold.releases !== undefined && !hold.releases.has(release)) continue;
        if (hold.pattern.test(binaryName) || hold.pattern.test(sourceName)) return hold.reason;
      }
      return undefined;
    },
  };
}
