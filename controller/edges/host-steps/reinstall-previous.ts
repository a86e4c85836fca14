import { checkTransaction, type PackageVersion, type Transaction, type TransactionRefusal } from '../../core/transaction/index.js';
import type { ApplyOptions, PackageCommandFailure, PackageManager } from '../../ports/package-manager.js';

/** Rollback of one host: what was put back, what the repositories no longer offer, or why not. */
export type ReinstallOutcome =
  | {
      readonly outcome: 'reinstalled';
      readonly reinstalled: readonly PackageVersion[];
      readonly notOffered: readonly PackageVersion[];
      readonly transaction: Transaction;
    }
  | { readonly outcome: 'nothing-offered'; readonly notOffered: readonly PackageVersion[] }
  | { readonly outcome: 'refused'; readonly notOffered: readonly PackageVersion[]; readonly refusal: TransactionRefusal }
  | { readonly outcome: 'failed'; readonly notOffered: readonly PackageVersion[]; readonly failure: PackageCommandFailure };

/**
 * Reinstalls exact previous versions (rollback): keeps those the repositories still offer, says
 * which they no longer offer, simulates with downgrades allowed, refuses a transaction that would
 * remove anything or touch another package, then applies.
 */
export async function reinstallPrevious(
  pm: PackageManager,
  previous: readonly PackageVersion[],
  options: ApplyOptions,
): Promise<ReinstallOutcome> {
  const offered = new Set(
    (await pm.offeredVersions([...new Set(previous.map((p) => p.name))], options)).map((p) => `${p.name}\t${p.version}`),
  );
  const available = previous.filter((p) => offered.has(`${p.name}\t${p.version}`));
  const notOffered = previous.filter((p) => !offered.has(`${p.name}\t${p.version}`));
  if (available.length === 0) return { outcome: 'nothing-offered', notOffered };
  const downgrade = { ...options, allowDowngrades: true };
  const simulated = await pm.simulate(available, downgrade);
  if (!simulated.ok) return { outcome: 'failed', notOffered, failure: simulated.error };
  const checked = checkTransaction(simulated.value, { targets: available, removes: [] });
  if (!checked.ok) return { outcome: 'refused', notOffered, refusal: checked.error };
  const applied = await pm.apply(available, downgrade);
  if (!applied.ok) return { outcome: 'failed', notOffered, failure: applied.error };
  return { outcome: 'reinstalled', reinstalled: available, notOffered, transaction: simulated.value };
}
