/**
 * Runs one host's sequence (observe → pre-hook → apply → verify → reboot → health) with the
 * `hostseq` edges (PackageManager, runPreHook, rebootHost, runHealthChecks), recording an intent
 * before every step and the outcome after it, and recovering from an intent a crash left: the host
 * is asked (installed versions, boot id) and the step is recorded as finished or redone. A host
 * that finished is never touched again; an apply never runs when the host already has the targets.
 */
import type { Ring } from '../../core/model/generated/kinds.js';
import {
  beginAttempt,
  beginStep,
  failHost,
  finishStep,
  hasTargets,
  nextStep,
  recoveryFor,
  succeedHost,
} from '../../core/rollout/host-sequence.js';
import type { HostFailure, HostSequence, HostStep } from '../../core/rollout/rollout-state.js';
import { reinstallCommandLine } from '../../edges/packages/host-package-manager.js';
import type { AuditEntry } from '../../edges/status/audit-log.js';
import { isPatchwardError } from '../../errors.js';
import type { PackageManager } from '../../ports/package-manager.js';
import type { Transport } from '../../ports/transport.js';
import { type Action, type PassFacts, readBootId, runStep, type StepMemo, StepFailed, toList, toMap } from './run-step.js';

export type { PassFacts } from './run-step.js';

/**
 * Where the kill-point test hook may stop the process: a step's intent written, its effect done,
 * its outcome written; `host`/`finished`: the host's final record written, the rollout's progress not yet.
 */
export type BoundaryPoint = 'intent' | 'effect' | 'recorded' | 'finished';

export interface StepLine {
  readonly host: string;
  readonly ring: string;
  readonly step: HostStep | 'host';
  readonly outcome: string;
  readonly detail?: string;
  readonly durationMs?: number;
}

/** The host as the steps reach it. */
export interface HostAccess {
  readonly name: string;
  readonly address: string;
  readonly sudo: boolean;
  readonly transport: Transport;
  readonly packageManager: PackageManager;
  readonly commandTimeoutMs: number;
}

export interface HostRunContext {
  readonly ring: Ring;
  readonly access: HostAccess;
  readonly clock: () => Date;
  readonly save: (sequence: HostSequence) => Promise<void>;
  readonly audit: (entry: Omit<AuditEntry, 'time' | 'rollout' | 'revision'>) => Promise<void>;
  readonly halt: (reason: string, message: string) => Promise<void>;
  readonly print: (line: StepLine) => void;
  readonly boundary: (host: string, step: HostStep | 'host', point: BoundaryPoint) => void;
}

/** Transport failures (host down, connection lost, timeouts) are retriable: the host keeps its ring incomplete. */
function isReachabilityError(error: unknown): boolean {
  return isPatchwardError(error) && (error.kind === 'External' || error.kind === 'Transient');
}

function haltReason(step: HostStep): string {
  return (
    {
      observe: 'HostUnreachable',
      'pre-hook': 'PreHookFailed',
      apply: 'ApplyFailed',
      verify: 'VerifyFailed',
      reboot: 'RebootFailed',
      health: 'HealthCheckFailed',
    } as const
  )[step];
}

/** The command that puts the previous versions back, printed after each patched host. */
function rollbackHint(sequence: HostSequence): string {
  const before = Object.entries(sequence.before ?? {}).filter(([, version]) => version !== '');
  if (before.length === 0 || sequence.packageManager === undefined) return '';
  return `previous versions: ${reinstallCommandLine(sequence.packageManager, toList(Object.fromEntries(before)))} (or: patchward rollback ${sequence.host})`;
}

