/** Small builders for planner tests: policy objects, inventories and progress, inline and explicit. */
import type { AvailableVersion, HostInventory, InstalledPackage } from '../../../../controller/core/inventory/host-inventory.js';
import type {
  Approval,
  MaintenanceWindow,
  PackageHold,
  PatchBaseline,
  PatchPolicy,
  PatchPolicySpec,
  Ring,
  RingSpec,
} from '../../../../controller/core/model/index.js';
import type { PlanHost, PlanInput, PlanPolicy } from '../../../../controller/core/plan/index.js';
import type { HostProgress, RolloutProgress } from '../../../../controller/core/plan/rollout-progress.js';

export const API = 'patchward.io/v1alpha1' as const;

/** A daily window in UTC: `hour` to `hour + hours`, with an optional cutoff. */
export function dailyWindow(name: string, hour: number, hours: number, cutoff?: string): MaintenanceWindow {
  return {
    apiVersion: API,
    kind: 'MaintenanceWindow',
    metadata: { name },
    spec: { timeZone: 'UTC', ...(cutoff === undefined ? {} : { cutoff }), schedules: [{ cron: `0 ${hour} * * *`, duration: `${hours}h` }] },
  } as MaintenanceWindow;
}

/** A window that is always open: a daily 24h occurrence. */
export function alwaysWindow(name = 'always'): MaintenanceWindow {
  return dailyWindow(name, 0, 24);
}

export function ring(name: string, order: number, spec: Partial<RingSpec> = {}): Ring {
  return {
    apiVersion: API,
    kind: 'Ring',
    metadata: { name },
    spec: { order, selector: { matchLabels: { ring: name } }, windows: ['always'], ...spec },
  } as Ring;
}

export function policy(name: string, baseline: string, spec: Partial<PatchPolicySpec> = {}): PatchPolicy {
  return { apiVersion: API, kind: 'PatchPolicy', metadata: { name }, spec: { selector: {}, baseline, ...spec } } as PatchPolicy;
}

export function baseline(name: string, approvals: Approval[], holds: PackageHold[] = []): PatchBaseline {
  return { apiVersion: API, kind: 'PatchBaseline', metadata: { name }, spec: { approvals, holds } } as PatchBaseline;
}

export function approval(advisory: string, release: string, packages: Record<string, string>, extra: Partial<Approval> = {}): Approval {
  const entries = Object.entries(packages).map(([name, minVersion]) => ({ release, name, minVersion }));
  return { advisory, packages: entries as Approval['packages'], ...extra };
}

export function host(name: string, ringName: string, labels: Record<string, string> = {}): PlanHost {
  return { name, labels: { ring: ringName, ...labels } };
}

export function deb(name: string, version: string, source?: string, sourceVersion?: string, arch = 'amd64'): InstalledPackage {
  return { name, version, arch, ...(source === undefined ? {} : { source }), ...(sourceVersion === undefined ? {} : { sourceVersion }) };
}

export function offer(name: string, version: string, source?: string, sourceVersion?: string, arch?: string): AvailableVersion {
  return {
    name,
    version,
    ...(arch === undefined ? {} : { arch }),
    ...(source === undefined ? {} : { source }),
    ...(sourceVersion === undefined ? {} : { sourceVersion }),
  };
}

export function debianInventory(
  hostName: string,
  packages: InstalledPackage[],
  available: AvailableVersion[],
  extra: Partial<HostInventory> = {},
): HostInventory {
  return {
    apiVersion: API,
    kind: 'HostInventory',
    host: hostName,
    collectedAt: '2027-01-04T00:00:00Z',
    status: 'ok',
    os: { id: 'debian', versionId: '12', family: 'debian', release: 'debian-12' },
    packageManager: 'apt',
    packages,
    available,
    bootId: `boot-${hostName}`,
    packageDb: { healthy: true, problems: [] },
    ...extra,
  };
}

export function rockyInventory(hostName: string, packages: InstalledPackage[], available: AvailableVersion[]): HostInventory {
  return {
    ...debianInventory(hostName, packages, available),
    os: { id: 'rocky', versionId: '9.4', family: 'rhel', release: 'rocky-9' },
    packageManager: 'dnf',
  };
}

export function unreachable(hostName: string): HostInventory {
  return {
    apiVersion: API,
    kind: 'HostInventory',
    host: hostName,
    collectedAt: '2027-01-04T00:00:00Z',
    status: 'unreachable',
    reason: 'connect ECONNREFUSED',
  };
}

export function progress(hosts: Record<string, HostProgress>, extra: Partial<RolloutProgress> = {}): RolloutProgress {
  return { formatVersion: 1, rolloutId: 'production@abc123', hosts, rings: {}, ...extra };
}

/** The glibc fix as Debian 12 shipped it: min 2.36-9+deb12u3, offered u1..u4. */
export const GLIBC_MIN = '2.36-9+deb12u3';
export function glibcOffers(): AvailableVersion[] {
  return ['2.36-9+deb12u1', '2.36-9+deb12u3', '2.36-9+deb12u4'].flatMap((version) => [
    offer('libc6', version, 'glibc', version, 'amd64'),
    offer('libc-bin', version, 'glibc', version, 'amd64'),
  ]);
}
export function oldGlibc(): InstalledPackage[] {
  return [deb('libc6', '2.36-9+deb12u1', 'glibc', '2.36-9+deb12u1'), deb('libc-bin', '2.36-9+deb12u1', 'glibc', '2.36-9+deb12u1')];
}

/** A policy repository with the given rings and hosts, one policy over everything, one glibc approval. */
export function simplePolicy(rings: Ring[], hosts: PlanHost[], extra: Partial<PlanPolicy> = {}): PlanPolicy {
  return {
    hosts,
    rings,
    windows: [alwaysWindow()],
    policies: [policy('security', 'production')],
    baselines: [
      baseline('production', [approval('DSA-5514-1', 'debian-12', { glibc: GLIBC_MIN }, { aliases: ['CVE-2023-4911'], severity: 'high' })]),
    ],
    ...extra,
  };
}

/** Every host with the old glibc and the offers. */
export function oldGlibcFleet(hosts: PlanHost[]): HostInventory[] {
  return hosts.map((entry) => debianInventory(entry.name, oldGlibc(), glibcOffers()));
}

export function input(policyValue: PlanPolicy, inventory: HostInventory[], extra: Partial<PlanInput> = {}): PlanInput {
  return { policy: policyValue, inventory, ...extra };
}
