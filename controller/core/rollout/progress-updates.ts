/**
 * How the engine's host sequences map onto the planner's `RolloutProgress` (one document per
 * rollout, read by `planRollout` and `patchward plan --state`): a host's start, its end
 * (succeeded, failed, or retryable with a back-off), halts, pauses and resumes. Pure.
 */
import type { HostProgress, RolloutProgress, RolloutStop } from '../plan/rollout-progress.js';
import type { HostSequence } from './rollout-state.js';

function withHost(progress: RolloutProgress, host: string, entry: HostProgress): RolloutProgress {
  return { ...progress, hosts: { ...progress.hosts, [host]: entry } };
}

/** A host's attempt began (or resumed after a crash: same attempt number). */
export function progressStarted(progress: RolloutProgress, sequence: HostSequence, now: Date): RolloutProgress {
  return withHost(progress, sequence.host, {
    outcome: 'in-progress',
    attempts: sequence.attempts,
    startedAt: sequence.startedAt ?? now.toISOString(),
    step: sequence.intent?.step ?? 'observe',
  });
}

/** A host's attempt ended; a retryable end waits `retryDelayMs` before the next attempt. */
export function progressFinished(progress: RolloutProgress, sequence: HostSequence, now: Date, retryDelayMs: number): RolloutProgress {
  const outcome = sequence.phase === 'succeeded' ? 'succeeded' : sequence.phase === 'retryable' ? 'retryable' : 'failed';
  return withHost(progress, sequence.host, {
    outcome,
    attempts: sequence.attempts,
    ...(sequence.startedAt === undefined ? {} : { startedAt: sequence.startedAt }),
    finishedAt: now.toISOString(),
    ...(outcome === 'retryable' ? { retryAfter: new Date(now.getTime() + retryDelayMs).toISOString() } : {}),
    ...(sequence.failure === undefined ? {} : { reason: sequence.failure.reason, step: sequence.failure.step }),
  });
}

/** A blocked host (unreachable in the inventory, still unreachable when asked afresh): the attempt counts. */
export function progressAttemptRefused(
  progress: RolloutProgress,
  host: string,
  attempt: number,
  reason: string,
  now: Date,
  retryDelayMs: number,
): RolloutProgress {
  return withHost(progress, host, {
    outcome: 'retryable',
    attempts: attempt,
    startedAt: now.toISOString(),
    finishedAt: now.toISOString(),
    retryAfter: new Date(now.getTime() + retryDelayMs).toISOString(),
    reason,
    step: 'observe',
  });
}

export function progressHalted(progress: RolloutProgress, stop: RolloutStop): RolloutProgress {
  return progress.halted === undefined ? { ...progress, halted: stop } : progress;
}

export function progressPaused(progress: RolloutProgress, stop: RolloutStop): RolloutProgress {
  return { ...progress, paused: stop };
}

/** Clears a halt and a pause; hosts the halted ring failed go back in progress (their sequence reopens at the failed step). */
export function progressResumed(progress: RolloutProgress, reopened: readonly HostSequence[]): RolloutProgress {
  const { halted: _halted, paused: _paused, ...rest } = progress;
  let next: RolloutProgress = rest;
  for (const sequence of reopened) {
    const previous = progress.hosts[sequence.host];
    next = withHost(next, sequence.host, {
      outcome: 'in-progress',
      attempts: sequence.attempts,
      ...(previous?.startedAt === undefined ? {} : { startedAt: previous.startedAt }),
      step: sequence.failure?.step ?? 'observe',
    });
  }
  return next;
}