export async function runHost(
  initial: HostSequence,
  start: { readonly attempt: number; readonly resume: boolean; readonly passFacts?: PassFacts },
  context: HostRunContext,
): Promise<HostSequence> {
  const { ring, access } = context;
  let sequence = initial;
  const save = async (next: HostSequence) => {
    sequence = next;
    await context.save(next);
  };
  const audit = (step: HostStep | 'host', outcome: string, extra: Partial<AuditEntry> = {}) =>
    context.audit({ ring: ring.metadata.name, host: sequence.host, step, outcome, ...extra });
  const options = { timeoutMs: access.commandTimeoutMs, sudo: access.sudo };
  const memo: StepMemo = start.passFacts === undefined ? {} : { passFacts: start.passFacts };

  // An intent a crash left behind: ask the host.
  const recovery = recoveryFor(sequence);
  if (recovery.kind === 'ask-host' && recovery.step === 'apply' && sequence.targets !== undefined) {
    try {
      const installed = toMap(await access.packageManager.installedVersions(Object.keys(sequence.targets), options));
      if (hasTargets(sequence.targets, installed)) {
        await save(finishStep(sequence, 'apply'));
        await audit('apply', 'recovered', {
          before: sequence.before,
          after: installed,
          message: 'the host already has the target versions: the apply had finished before the crash',
        });
      }
    } catch {
      // unreachable: the sequence below ends the attempt as retryable
    }
  }
  if (recovery.kind === 'ask-host' && recovery.step === 'reboot' && recovery.bootIdBefore !== undefined) {
    const bootId = await readBootId(access.transport).catch(() => undefined);
    if (bootId !== undefined && bootId !== '' && bootId !== recovery.bootIdBefore) {
      await save(finishStep(sequence, 'reboot', { bootId, rebooted: { before: recovery.bootIdBefore, after: bootId } }));
      await audit('reboot', 'recovered', {
        bootIdBefore: recovery.bootIdBefore,
        bootIdAfter: bootId,
        message: 'the host came back with a new boot id after the crash',
      });
    }
  }
  // The step whose intent is already durable: written in the same record as the attempt's start or
  // as the previous step's outcome (one write per step boundary instead of two).
  let begun: HostStep | undefined;
  if (start.resume && sequence.phase === 'in-progress') {
    await audit('host', 'resumed', { message: `attempt ${sequence.attempts}, after ${sequence.done.join(', ') || 'no step'}` });
  } else {
    const attempt = beginAttempt(sequence, start.attempt, context.clock());
    begun = nextStep(attempt);
    await save(begun === undefined ? attempt : beginStep(attempt, begun, context.clock()));
    await audit('host', 'started', { message: `attempt ${sequence.attempts}` });
  }

  for (let step = nextStep(sequence); step !== undefined; step = nextStep(sequence)) {
    const intended = begun === step ? sequence.intent : undefined;
    begun = undefined;
    const started = intended === undefined ? context.clock() : new Date(intended.startedAt);
    if (intended === undefined) await save(beginStep(sequence, step, started, step === 'reboot' ? sequence.bootId : undefined));
    if (step === 'apply' || step === 'reboot') {
      await audit(step, 'started', {
        before: sequence.before,
        ...(step === 'reboot' && sequence.bootId !== undefined ? { bootIdBefore: sequence.bootId } : {}),
      });
    }
    context.boundary(sequence.host, step, 'intent');
    let update: Partial<HostSequence>;
    let detail: string;
    try {
      [update, detail] = await runStep(step, sequence, context, memo);
    } catch (error) {
      const failed = error instanceof StepFailed ? error : undefined;
      const failure: HostFailure = failed?.failure ?? { step, reason: (error as Error).message, retriable: isReachabilityError(error) };
      const action: Action = failed?.action ?? 'fail-host';
      const durationMs = context.clock().getTime() - started.getTime();
      if (action === 'continue') {
        await save(finishStep(sequence, step));
        await audit(step, 'failed-continued', { signal: failure.signal, message: failure.reason, durationMs });
        context.print({
          host: sequence.host,
          ring: ring.metadata.name,
          step,
          outcome: 'failed (continue)',
          detail: failure.signal ?? failure.reason,
        });
        continue;
      }
      await save(failHost(sequence, failure, context.clock()));
      await audit(step, sequence.phase === 'retryable' ? 'retry' : 'failed', {
        signal: failure.signal,
        message: failure.reason,
        durationMs,
        before: sequence.before,
      });
      context.print({
        host: sequence.host,
        ring: ring.metadata.name,
        step,
        outcome: sequence.phase === 'retryable' ? 'retry' : 'failed',
        detail: failure.signal ?? failure.reason,
      });
      if (action === 'halt-rollout') await context.halt(haltReason(step), `${sequence.host}: ${failure.signal ?? failure.reason}`);
      if (sequence.phase === 'failed')
        await audit('host', 'failed', { before: sequence.before, signal: failure.signal, message: failure.reason });
      return sequence;
    }
    context.boundary(sequence.host, step, 'effect');
    const durationMs = context.clock().getTime() - started.getTime();
    // The outcome, and with it the intent of the next step: both durable before that step does anything.
    const finished = finishStep(sequence, step, update);
    const following = nextStep(finished);
    begun = following;
    await save(
      following === undefined
        ? finished
        : beginStep(finished, following, context.clock(), following === 'reboot' ? finished.bootId : undefined),
    );
    await audit(step, 'succeeded', {
      durationMs,
      ...(step === 'apply' || step === 'verify' ? { before: sequence.before, after: sequence.after ?? sequence.targets } : {}),
      ...(step === 'reboot' && sequence.rebooted !== undefined
        ? { bootIdBefore: sequence.rebooted.before, bootIdAfter: sequence.rebooted.after }
        : {}),
      ...(detail === '' ? {} : { message: detail }),
    });
    context.print({ host: sequence.host, ring: ring.metadata.name, step, outcome: 'ok', detail, durationMs });
    context.boundary(sequence.host, step, 'recorded');
  }
  await save(succeedHost(sequence, context.clock()));
  const hint = rollbackHint(sequence);
  await audit('host', 'succeeded', {
    before: sequence.before,
    after: sequence.after,
    advisories: sequence.advisories,
    ...(hint === '' ? {} : { message: hint }),
  });
  context.print({ host: sequence.host, ring: ring.metadata.name, step: 'host', outcome: 'patched', detail: hint });
  context.boundary(sequence.host, 'host', 'finished');
  return sequence;
}
