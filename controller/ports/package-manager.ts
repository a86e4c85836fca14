/**
 * `PackageManager`: what the package tooling of one host says (DESIGN.md "interface" table).
 * Implementations: apt/dpkg (`edges/packages/apt/`), dnf/rpm (`edges/packages/dnf/`).
 *
 * Each implementation reads the host through a `Transport` given to its constructor and gathers
 * every fact in ONE remote invocation (a fixed script, no interpolation), so an inventory costs
 * one round trip per host.
 */
import type {
  AvailableVersion,
  InstalledPackage,
  OsInfo,
  PackageDbProblem,
  PendingUpgrade,
  RebootState,
} from '../core/inventory/host-inventory.js';

export type PackageManagerId = 'apt' | 'dnf';

export interface FactsOptions {
  /** Also list pending upgrades from the local metadata (apt-get -s / dnf -C check-update). */
  readonly pendingUpgrades: boolean;
  /** Refresh metadata first (apt-get update / dnf makecache): slow, needs root. Default false. */
  readonly refresh: boolean;
  /** Whole-invocation timeout. */
  readonly timeoutMs: number;
  /** Run the invocation through `sudo -n`. */
  readonly sudo: boolean;
  /** Also list the versions the repositories offer for installed packages (`available`). */
  readonly availableVersions?: boolean;
  /** Bound of the metadata refresh in seconds (default 120); a refresh that runs over is a warning. */
  readonly refreshTimeoutSeconds?: number;
  /** Wait up to this long for a held dpkg/rpm lock before reading (default 0). */
  readonly lockWaitSeconds?: number;
}

/** Everything a host says about its packages, in the inventory vocabulary. */
export interface HostFacts {
  readonly os: OsInfo;
  readonly arch: string;
  readonly kernel: { readonly running: string; readonly newestInstalled?: string };
  readonly packageManager: PackageManagerId;
  readonly packages: readonly InstalledPackage[];
  readonly reboot: RebootState;
  /** Absent when not asked for or when the metadata could not be read (see `warnings`). */
  readonly pendingUpgrades?: readonly PendingUpgrade[];
  /** Versions offered for installed packages that have other versions available (when asked). */
  readonly available?: readonly AvailableVersion[];
  /** `/proc/sys/kernel/random/boot_id`; empty when unreadable (see `warnings`). */
  readonly bootId: string;
  readonly packageDb: { readonly healthy: boolean; readonly problems: readonly PackageDbProblem[] };
  /** Facts that could not be gathered, in words (not fatal for the inventory). */
  readonly warnings: readonly string[];
}

export interface PackageManager {
  readonly id: PackageManagerId;
  /** Gathers all facts in one remote invocation. Throws classified transport errors. */
  collectFacts(options: FactsOptions): Promise<HostFacts>;
}
