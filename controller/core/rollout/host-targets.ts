/**
 * The exact versions one host gets from the approved baselines (the per-host part of planning).
 * The engine's own minimum until `plan`'s planner is merged; the rules are issue 10's:
 * - dpkg: every installed binary package built from an approved SOURCE package whose source
 *   version is below the minimum is set to its binary version in the lowest source version the
 *   host's repositories offer that is >= the minimum;
 * - rpm: the lowest offered EVR >= the minimum;
 * - several baselines: all approvals apply, the highest minimum per package wins, a hold wins over
 *   an approval.
 * Pure.
 */
import type { AvailableVersion, InstalledPackage } from '../inventory/host-inventory.js';
import type { Approval, PackageHold } from '../model/generated/kinds.js';
import { matchesSelector } from '../model/selector.js';
import type { VersionScheme } from '../../ports/version-scheme.js';

export interface TargetInput {
  readonly approvals: readonly Approval[];
  readonly holds: readonly PackageHold[];
  readonly release: string;
  readonly family: 'debian' | 'rhel';
  readonly labels: Readonly<Record<string, string>>;
  readonly installed: readonly InstalledPackage[];
  readonly available: readonly AvailableVersion[];
  readonly scheme: VersionScheme;
  readonly now: Date;
}

export interface HostTargets {
  /** Binary package → exact version to install. */
  readonly targets: Readonly<Record<string, string>>;
  /** Advisories whose minimum is behind these targets. */
  readonly advisories: readonly string[];
  /** Approved packages the host needs but its repositories do not offer at or above the minimum. */
  readonly notOffered: readonly { readonly name: string; readonly minVersion: string }[];
  readonly held: readonly string[];
  /** Packages the approvals allow the transaction to remove. */
  readonly removable: readonly string[];
}

function globMatches(pattern: string, name: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replaceAll('*', '.*')
      .replaceAll('?', '.')}$`,
  );
  return regex.test(name);
}

function holdApplies(hold: PackageHold, names: readonly string[], input: TargetInput): boolean {
  if (hold.releases !== undefined && !hold.releases.includes(input.release)) return false;
  if (hold.hosts !== undefined && !matchesSelector(hold.hosts, input.labels)) return false;
  if (hold.until !== undefined) {
    const until = /^\d{4}-\d{2}-\d{2}$/.test(hold.until) ? Date.parse(`${hold.until}T23:59:59.999Z`) : Date.parse(hold.until);
    if (Number.isFinite(until) && until < input.now.getTime()) return false;
  }
  return names.some((name) => globMatches(hold.package, name));
}

export function hostTargets(input: TargetInput): HostTargets {
  const { scheme } = input;
  // Highest minimum per approved package name, and the advisories behind it.
  const minimums = new Map<string, { min: string; advisories: Set<string> }>();
  const removable: string[] = [];
  for (const approval of input.approvals) {
    const removes = (approval as Approval & { removes?: { name: string; releases?: string[] }[] }).removes ?? [];
    for (const removal of removes) {
      if (removal.releases === undefined || removal.releases.includes(input.release)) removable.push(removal.name);
    }
    for (const pkg of approval.packages) {
      if (pkg.release !== input.release || !scheme.isValidVersion(pkg.minVersion)) continue;
      const known = minimums.get(pkg.name);
      if (known === undefined) minimums.set(pkg.name, { min: pkg.minVersion, advisories: new Set([approval.advisory]) });
      else {
        known.advisories.add(approval.advisory);
        if (scheme.compare(pkg.minVersion, known.min) > 0) known.min = pkg.minVersion;
      }
    }
  }
  const targets: Record<string, string> = {};
  const advisories = new Set<string>();
  const notOffered: { name: string; minVersion: string }[] = [];
  const held: string[] = [];
  for (const [name, { min, advisories: behind }] of minimums) {
    const debian = input.family === 'debian';
    const affected = input.installed.filter((pkg) =>
      debian
        ? (pkg.source ?? pkg.name) === name && scheme.compare(pkg.sourceVersion ?? pkg.version, min) < 0
        : pkg.name === name && scheme.compare(pkg.version, min) < 0,
    );
    if (affected.length === 0) continue;
    const names = [name, ...affected.map((pkg) => pkg.name)];
    if (input.holds.some((hold) => holdApplies(hold, names, input))) {
      held.push(name);
      continue;
    }
    const offered = input.available.filter((candidate) =>
      debian ? (candidate.source ?? candidate.name) === name : candidate.name === name,
    );
    const versionOf = (candidate: AvailableVersion): string =>
      debian ? (candidate.sourceVersion ?? candidate.version) : candidate.version;
    const good = offered
      .map(versionOf)
      .filter((version) => scheme.isValidVersion(version) && scheme.compare(version, min) >= 0)
      .sort((a, b) => scheme.compare(a, b));
    const lowest = good[0];
    if (lowest === undefined) {
      notOffered.push({ name, minVersion: min });
      continue;
    }
    for (const pkg of affected) {
      const binary = offered.find((candidate) => candidate.name === pkg.name && scheme.compare(versionOf(candidate), lowest) === 0);
      if (binary === undefined) notOffered.push({ name: pkg.name, minVersion: min });
      else targets[pkg.name] = binary.version;
    }
    for (const advisory of behind) advisories.add(advisory);
  }
  return { targets, advisories: [...advisories].sort(), notOffered, held, removable };
}
