/**
 * `RolloutProgress`: what a rollout has done so far that the hosts cannot tell, as plain JSON-able
 * data. The engine persists it through the `StateStore` port (one document per rollout) and the
 * planner reads it. Times are RFC 3339 UTC strings; maps are plain objects keyed by host or ring
 * name (look keys up with `Object.hasOwn`).
 *
 * Cordons are not part of a rollout: they keep a host out of EVERY rollout, so they are a separate
 * list (`Cordon`) that the engine keeps next to the rollouts and hands to the planner.
 */

/** Format version of a persisted `RolloutProgress`; bump on any incompatible change. */
export const ROLLOUT_PROGRESS_FORMAT = 1;

/**
 * Outcome of a host's latest attempt in this rollout:
 * - `in-progress`: started and not finished (running, or the process died mid-sequence: resume it);
 * - `succeeded`: the sequence finished and the host is at the planned versions;
 * - `failed`: a definitive failure (a hook or health check with `fail-host`, a verify mismatch, a
 *   refused transaction): counts against the ring's failure budget, the host is not tried again;
 * - `retryable`: the attempt could not run (host unreachable, package database broken or locked,
 *   no offered version yet): tried again until `attempts` reaches the ring's `maxAttempts`, then the
 *   planner counts the host as failed.
 */
export type HostOutcome = 'in-progress' | 'succeeded' | 'failed' | 'retryable';

export interface HostProgress {
  readonly outcome: HostOutcome;
  /** Attempts started in this rollout, the current one included. */
  readonly attempts: number;
  /** Start of the latest attempt. */
  readonly startedAt?: string;
  /** When the latest attempt ended (succeeded, failed or retryable). */
  readonly finishedAt?: string;
  /** No new attempt before this instant (back-off after a retryable outcome). */
  readonly retryAfter?: string;
  /** Why the host failed or must be retried, for reports. */
  readonly reason?: string;
  /** The last step of the host sequence begun (engine vocabulary), for reports. */
  readonly step?: string;
}

export interface RingProgressRecord {
  /**
   * When the engine saw the ring complete. Soak counts from here; when absent the planner uses the
   * latest `finishedAt` of the ring's hosts in this rollout (a ring that touched no host needs no soak).
   */
  readonly completedAt?: string;
}

/** A halt (failure budget exceeded, a `halt-rollout` gate) or a pause by hand; lasts until a person resumes. */
export interface RolloutStop {
  readonly at: string;
  readonly reason: string;
  readonly ring?: string;
  readonly host?: string;
  /** Who stopped it: `patchward` for a halt, else the person or tool that paused it. */
  readonly by?: string;
}

export interface RolloutProgress {
  readonly formatVersion: typeof ROLLOUT_PROGRESS_FORMAT;
  /** Baseline name + revision as `rollout` and `report` print it (the engine's choice). */
  readonly rolloutId: string;
  /** Git revision of the policy repository the rollout applies. */
  readonly revision?: string;
  readonly startedAt?: string;
  readonly hosts: Readonly<Record<string, HostProgress>>;
  readonly rings: Readonly<Record<string, RingProgressRecord>>;
  readonly halted?: RolloutStop;
  readonly paused?: RolloutStop;
}

/** A host kept out of every rollout by hand (`patchward cordon`), without editing the Fleet. */
export interface Cordon {
  readonly host: string;
  readonly at: string;
  readonly reason?: string;
  readonly by?: string;
}

export function emptyRolloutProgress(rolloutId: string, revision?: string): RolloutProgress {
  return {
    formatVersion: ROLLOUT_PROGRESS_FORMAT,
    rolloutId,
    ...(revision === undefined ? {} : { revision }),
    hosts: {},
    rings: {},
  };
}
