/**
 * The host inventory snapshot: what the fleet inventory (SSH edge) produces per host and what
 * `assess` reads. One JSON document per host, or a `HostInventoryList` of them.
 *
 * The JSON Schema below is the single definition of the file format; the TypeScript types are
 * written to match it and a unit test checks both agree on fixtures.
 */

/** OS family decides the package manager and the version scheme. */
export type OsFamily = 'debian' | 'rhel';

/**
 * An OS release key: `<os-release ID>-<VERSION_ID>`, with RHEL-like systems cut to the major
 * version. Examples: `debian-12`, `ubuntu-22.04`, `ubuntu-24.04`, `rocky-9`, `almalinux-9`.
 * Baselines list minimum versions per release key; advisory ecosystems map onto it
 * (`Debian:12` → `debian-12`, `Ubuntu:22.04:LTS` → `ubuntu-22.04`, `AlmaLinux:9` → `almalinux-9`,
 * `Rocky Linux:9` → `rocky-9`).
 */
export type OsReleaseKey = string;

export interface OsInfo {
  /** `ID` from /etc/os-release, e.g. `debian`, `ubuntu`, `rocky`, `almalinux`. */
  readonly id: string;
  /** `VERSION_ID` from /etc/os-release, e.g. `12`, `22.04`, `9.4`. */
  readonly versionId: string;
  readonly family: OsFamily;
  readonly release: OsReleaseKey;
  readonly prettyName?: string;
  /** `VERSION_CODENAME`, e.g. `bookworm`, `jammy`. */
  readonly codename?: string;
}

export interface InstalledPackage {
  /** Binary package name (dpkg) or rpm NAME. Never carries an `:arch` qualifier. */
  readonly name: string;
  /** dpkg version `[epoch:]upstream[-revision]`, or rpm EVR `[epoch:]version-release`. */
  readonly version: string;
  readonly arch: string;
  /** Source package name (dpkg `${source:Package}`, rpm name from SOURCERPM). */
  readonly source?: string;
  /** Source version (dpkg `${source:Version}`); for rpm the EVR of the source rpm. */
  readonly sourceVersion?: string;
}

export interface PendingUpgrade {
  readonly name: string;
  readonly arch?: string;
  readonly installedVersion?: string;
  readonly candidateVersion: string;
}

/**
 * One version of a package that the host's configured repositories offer (read after a metadata
 * refresh). The planner picks, per package that needs a fix, the lowest offered version at or above
 * the approved minimum. dpkg: binary name and version plus the source it is built from; rpm: name and EVR.
 */
export interface AvailableVersion {
  readonly name: string;
  readonly version: string;
  readonly arch?: string;
  readonly source?: string;
  readonly sourceVersion?: string;
}

export type PackageDbProblemKind =
  | 'half-installed'
  | 'half-configured'
  | 'unpacked'
  | 'triggers-pending'
  | 'lock-held'
  | 'rpmdb-error'
  | 'other';

export interface PackageDbProblem {
  readonly kind: PackageDbProblemKind;
  readonly package?: string;
  readonly path?: string;
  readonly detail: string;
}

export interface RebootState {
  readonly required: boolean;
  /** Why: `reboot-required file`, `newer kernel installed`, `needs-restarting -r`. */
  readonly reasons: readonly string[];
  /** Packages that asked for the reboot (`/var/run/reboot-required.pkgs`), when known. */
  readonly packages?: readonly string[];
}

/** Reachability of the host at collection time. Anything but `ok` has a `reason`. */
export type InventoryStatus = 'ok' | 'unreachable' | 'refused' | 'timeout' | 'error';

