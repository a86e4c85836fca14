/**
 * The durable progress of one rollout (DESIGN.md "Sources of truth": progress the hosts cannot
 * tell). Kept in the `StateStore` as one rollout record plus one record per host, each with a
 * format version. Pure data and pure constructors: no I/O, no clock (times are parameters).
 *
 * A host's sequence is the steps below, in order. Before each step the engine records an intent
 * (`HostProgress.intent`); after it, the outcome (`done`, or the failure). A crash between the two
 * leaves the intent: the next run asks the host and either records the step as finished or redoes
 * it (`recoveryFor` in `host-sequence.ts`).
 */

export const ROLLOUT_FORMAT_VERSION = 1;

export const HOST_STEPS = ['observe', 'pre-hook', 'apply', 'verify', 'reboot', 'health'] as const;
export type HostStep = (typeof HOST_STEPS)[number];

export type HostPhase = 'pending' | 'in-progress' | 'succeeded' | 'failed';

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
  /** The failed gate and what it saw (health check name, exit code, query value). */
  readonly signal?: string;
  /** Whether another attempt may follow (unreachable host, broken or locked package database). */
  readonly retriable: boolean;
}

export interface HostProgress {
  readonly formatVersion: number;
  readonly host: string;
  readonly ring: string;
  readonly phase: HostPhase;
  /** Sequence attempts begun (an unreachable host uses one per try, up to the ring's maxAttempts). */
  readonly attempts: number;
  /** Steps finished in the current attempt, in order. */
  readonly done: readonly HostStep[];
  readonly intent?: StepIntent;
  /** OS release key and package manager seen at the first observation. */
  readonly release?: string;
  readonly packageManager?: 'apt' | 'dnf';
  /** Exact versions to install (binary package → version), fixed at the first observation. */
  readonly targets?: Readonly<Record<string, string>>;
  /** Versions of the target packages before anything was installed ('' = not installed). */
  readonly before?: Readonly<Record<string, string>>;
  /** Versions verified after the apply. */
  readonly after?: Readonly<Record<string, string>>;
  /** Advisories the targets fix. */
  readonly advisories?: readonly string[];
  /** Boot id at the last observation, and after a reboot. */
  readonly bootId?: string;
  readonly rebooted?: { readonly before: string; readonly after: string };
  readonly failure?: HostFailure;
  /** No new attempt before this instant (after a retriable failure). */
  readonly retryAt?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** `compliant` when nothing needed installing, else `patched`. */
  readonly result?: 'patched' | 'compliant';
}

export interface RolloutHaltRecord {
  readonly ring?: string;
  /** PascalCase, e.g. FailureBudgetExceeded, PreHookFailed, HealthCheckFailed, RebootTimeout. */
  readonly reason: string;
  readonly message: string;
  readonly time: string;
}

export interface RingRecord {
  readonly startedAt?: string;
  readonly completedAt?: string;
}

export interface RolloutRecord {
  readonly formatVersion: number;
  /** `<baseline>@<revision>`. */
  readonly id: string;
  readonly baseline: string;
  readonly revision: string;
  readonly createdAt: string;
  /** Ring names in rollout order as of the revision. */
  readonly rings: readonly string[];
  readonly ringRecords: Readonly<Record<string, RingRecord>>;
  readonly halt?: RolloutHaltRecord;
  readonly pause?: { readonly time: string; readonly reason: string };
  readonly completedAt?: string;
  /** Where the policy came from (the repository directory), so that `rollback` can reach the hosts. */
  readonly source?: string;
}

/** The rollout id `patchward rollout` and `report` print: baseline name + revision. */
export function rolloutIdOf(baseline: string, revision: string): string {
  return `${baseline}@${revision}`;
}

export function newRollout(baseline: string, revision: string, rings: readonly string[], now: Date): RolloutRecord {
  return {
    formatVersion: ROLLOUT_FORMAT_VERSION,
    id: rolloutIdOf(baseline, revision),
    baseline,
    revision,
    createdAt: now.toISOString(),
    rings: [...rings],
    ringRecords: {},
  };
}

export function newHostProgress(host: string, ring: string): HostProgress {
  return { formatVersion: ROLLOUT_FORMAT_VERSION, host, ring, phase: 'pending', attempts: 0, done: [] };
}

export function isTerminal(progress: HostProgress): boolean {
  return progress.phase === 'succeeded' || progress.phase === 'failed';
}

/** Hosts kept out of every rollout by `patchward cordon`, without editing the Fleet. */
export interface CordonRecord {
  readonly formatVersion: number;
  readonly hosts: Readonly<Record<string, { readonly time: string; readonly reason?: string }>>;
}
