/**
 * `PackageManager`: what the package tooling of one host says and does (DESIGN.md "interface"
 * table). ONE implementation (`edges/packages/host-package-manager.ts`) drives each family through
 * its own table of commands and parsers: apt/dpkg (`edges/packages/apt/apt-family.ts`) and dnf/rpm
 * (`edges/packages/dnf/dnf-family.ts`). `packageManagerFor(id, transport)` builds one.
 *
 * Reads gather every fact in ONE remote invocation (a fixed script, no interpolation). Changes are
 * argv vectors through the transport's one quoting function; names and versions are checked against
 * the family's grammar before they reach a command line. Expected outcomes (a held lock, a broken
 * database, a version the repositories do not offer, a failed install) are returned as `Result`s;
 * only transport failures are thrown (classified `ExternalError`s).
 */
import type {
  AvailableVersion,
  InstalledPackage,
  OsInfo,
  PackageDbProblem,
  PendingUpgrade,
  RebootState,
} from '../core/inventory/host-inventory.js';
import type { PackageVersion, Transaction } from '../core/transaction/transaction.js';
import type { Result } from '../errors.js';

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
  /** Present when the collection refreshed the metadata: whether that refresh succeeded. */
  readonly metadataRefreshed?: boolean;
  readonly packageDb: { readonly healthy: boolean; readonly problems: readonly PackageDbProblem[] };
  /** Facts that could not be gathered, in words (not fatal for the inventory). */
  readonly warnings: readonly string[];
}

/** How one package command runs on the host. */
export interface CommandOptions {
  /** Whole-command timeout (the transport kills it and throws `CommandTimeout` after it). */
  readonly timeoutMs: number;
  /** Run through `sudo -n`. */
  readonly sudo: boolean;
}

/** The state a host step starts from (step 1 of the host sequence). */
export interface HostPackageState {
  readonly os: OsInfo;
  readonly bootId: string;
  readonly kernel: { readonly running: string; readonly newestInstalled?: string };
  readonly packages: readonly InstalledPackage[];
  readonly reboot: RebootState;
}

/** Why the state read refuses to go on: a lock still held after the wait, or a broken database. */
export interface PackageDbRefusal {
  readonly reason: 'lock-held' | 'broken-db';
  readonly problems: readonly PackageDbProblem[];
  readonly message: string;
}

/** A package command that ran and failed, classified. */
export interface PackageCommandFailure {
  readonly reason:
    | 'invalid-request' // a name or version is not valid in the family's grammar (nothing ran)
    | 'not-offered' // a requested version is not in the repositories
    | 'unresolvable' // dependencies cannot be satisfied
    | 'lock-timeout' // the package lock stayed held past the lock timeout
    | 'install-failed' // the transaction ran and failed (e.g. a maintainer script)
    | 'removal-refused' // the transaction would remove packages and removals were not allowed (apt --no-remove)
    | 'refresh-failed' // metadata could not be refreshed (or timed out)
    | 'failed'; // anything else
  readonly exitCode: number;
  readonly message: string;
  /** The last lines of the command's output, for audit and status. */
  readonly output: string;
}

export interface ApplyOptions extends CommandOptions {
  /** apt: `-o DPkg::Lock::Timeout=N` (dnf and rpm wait for their own locks). */
  readonly lockTimeoutSeconds: number;
  /** Allow moving packages to lower versions (rollback). Default false. */
  readonly allowDowngrades?: boolean;
  /**
   * Let the transaction remove packages (the approval's `removes` named them and the simulation was
   * checked). Default false: apt applies with `--no-remove`, so a transaction that changed between
   * the simulation and the apply cannot remove anything unchecked. (dnf has no such switch.)
   */
  readonly allowRemovals?: boolean;
}

export interface ApplyOutcome {
  readonly exitCode: number;
  readonly output: string;
  readonly durationMs: number;
  /**
   * The host's facts read in the same remote call right after the install finished (installed
   * versions, boot id, whether it asks for a reboot); undefined when they could not be read.
   */
  readonly after?: HostFacts;
}

/** What `checkedApply` did: installed, refused by the caller's check, or failed at one of its stages. */
export type CheckedApplyOutcome =
  | { readonly kind: 'applied'; readonly transaction: Transaction | undefined; readonly outcome: ApplyOutcome }
  | { readonly kind: 'refused'; readonly transaction: Transaction }
  | { readonly kind: 'failed'; readonly stage: 'simulation' | 'install'; readonly failure: PackageCommandFailure };

export interface ReinstallOutcome {
  /** The previous versions put back. */
  readonly reinstalled: readonly PackageVersion[];
  /** Previous versions the host's repositories no longer offer (not reinstalled). */
  readonly notOffered: readonly PackageVersion[];
  readonly transaction: Transaction;
}

export interface PackageManager {
  readonly id: PackageManagerId;
  /** Gathers all facts in one remote invocation. Throws classified transport errors. */
  collectFacts(options: FactsOptions): Promise<HostFacts>;
  /**
   * Installed versions, boot id, kernel and reboot signals, and package-DB health, in one
   * invocation; waits up to `lockWaitSeconds` for a held lock, then refuses; refuses a broken DB.
   */
  readState(options: CommandOptions & { readonly lockWaitSeconds: number }): Promise<Result<HostPackageState, PackageDbRefusal>>;
  /** apt-get update / dnf makecache, bounded by `refreshTimeoutSeconds`. */
  refreshMetadata(options: CommandOptions & { readonly refreshTimeoutSeconds: number }): Promise<Result<void, PackageCommandFailure>>;
  /** What installing exactly these versions would do (apt-get -s install pkg=ver…, dnf --assumeno install name-evr…). */
  simulate(targets: readonly PackageVersion[], options: ApplyOptions): Promise<Result<Transaction, PackageCommandFailure>>;
  /** Installs exactly these versions, non-interactively, keeping existing configuration files. */
  apply(targets: readonly PackageVersion[], options: ApplyOptions): Promise<Result<ApplyOutcome, PackageCommandFailure>>;
  /**
   * Installs exactly these versions only if `accept` accepts the transaction the package manager
   * is about to run, shown before anything is installed, then reads the host back (`after`). apt:
   * ONE remote call and ONE apt run (the transaction from apt's Pre-Install-Pkgs hook, the verdict
   * sent on stdin: no verdict, no install). dnf: a simulation (`dnf --assumeno`), then the install.
   * `options.allowRemovals` is decided here, from the accepted transaction, not by the caller.
   * A run with nothing to install (already at the versions) is `applied` with no transaction.
   */
  checkedApply(
    targets: readonly PackageVersion[],
    options: ApplyOptions,
    accept: (transaction: Transaction) => boolean,
  ): Promise<CheckedApplyOutcome>;
  /** The installed versions of these packages (absent ones are left out). */
  installedVersions(names: readonly string[], options: CommandOptions): Promise<readonly PackageVersion[]>;
  /** Every version the repositories offer of these packages (from the metadata cache). */
  offeredVersions(names: readonly string[], options: CommandOptions): Promise<readonly PackageVersion[]>;
  /** Whether the host asks for a reboot: reboot-required file, needs-restarting -r, newer kernel. */
  rebootRequired(options: CommandOptions): Promise<RebootState>;
}
