/**
 * Pure transitions of one host's sequence: begin an attempt, begin a step (the intent), finish it,
 * fail it, and what to do with an intent a crash left behind. The driver
 * (`controller/reconcile/rollout/`) records every returned value before it performs the side
 * effect it announces.
 */
import { HOST_STEPS, type HostFailure, type HostSequence, type HostStep } from './rollout-state.js';

/** The next step of the current attempt, or undefined when every step is done. */
export function nextStep(sequence: HostSequence): HostStep | undefined {
  return HOST_STEPS.find((step) => !sequence.done.includes(step));
}

/** Starts a new attempt (a pending or retryable host the planner started). */
export function beginAttempt(sequence: HostSequence, attempt: number, now: Date): HostSequence {
  const { failure: _failure, intent: _intent, finishedAt: _finished, ...rest } = sequence;
  return { ...rest, phase: 'in-progress', attempts: attempt, done: [], startedAt: now.toISOString() };
}

/** The intent record written before the step's side effect. */
export function beginStep(sequence: HostSequence, step: HostStep, now: Date, bootIdBefore?: string): HostSequence {
  return {
    ...sequence,
    intent: {
      step,
      startedAt: now.toISOString(),
      attempt: sequence.attempts,
      ...(bootIdBefore === undefined ? {} : { bootIdBefore }),
    },
  };
}

/** The step finished; `update` carries what it learned (versions, boot ids). */
export function finishStep(sequence: HostSequence, step: HostStep, update: Partial<HostSequence> = {}): HostSequence {
  const { intent: _intent, ...rest } = sequence;
  return { ...rest, ...update, done: sequence.done.includes(step) ? sequence.done : [...sequence.done, step] };
}

/** Every step done: the host succeeded. */
export function succeedHost(sequence: HostSequence, now: Date): HostSequence {
  const { intent: _intent, failure: _failure, ...rest } = sequence;
  return { ...rest, phase: 'succeeded', finishedAt: now.toISOString() };
}

/**
 * The step failed: a retriable failure (host unreachable, package database broken or locked) ends
 * the attempt as `retryable` (the planner tries again while attempts remain); any other fails the host.
 */
export function failHost(sequence: HostSequence, failure: HostFailure, now: Date): HostSequence {
  const { intent: _intent, ...rest } = sequence;
  return { ...rest, phase: failure.retriable ? 'retryable' : 'failed', failure, finishedAt: now.toISOString() };
}

/**
 * After `resume`: a host that failed in the halted ring goes back in progress at the step that
 * failed (the steps before it stay done: an apply that succeeded is never run again).
 */
export function reopenAtFailure(sequence: HostSequence): HostSequence {
  const { failure, finishedAt: _finished, intent: _intent, ...rest } = sequence;
  const failedAt = failure === undefined ? 0 : HOST_STEPS.indexOf(failure.step);
  return { ...rest, phase: 'in-progress', done: HOST_STEPS.slice(0, Math.max(0, failedAt)) };
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

export function recoveryFor(sequence: HostSequence): Recovery {
  const intent = sequence.intent;
  if (intent === undefined) return { kind: 'none' };
  if (intent.step === 'apply') return { kind: 'ask-host', step: 'apply' };
  if (intent.step === 'reboot') {
    return { kind: 'ask-host', step: 'reboot', ...(intent.bootIdBefore === undefined ? {} : { bootIdBefore: intent.bootIdBefore }) };
  }
  return { kind: 'redo', step: intent.step };
}

/** Whether the host already has every target version (exactly): then an apply must not run again. */
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
