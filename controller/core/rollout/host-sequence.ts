/**
 * Pure transitions of one host's sequence: begin a step (the intent), finish it, fail it, and what
 * to do with an intent a crash left behind. The driver (`controller/reconcile/rollout/`) records
 * every returned value before it performs the side effect it announces.
 */
import { HOST_STEPS, type HostFailure, type HostProgress, type HostStep } from './rollout-state.js';

/** The next step of the current attempt, or undefined when every step is done. */
export function nextStep(progress: HostProgress): HostStep | undefined {
  return HOST_STEPS.find((step) => !progress.done.includes(step));
}

/** Starts a new attempt of the sequence (a pending host picked by the scheduler). */
export function beginAttempt(progress: HostProgress, now: Date): HostProgress {
  const { retryAt: _retry, failure: _failure, intent: _intent, ...rest } = progress;
  return {
    ...rest,
    phase: 'in-progress',
    attempts: progress.attempts + 1,
    done: [],
    startedAt: progress.startedAt ?? now.toISOString(),
  };
}

/** The intent record written before the step's side effect. */
export function beginStep(progress: HostProgress, step: HostStep, now: Date, bootIdBefore?: string): HostProgress {
  return {
    ...progress,
    intent: {
      step,
      startedAt: now.toISOString(),
      attempt: progress.attempts,
      ...(bootIdBefore === undefined ? {} : { bootIdBefore }),
    },
  };
}

/** The step finished; `update` carries what it learned (targets, versions, boot ids). */
export function finishStep(progress: HostProgress, step: HostStep, update: Partial<HostProgress> = {}): HostProgress {
  const { intent: _intent, ...rest } = progress;
  return { ...rest, ...update, done: progress.done.includes(step) ? progress.done : [...progress.done, step] };
}

/** Every step done: the host succeeded. */
export function succeedHost(progress: HostProgress, now: Date): HostProgress {
  const { intent: _intent, failure: _failure, retryAt: _retry, ...rest } = progress;
  const changed = Object.keys(progress.targets ?? {}).length > 0;
  return { ...rest, phase: 'succeeded', finishedAt: now.toISOString(), result: changed ? 'patched' : 'compliant' };
}

/**
 * The step failed. A retriable failure (host unreachable, package database broken or locked) puts
 * the host back to pending until `retryAt`, while attempts remain; otherwise it fails the host.
 */
export function failHost(
  progress: HostProgress,
  failure: HostFailure,
  now: Date,
  limits: { readonly maxAttempts: number; readonly retryDelayMs: number },
): HostProgress {
  const { intent: _intent, ...rest } = progress;
  if (failure.retriable && progress.attempts < limits.maxAttempts) {
    return { ...rest, phase: 'pending', failure, retryAt: new Date(now.getTime() + limits.retryDelayMs).toISOString() };
  }
  return { ...rest, phase: 'failed', failure, finishedAt: now.toISOString() };
}

/** After `resume`: a host that failed in the halted ring gets a fresh set of attempts. */
export function rearmHost(progress: HostProgress): HostProgress {
  const { failure: _failure, finishedAt: _finished, retryAt: _retry, intent: _intent, ...rest } = progress;
  return { ...rest, phase: 'pending', attempts: 0, done: [] };
}

/**
 * What a left-over intent means after a crash. `ask-host`: the step may or may not have taken
 * effect; the driver asks the host (installed versions for `apply`, boot id for `reboot`) and then
 * records it as finished or redoes it. Read-only or repeatable steps are simply redone.
 */
export type Recovery =
  | { readonly kind: 'none' }
  | { readonly kind: 'redo'; readonly step: HostStep }
  | { readonly kind: 'ask-host'; readonly step: 'apply' | 'reboot'; readonly bootIdBefore?: string };

export function recoveryFor(progress: HostProgress): Recovery {
  const intent = progress.intent;
  if (intent === undefined) return { kind: 'none' };
  if (intent.step === 'apply') return { kind: 'ask-host', step: 'apply' };
  if (intent.step === 'reboot') {
    return { kind: 'ask-host', step: 'reboot', ...(intent.bootIdBefore === undefined ? {} : { bootIdBefore: intent.bootIdBefore }) };
  }
  return { kind: 'redo', step: intent.step };
}

/**
 * Whether the host already has every target version (exactly). Decides, after a crash or on a new
 * attempt, that an apply must not run again.
 */
export function hasTargets(targets: Readonly<Record<string, string>>, installed: Readonly<Record<string, string>>): boolean {
  return Object.entries(targets).every(([name, version]) => installed[name] === version);
}

/** Targets not (exactly) installed yet. */
export function missingTargets(
  targets: Readonly<Record<string, string>>,
  installed: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(Object.entries(targets).filter(([name, version]) => installed[name] !== version));
}
