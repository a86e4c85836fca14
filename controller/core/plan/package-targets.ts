/**
 * Per host, the exact versions to install.
 *
 * - dpkg (Debian, Ubuntu): approvals name SOURCE packages with a source-version minimum. Every
 *   installed binary built from an approved source whose source version is below the minimum moves
 *   to the binary version built from the lowest source version the host's repositories offer at or
 *   above the minimum; all such binaries of one source move to the SAME source version (one that
 *   offers every one of them, on its architecture or `all`), and, where one exists, not below the
 *   highest source version already installed from that source (so that sibling binaries stay in step).
 * - rpm (RHEL family): approvals name rpm names; an installed rpm below the minimum moves to the
 *   lowest offered EVR at or above it, on its architecture or `noarch`.
 * - Where several approvals name a package, the highest minimum wins. A hold on any binary or on the
 *   source keeps the whole source group (dpkg) or the rpm back; an exclusion of the approval or of
 *   the package by a governing policy drops it.
 *
 * Versions from hosts are untrusted: an offered version invalid for the scheme is never chosen; an
 * installed version invalid for the scheme counts as below every minimum (never compliant).
 */
import type { VersionSchemeId } from '../../ports/version-scheme.js';
import type { AvailableVersion, HostInventory, InstalledPackage } from '../inventory/host-inventory.js';
import type { Approval } from '../model/generated/kinds.js';
import { versionSchemeFor } from '../version/index.js';
import type { ApprovalEntry, Governance } from './governance.js';
import type { HeldPackage, HostBlock, LeftOutReason, PackageChange } from './plan-types.js';

export type HostWork =
  | {
      readonly kind: 'left-out';
      readonly reason: Extract<LeftOutReason, 'not-affected' | 'compliant' | 'held' | 'excluded'>;
      readonly detail: string;
      readonly held: readonly HeldPackage[];
    }
  | {
      readonly kind: 'work';
      readonly packages: readonly PackageChange[];
      readonly held: readonly HeldPackage[];
      /** Approvals the changes fulfil (the ones whose minimum a package is below). */
      readonly approvals: readonly Approval[];
      readonly allowedRemovals: readonly string[];
      /** Set when some package has no offered version at or above its minimum. */
      readonly block?: HostBlock;
    };

interface Need {
  readonly source: string;
  readonly minVersion: string;
  readonly approvals: readonly Approval[];
  /** Installed binaries of this source (dpkg) or the rpm's installed arches, below the minimum. */
  readonly below: readonly InstalledPackage[];
  /** Highest installed source version of the group (dpkg), for keeping siblings in step. */
  readonly highestInstalled: string | undefined;
}

function compareSafe(scheme: VersionSchemeId, a: string, b: string): number {
  const versions = versionSchemeFor(scheme);
  const validA = versions.isValidVersion(a);
  const validB = versions.isValidVersion(b);
  if (!validA || !validB) return validA === validB ? 0 : validA ? 1 : -1;
  return versions.compare(a, b);
}

function sourceOf(pkg: InstalledPackage | AvailableVersion, scheme: VersionSchemeId): { name: string; version: string } {
  if (scheme === 'rpm') return { name: pkg.name, version: pkg.version };
  return { name: pkg.source ?? pkg.name, version: pkg.sourceVersion ?? pkg.version };
}

function archMatches(installedArch: string, offeredArch: string | undefined): boolean {
  return offeredArch === undefined || offeredArch === installedArch || offeredArch === 'all' || offeredArch === 'noarch';
}

function byNameArch(a: { name: string; arch?: string | undefined }, b: { name: string; arch?: string | undefined }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : (a.arch ?? '') < (b.arch ?? '') ? -1 : (a.arch ?? '') > (b.arch ?? '') ? 1 : 0;
}

