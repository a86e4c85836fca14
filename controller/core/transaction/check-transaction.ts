import { err, ok, type Result } from '../../errors.js';
import type { PackageChange, PackageVersion, Transaction } from './transaction.js';

/** What a host step was approved to do. */
export interface TransactionApproval {
  /** The exact versions the plan asks for (the approved set on this host). */
  readonly targets: readonly PackageVersion[];
  /** Installed packages the approval names in `removes` (already narrowed to the host's release). */
  readonly removes: readonly string[];
}

/** One reason to refuse, naming the package. */
export interface TransactionViolation {
  readonly kind: 'unapproved-removal' | 'outside-approved-set' | 'wrong-version';
  readonly package: string;
  readonly detail: string;
}

export interface TransactionRefusal {
  readonly violations: readonly TransactionViolation[];
  /** One line naming every package, for status and audit. */
  readonly message: string;
}

function describe(change: PackageChange): string {
  const arrow = change.fromVersion !== undefined && change.version !== undefined ? `${change.fromVersion} → ${change.version}` : undefined;
  return arrow ?? change.version ?? change.fromVersion ?? '';
}

/**
 * Refuses a simulated transaction that would remove a package the approval does not name in
 * `removes`, change an installed package outside the approved set, or put an approved package at
 * another version than the plan's. New packages (not installed before) are allowed: they are the
 * approved set's new dependencies. Pure.
 */
export function checkTransaction(transaction: Transaction, approval: TransactionApproval): Result<Transaction, TransactionRefusal> {
  const targets = new Map(approval.targets.map((target) => [target.name, target.version]));
  const removable = new Set(approval.removes);
  const violations: TransactionViolation[] = [];
  for (const removal of transaction.removals) {
    if (!removable.has(removal.name))
      violations.push({
        kind: 'unapproved-removal',
        package: removal.name,
        detail: `${removal.name} ${describe(removal)} would be removed; the approval does not list it in removes`,
      });
  }
  const changed = [...transaction.upgrades, ...transaction.downgrades, ...transaction.reinstalls];
  for (const change of changed) {
    const wanted = targets.get(change.name);
    if (wanted === undefined)
      violations.push({
        kind: 'outside-approved-set',
        package: change.name,
        detail: `${change.name} ${describe(change)} would change; it is not in the approved set`,
      });
  }
  for (const change of [...transaction.installs, ...changed]) {
    const wanted = targets.get(change.name);
    if (wanted !== undefined && change.version !== undefined && change.version !== wanted)
      violations.push({
        kind: 'wrong-version',
        package: change.name,
        detail: `${change.name} would be installed at ${change.version}, the plan asks for ${wanted}`,
      });
  }
  if (violations.length === 0) return ok(transaction);
  const byKind = (kind: TransactionViolation['kind']) =>
    violations
      .filter((violation) => violation.kind === kind)
      .map((violation) => violation.package)
      .join(', ');
  const parts = [
    ['unapproved-removal', 'would remove packages the approval does not name'],
    ['outside-approved-set', 'would change packages outside the approved set'],
    ['wrong-version', 'would install other versions than planned'],
  ] as const;
  const message = parts
    .filter(([kind]) => byKind(kind) !== '')
    .map(([kind, words]) => `${words}: ${byKind(kind)}`)
    .join('; ');
  return err({ violations, message: `transaction refused: ${message}` });
}

/** The package names an approval's `removes` allows on one OS release (entries without `releases` apply to all). */
export function allowedRemovalsFor(
  removes: readonly { readonly name: string; readonly releases?: readonly string[] }[] | undefined,
  release: string,
): readonly string[] {
  return (removes ?? []).filter((entry) => entry.releases === undefined || entry.releases.includes(release)).map((entry) => entry.name);
}
