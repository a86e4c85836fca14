/**
 * What a package manager would do (or did) to one host, in our vocabulary: the edges turn
 * `apt-get -s install …` and `dnf --assumeno install …` output into a `Transaction`; the pure
 * checks in this folder decide whether it may go ahead and whether the result matches the plan.
 */

/** One exact version of one package that a step asks for (plan target, previous version for rollback). */
export interface PackageVersion {
  /** Binary package name (dpkg) or rpm NAME. */
  readonly name: string;
  /** dpkg `[epoch:]upstream[-revision]` or rpm `[epoch:]version-release`. */
  readonly version: string;
  readonly arch?: string;
}

/** One package the transaction touches. */
export interface PackageChange {
  readonly name: string;
  readonly arch?: string;
  /** Version after the transaction (absent for a removal). */
  readonly version?: string;
  /** Version before the transaction (absent for a new install). */
  readonly fromVersion?: string;
}

export interface Transaction {
  /** Packages not installed before. */
  readonly installs: readonly PackageChange[];
  /** Installed packages moved to a higher version. */
  readonly upgrades: readonly PackageChange[];
  /** Installed packages moved to a lower version (a rollback). */
  readonly downgrades: readonly PackageChange[];
  /** Installed packages reinstalled at the same version. */
  readonly reinstalls: readonly PackageChange[];
  /** Installed packages removed (conflicts, obsoletes, replaced). */
  readonly removals: readonly PackageChange[];
}

export const EMPTY_TRANSACTION: Transaction = Object.freeze({ installs: [], upgrades: [], downgrades: [], reinstalls: [], removals: [] });

/** Every change of a transaction, in a fixed order (removals last). */
export function changesOf(transaction: Transaction): readonly PackageChange[] {
  return [...transaction.installs, ...transaction.upgrades, ...transaction.downgrades, ...transaction.reinstalls, ...transaction.removals];
}