/** The highest minimum of the entries that are not excluded, and the approvals it comes from. */
function effectiveMinimum(
  scheme: VersionSchemeId,
  entries: readonly ApprovalEntry[],
  governance: Governance,
): { minVersion: string; entries: ApprovalEntry[] } | { excluded: string } {
  const versions = versionSchemeFor(scheme);
  const kept = entries.filter(
    (entry) => versions.isValidVersion(entry.minVersion) && governance.approvalExclusion(entry.approval) === undefined,
  );
  if (kept.length === 0) {
    const excluded = entries.map((entry) => governance.approvalExclusion(entry.approval)).find((reason) => reason !== undefined);
    return { excluded: excluded ?? 'no valid minimum version' };
  }
  let minVersion = (kept[0] as ApprovalEntry).minVersion;
  for (const entry of kept) if (versions.compare(entry.minVersion, minVersion) > 0) minVersion = entry.minVersion;
  return { minVersion, entries: kept };
}

/** dpkg: the lowest offered source version ≥ floor that offers every binary of `below`; the chosen binaries. */
function pickSourceVersion(
  below: readonly InstalledPackage[],
  offered: readonly AvailableVersion[],
  floor: string,
): { sourceVersion: string; binaries: Map<InstalledPackage, AvailableVersion> } | undefined {
  const versions = versionSchemeFor('dpkg');
  const candidates = [...new Set(offered.map((entry) => sourceOf(entry, 'dpkg').version))]
    .filter((version) => versions.isValidVersion(version) && versions.compare(version, floor) >= 0)
    .sort((a, b) => versions.compare(a, b));
  for (const candidate of candidates) {
    const binaries = new Map<InstalledPackage, AvailableVersion>();
    for (const installed of below) {
      const match = offered.find(
        (entry) =>
          entry.name === installed.name &&
          archMatches(installed.arch, entry.arch) &&
          versions.isValidVersion(entry.version) &&
          versions.compare(sourceOf(entry, 'dpkg').version, candidate) === 0,
      );
      if (match === undefined) break;
      binaries.set(installed, match);
    }
    if (binaries.size === below.length) return { sourceVersion: candidate, binaries };
  }
  return undefined;
}

function planDpkgNeed(need: Need, offered: readonly AvailableVersion[]): PackageChange[] | string {
  const versions = versionSchemeFor('dpkg');
  const group = offered.filter((entry) => sourceOf(entry, 'dpkg').name === need.source);
  const preferred =
    need.highestInstalled !== undefined &&
    versions.isValidVersion(need.highestInstalled) &&
    versions.compare(need.highestInstalled, need.minVersion) > 0
      ? pickSourceVersion(need.below, group, need.highestInstalled)
      : undefined;
  const picked = preferred ?? pickSourceVersion(need.below, group, need.minVersion);
  if (picked === undefined) {
    return `no version of source ${need.source} >= ${need.minVersion} offered for ${need.below.map((pkg) => `${pkg.name}:${pkg.arch}`).join(', ')}`;
  }
  return need.below.map((installed) => {
    const chosen = picked.binaries.get(installed) as AvailableVersion;
    return {
      name: installed.name,
      arch: installed.arch,
      from: installed.version,
      to: chosen.version,
      source: need.source,
      sourceFrom: sourceOf(installed, 'dpkg').version,
      sourceTo: picked.sourceVersion,
      minVersion: need.minVersion,
      advisories: need.approvals.map((approval) => approval.advisory),
    };
  });
}

function planRpmNeed(need: Need, offered: readonly AvailableVersion[]): PackageChange[] | string {
  const versions = versionSchemeFor('rpm');
  const changes: PackageChange[] = [];
  for (const installed of need.below) {
    const candidates = offered
      .filter(
        (entry) =>
          entry.name === installed.name &&
          archMatches(installed.arch, entry.arch) &&
          versions.isValidVersion(entry.version) &&
          versions.compare(entry.version, need.minVersion) >= 0,
      )
      .sort((a, b) => versions.compare(a.version, b.version));
    const lowest = candidates[0];
    if (lowest === undefined) return `no version of ${installed.name}.${installed.arch} >= ${need.minVersion} offered`;
    changes.push({
      name: installed.name,
      arch: installed.arch,
      from: installed.version,
      to: lowest.version,
      minVersion: need.minVersion,
      advisories: need.approvals.map((approval) => approval.advisory),
    });
  }
  return changes;
}

