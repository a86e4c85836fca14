import type { Transaction } from '../../core/transaction/transaction.js';
import type { PackageVersion } from '../../core/transaction/transaction.js';
import type { PackageCommandFailure, PackageManagerId } from '../../ports/package-manager.js';
import type { CommandResult } from '../../ports/transport.js';
import type { VersionScheme } from '../../ports/version-scheme.js';

export interface InstallArgvOptions {
  /** Only say what would happen (apt-get -s / dnf --assumeno). */
  readonly simulate: boolean;
  readonly lockTimeoutSeconds: number;
  readonly allowDowngrades: boolean;
  readonly allowRemovals: boolean;
}

/**
 * Everything that differs between package-manager families: the commands (argv vectors, never
 * shell lines) and the readers of their output. `HostPackageManager` is the one implementation of
 * the `PackageManager` port and drives a family through this table; the families own no control
 * flow, so both behave the same way at every step.
 */
export interface PackageFamily {
  readonly id: PackageManagerId;
  /** Grammar of names and versions: every target is checked before it reaches a command line. */
  readonly scheme: VersionScheme;
  refreshArgv(timeoutSeconds: number): readonly string[];
  installArgv(targets: readonly PackageVersion[], options: InstallArgvOptions): readonly string[];
  /**
   * The install that shows the controller the exact transaction before anything is installed and
   * waits for its verdict on fd 3 (`gatedTransaction` reads it from the output; no verdict, no
   * install), in the same package-manager run. Absent: the family simulates first, then installs.
   */
  readonly gatedInstall?: {
    argv(targets: readonly PackageVersion[], options: Omit<InstallArgvOptions, 'simulate' | 'allowRemovals'>): readonly string[];
    /** The transaction the command printed, once it is complete; undefined before. */
    transaction(output: string): Transaction | undefined;
  };
  /** The plain command a person runs to put exactly these versions back (printed with the outcome). */
  manualInstallArgv(targets: readonly PackageVersion[]): readonly string[];
  /** Reads a simulation's (or an applied transaction's) output. */
  parseTransaction(output: string): Transaction;
  /** True when a simulation ended the way a simulation ends (dnf --assumeno exits 1 "Operation aborted."). */
  isSimulationDone(result: CommandResult): boolean;
  classifyFailure(result: CommandResult): PackageCommandFailure['reason'];
  installedArgv(names: readonly string[]): readonly string[];
  parseInstalled(stdout: string): readonly PackageVersion[];
  offeredArgv(names: readonly string[]): readonly string[];
  parseOffered(stdout: string): readonly PackageVersion[];
}

/** The last `count` non-empty lines of a command's output (stdout then stderr), for audit and status. */
export function outputTail(result: CommandResult, count = 15): string {
  const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.trim() !== '');
  return lines.slice(-count).join('\n');
}
