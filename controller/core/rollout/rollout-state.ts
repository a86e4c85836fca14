/**
 * The engine's durable record of one host's sequence in one rollout (the intent records): which
 * steps are done, the step begun and not yet recorded as finished, the exact targets and the
 * versions before and after. The rollout-wide progress the planner reads (outcome per host,
 * attempts, halts, pauses) is the `plan` module's `RolloutProgress`; this is the finer grain under
 * it. Pure data and pure constructors: no I/O, no clock (times are parameters).
 *
 * A host's sequence is the steps below, in order. Before each step the engine records an intent;
 * after it, the outcome. A crash between the two leaves the intent: the next run asks the host and
 * either records the step as finished or redoes it (`recoveryFor` in `host-sequence.ts`).
 */

export const HOST_SEQUENCE_FORMAT = 1;

export const HOST_STEPS = ['observe', 'pre-hook', 'apply', 'verify', 'reboot', 'health'] as const;
export type HostStep = (typeof HOST_STEPS)[number];

/** `retryable`: the attempt could not run (host down, package database broken or locked); the planner decides whether attempts remain. */
export type SequencePhase = 'pending' | 'in-progress' | 'succeeded' | 'failed' | 'retryable';

/** A step begun and not yet recorded as finished. */
export interface StepIntent {
  readonly step: HostStep;
  readonly startedAt: string;
  /** The attempt of the host's sequence this step belongs to. */
  readonly attempt: number;
  /** For `reboot`: the boot id before the reboot command, to recognise the new one. */
  readonly bootIdBefore?: string;
}

export interface HostFailure {
  readonly step: HostStep;
  readonly reason: string;
  /** The failed gate and what it saw (health check name and value, exit code, refused packages). */
  readonly signal?: string;
  /** Whether another attempt may follow (unreachable host, broken or locked package database). */
  readonly retriable: boolean;
}

export interface HostSequence {
  readonly formatVersion: number;
  readonly rolloutId: string;
  readonly host: string;
  readonly ring: string;
  readonly phase: SequencePhase;
  /** Attempts begun in this rollout. */
  readonly attempts: number;
  /** Steps finished in the current attempt, in order. */
  readonly done: readonly HostStep[];
  readonly intent?: StepIntent;
  readonly packageManager?: 'apt' | 'dnf';
  /** Exact versions to install (binary package → version), fixed when the host first starts. */
  readonly targets?: Readonly<Record<string, string>>;
  /** Installed packages the transaction may remove (the approvals' `removes` for the host's release). */
  readonly allowedRemovals?: readonly string[];
  /** Versions of the target packages before anything was installed ('' = not installed). */
  readonly before?: Readonly<Record<string, string>>;
  /** Versions verified after the apply. */
  readonly after?: Readonly<Record<string, string>>;
  /** Advisories the targets fix. */
  readonly advisories?: readonly string[];
  /** Boot id at the last state read, and the two around a reboot. */
  readonly bootId?: string;
  readonly rebooted?: { readonly before: string; readonly after: string };
  readonly failure?: HostFailure;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** The policy repository the rollout ran from (so that `rollback` can reach the host). */
  readonly source?: string;
}

export function newHostSequence(rolloutId: string, host: string, ring: string): HostSequence {
  return { formatVersion: HOST_SEQUENCE_FORMAT, rolloutId, host, ring, phase: 'pending', attempts: 0, done: [] };
}

/** The rollout id `patchward rollout` and `report` print: baseline name + revision. */
export function rolloutIdOf(baseline: string, revision: string): string {
  return `${baseline}@${revision}`;
}