/** What one reachable host with a healthy package database must install. */
export function hostWork(inventory: HostInventory, governance: Governance, labels: Readonly<Record<string, string>>): HostWork {
  const release = inventory.os?.release;
  const scheme: VersionSchemeId = inventory.os?.family === 'rhel' ? 'rpm' : 'dpkg';
  const approvals = release === undefined ? new Map<string, readonly ApprovalEntry[]>() : governance.approvalsFor(release);
  const holds = governance.holdsFor(labels);
  const groups = new Map<string, InstalledPackage[]>();
  for (const pkg of inventory.packages ?? []) {
    const source = sourceOf(pkg, scheme).name;
    if (!approvals.has(source)) continue;
    const list = groups.get(source) ?? [];
    list.push(pkg);
    groups.set(source, list);
  }
  if (groups.size === 0)
    return { kind: 'left-out', reason: 'not-affected', detail: 'no installed package is named by an approval', held: [] };

  const held: HeldPackage[] = [];
  const excluded: string[] = [];
  const changes: PackageChange[] = [];
  const fulfilled = new Map<string, Approval>();
  const problems: string[] = [];
  for (const [source, installed] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const minimum = effectiveMinimum(scheme, approvals.get(source) ?? [], governance);
    if ('excluded' in minimum) {
      excluded.push(`${source}: ${minimum.excluded}`);
      continue;
    }
    const below = installed.filter((pkg) => compareSafe(scheme, sourceOf(pkg, scheme).version, minimum.minVersion) < 0);
    if (below.length === 0) continue;
    const holdReason = installed.map((pkg) => holds.holdReason(release ?? '', pkg.name, source)).find((reason) => reason !== undefined);
    if (holdReason !== undefined) {
      for (const pkg of below)
        held.push({ name: pkg.name, source, installed: pkg.version, minVersion: minimum.minVersion, reason: holdReason });
      continue;
    }
    const packageExclusion = installed.map((pkg) => governance.packageExclusion(pkg.name, source)).find((reason) => reason !== undefined);
    if (packageExclusion !== undefined) {
      excluded.push(`${source}: ${packageExclusion}`);
      continue;
    }
    const contributing = minimum.entries.filter((entry) =>
      below.some((pkg) => compareSafe(scheme, sourceOf(pkg, scheme).version, entry.minVersion) < 0),
    );
    let highestInstalled: string | undefined;
    for (const pkg of installed) {
      const version = sourceOf(pkg, scheme).version;
      if (highestInstalled === undefined || compareSafe(scheme, version, highestInstalled) > 0) highestInstalled = version;
    }
    const need: Need = {
      source,
      minVersion: minimum.minVersion,
      approvals: contributing.map((entry) => entry.approval),
      below,
      highestInstalled,
    };
    if (inventory.available === undefined) {
      problems.push(`${source} needs >= ${minimum.minVersion}, but the inventory does not list the versions the host's repositories offer`);
      continue;
    }
    const planned = scheme === 'dpkg' ? planDpkgNeed(need, inventory.available) : planRpmNeed(need, inventory.available);
    if (typeof planned === 'string') {
      problems.push(planned);
      continue;
    }
    changes.push(...planned);
    for (const entry of contributing) fulfilled.set(entry.approval.advisory, entry.approval);
  }
  if (changes.length === 0 && problems.length === 0) {
    if (held.length > 0) {
      return { kind: 'left-out', reason: 'held', detail: [...new Set(held.map((pkg) => `${pkg.name}: ${pkg.reason}`))].join('; '), held };
    }
    if (excluded.length > 0) return { kind: 'left-out', reason: 'excluded', detail: excluded.join('; '), held };
    return { kind: 'left-out', reason: 'compliant', detail: 'every approved package is at or above its minimum', held };
  }
  const removals = new Set<string>();
  for (const approval of fulfilled.values()) {
    for (const removal of approval.removes ?? []) {
      if (removal.releases === undefined || (release !== undefined && removal.releases.includes(release))) removals.add(removal.name);
    }
  }
  return {
    kind: 'work',
    packages: changes.sort(byNameArch),
    held,
    approvals: [...fulfilled.values()].sort((a, b) => (a.advisory < b.advisory ? -1 : a.advisory > b.advisory ? 1 : 0)),
    allowedRemovals: [...removals].sort(),
    ...(problems.length === 0 ? {} : { block: { kind: 'no-candidate', detail: problems.join('; ') } }),
  };
}