export interface HostInventory {
  readonly apiVersion: 'patchward.io/v1alpha1';
  readonly kind: 'HostInventory';
  /** Host name as in the Fleet. */
  readonly host: string;
  /** `address:port` the snapshot was collected from. */
  readonly address?: string;
  /** RFC 3339 UTC time of collection. */
  readonly collectedAt: string;
  readonly status: InventoryStatus;
  readonly reason?: string;
  /** Labels of the host in the Fleet (ring, role, env...), copied for reports. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Present when status is `ok`. */
  readonly os?: OsInfo;
  readonly arch?: string;
  readonly kernel?: { readonly running: string; readonly newestInstalled?: string };
  readonly packageManager?: 'apt' | 'dnf';
  readonly packages?: readonly InstalledPackage[];
  readonly reboot?: RebootState;
  readonly pendingUpgrades?: readonly PendingUpgrade[];
  /** Versions the host's repositories offer for packages that may need a fix (plan input). */
  readonly available?: readonly AvailableVersion[];
  /** `/proc/sys/kernel/random/boot_id`: changes on every boot; a reboot is confirmed by a new one. */
  readonly bootId?: string;
  /**
   * Present when this collection refreshed the package metadata (`apt-get update`, `dnf makecache`):
   * whether the refresh succeeded. The rollout's apply step skips its own refresh after a
   * successful one in the same pass.
   */
  readonly metadataRefreshed?: boolean;
  readonly packageDb?: { readonly healthy: boolean; readonly problems: readonly PackageDbProblem[] };
  /** Seconds the collection took. */
  readonly durationSeconds?: number;
}

export interface HostInventoryList {
  readonly apiVersion: 'patchward.io/v1alpha1';
  readonly kind: 'HostInventoryList';
  readonly items: readonly HostInventory[];
}

const nonEmpty = { type: 'string', minLength: 1 } as const;

const hostInventorySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'host', 'collectedAt', 'status'],
  properties: {
    apiVersion: { const: 'patchward.io/v1alpha1' },
    kind: { const: 'HostInventory' },
    host: nonEmpty,
    address: nonEmpty,
    collectedAt: { type: 'string', format: 'date-time' },
    status: { enum: ['ok', 'unreachable', 'refused', 'timeout', 'error'] },
    reason: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    os: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'versionId', 'family', 'release'],
      properties: {
        id: nonEmpty,
        versionId: nonEmpty,
        family: { enum: ['debian', 'rhel'] },
        release: { type: 'string', pattern: '^[a-z0-9]+(-[0-9][0-9.]*)$' },
        prettyName: { type: 'string' },
        codename: { type: 'string' },
      },
    },
    arch: nonEmpty,
    kernel: {
      type: 'object',
      additionalProperties: false,
      required: ['running'],
      properties: { running: nonEmpty, newestInstalled: nonEmpty },
    },
    packageManager: { enum: ['apt', 'dnf'] },
    packages: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'version', 'arch'],
        properties: { name: nonEmpty, version: nonEmpty, arch: nonEmpty, source: nonEmpty, sourceVersion: nonEmpty },
      },
    },
    reboot: {
      type: 'object',
      additionalProperties: false,
      required: ['required', 'reasons'],
      properties: {
        required: { type: 'boolean' },
        reasons: { type: 'array', items: { type: 'string' } },
        packages: { type: 'array', items: { type: 'string' } },
      },
    },
    pendingUpgrades: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'candidateVersion'],
        properties: { name: nonEmpty, arch: nonEmpty, installedVersion: nonEmpty, candidateVersion: nonEmpty },
      },
    },
    packageDb: {
      type: 'object',
      additionalProperties: false,
      required: ['healthy', 'problems'],
      properties: {
        healthy: { type: 'boolean' },
        problems: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'detail'],
            properties: {
              kind: { enum: ['half-installed', 'half-configured', 'unpacked', 'triggers-pending', 'lock-held', 'rpmdb-error', 'other'] },
              package: nonEmpty,
              path: nonEmpty,
              detail: { type: 'string' },
            },
          },
        },
      },
    },
    durationSeconds: { type: 'number', minimum: 0 },
    available: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'version'],
        properties: { name: nonEmpty, version: nonEmpty, arch: nonEmpty, source: nonEmpty, sourceVersion: nonEmpty },
      },
    },
    bootId: nonEmpty,
    metadataRefreshed: { type: 'boolean' },
  },
} as const;

/** JSON Schema (draft 2020-12 subset) of one inventory document: a host or a list of hosts. */
export const HOST_INVENTORY_SCHEMA = {
  $id: 'https://patchward.io/schemas/v1alpha1/host-inventory.json',
  oneOf: [
    hostInventorySchema,
    {
      type: 'object',
      additionalProperties: false,
      required: ['apiVersion', 'kind', 'items'],
      properties: {
        apiVersion: { const: 'patchward.io/v1alpha1' },
        kind: { const: 'HostInventoryList' },
        items: { type: 'array', items: hostInventorySchema },
      },
    },
  ],
} as const;
