/** All documents of one policy repository revision, grouped by kind, each with where it came from. */
import type { Fleet, MaintenanceWindow, PatchBaseline, PatchPolicy, Ring } from './generated/kinds.js';
import type { Result } from '../../errors.js';
import type { Problem, SourceLocation } from './problem.js';

/** One loaded document and the position of its first line. */
export interface Sourced<T> {
  readonly resource: T;
  readonly source: SourceLocation;
}

export interface PolicySet {
  readonly fleets: readonly Sourced<Fleet>[];
  readonly maintenanceWindows: readonly Sourced<MaintenanceWindow>[];
  /** Sorted by `spec.order`. */
  readonly rings: readonly Sourced<Ring>[];
  readonly patchPolicies: readonly Sourced<PatchPolicy>[];
  readonly patchBaselines: readonly Sourced<PatchBaseline>[];
  /** Every YAML file read, relative to the repository root, sorted. */
  readonly files: readonly string[];
}

/**
 * Outcome of loading a repository, the one `Result` type (`controller/errors.ts`) with the warnings
 * beside a valid set. With any error the whole set is refused (`error`: errors and warnings together) so a caller keeps its last good state; nothing is half-applied.
 */
export type PolicyLoadResult =
  | (Extract<Result<PolicySet, never>, { ok: true }> & { readonly warnings: readonly Problem[] })
  | Extract<Result<never, readonly Problem[]>, { ok: false }>;

export function emptyPolicySet(): PolicySet {
  return { fleets: [], maintenanceWindows: [], rings: [], patchPolicies: [], patchBaselines: [], files: [] };
}
