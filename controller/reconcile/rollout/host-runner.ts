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
  missingTargets,
  nextStep,
  recoveryFor,
  succeedHost,
} from '../../core/rollout/host-sequence.js';
import type { HostFailure, HostSequence, HostStep } from '../../core/rollout/rollout-state.js';
import { checkTransaction, type PackageVersion, verifyVersions } from '../../core/transaction/index.js';
import { runHealthChecks } from '../../edges/health/index.js';
import { healthCheckInputOf, preHookInputOf, rebootHost, rebootInputOf, runPreHook } from '../../edges/host-steps/index.js';
import { reinstallCommandLine } from '../../edges/packages/host-package-manager.js';
import type { AuditEntry } from '../../edges/status/audit-log.js';
import { isPatchwardError, ok } from '../../errors.js';
import type { ApplyOptions, PackageManager } from '../../ports/package-manager.js';
import type { Transport } from '../../ports/transport.js';

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

/**
 * What the planner's inventory saw on the host in this pass, handed to the host's first attempt in
 * the pass so that `observe` need not ask the host again for the same facts (a second facts script
 * per host), and `apply` need not refresh metadata the inventory has just refreshed. Only a
 * healthy, recent snapshot qualifies (`passFactsOf` in `reconcile-rollout.ts`).
 */
export interface PassFacts {
  readonly collectedAt: string;
  readonly bootId: string;
  readonly packages: readonly PackageVersion[];
  /** The inventory's metadata refresh succeeded. */
  readonly metadataRefreshed: boolean;
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

type Action = 'fail-host' | 'halt-rollout' | 'continue';

class StepFailed extends Error {
  constructor(
    readonly failure: HostFailure,
    readonly action: Action,
  ) {
    super(failure.reason);
  }
}

const LOCK_SECONDS = 120;

function toMap(versions: readonly PackageVersion[]): Record<string, string> {
  return Object.fromEntries(versions.map((item) => [item.name, item.version]));
}

function toList(map: Readonly<Record<string, string>>): PackageVersion[] {
  return Object.entries(map).map(([name, version]) => ({ name, version }));
}

function versionsText(before: Readonly<Record<string, string>> = {}, after: Readonly<Record<string, string>> = {}): string {
  return Object.keys(after)
    .map((name) => `${name} ${before[name] || '(none)'}→${after[name]}`)
    .join(', ');
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

async function readBootId(transport: Transport): Promise<string> {
  return (await transport.run(['cat', '/proc/sys/kernel/random/boot_id'], { timeoutMs: 20_000 })).stdout.trim();
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
  if (start.resume && sequence.phase === 'in-progress') {
    await audit('host', 'resumed', { message: `attempt ${sequence.attempts}, after ${sequence.done.join(', ') || 'no step'}` });
  } else {
    await save(beginAttempt(sequence, start.attempt, context.clock()));
    await audit('host', 'started', { message: `attempt ${sequence.attempts}` });
  }

  for (let step = nextStep(sequence); step !== undefined; step = nextStep(sequence)) {
    const started = context.clock();
    await save(beginStep(sequence, step, started, step === 'reboot' ? sequence.bootId : undefined));
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
      [update, detail] = await runStep(step, sequence, context, start.passFacts);
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
    await save(finishStep(sequence, step, update));
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

function gateFailure(step: HostStep, timedOut: boolean, signal: string, settings: { onTimeout?: Action; onFailure?: Action }): StepFailed {
  const action = (timedOut ? settings.onTimeout : settings.onFailure) ?? 'fail-host';
  return new StepFailed({ step, reason: signal, signal, retriable: false }, action);
}

async function runStep(
  step: HostStep,
  sequence: HostSequence,
  context: HostRunContext,
  passFacts: PassFacts | undefined,
): Promise<[Partial<HostSequence>, string]> {
  const { access, ring } = context;
  const pm = access.packageManager;
  const options = { timeoutMs: access.commandTimeoutMs, sudo: access.sudo };
  const apply: ApplyOptions = { ...options, lockTimeoutSeconds: LOCK_SECONDS };
  const targets = sequence.targets ?? {};
  switch (step) {
    case 'observe': {
      if (passFacts !== undefined) {
        // The planner's inventory of this pass read the same facts script moments ago (healthy, no lock held).
        const installed = toMap(passFacts.packages);
        const before = sequence.before ?? Object.fromEntries(Object.keys(targets).map((name) => [name, installed[name] ?? '']));
        return [
          { bootId: passFacts.bootId, before },
          `boot id ${passFacts.bootId} (inventory of this pass, ${passFacts.collectedAt}); plan ${versionsText(before, targets)}`,
        ];
      }
      const state = await pm.readState({ ...options, lockWaitSeconds: LOCK_SECONDS });
      if (!state.ok) throw new StepFailed({ step, reason: state.error.message, signal: state.error.reason, retriable: true }, 'fail-host');
      const installed = Object.fromEntries(state.value.packages.map((pkg) => [pkg.name, pkg.version]));
      const before = sequence.before ?? Object.fromEntries(Object.keys(targets).map((name) => [name, installed[name] ?? '']));
      return [{ bootId: state.value.bootId, before }, `boot id ${state.value.bootId}; plan ${versionsText(before, targets)}`];
    }
    case 'pre-hook': {
      const hook = ring.spec.preHook;
      if (hook === undefined) return [{}, 'no preHook'];
      const outcome = await runPreHook(access.transport, preHookInputOf(hook, access.sudo));
      if (outcome.outcome === 'timed-out') throw gateFailure(step, true, `preHook timed out after ${outcome.timeoutMs} ms`, hook);
      if (outcome.outcome === 'failed')
        throw gateFailure(step, false, `preHook exited ${outcome.exitCode}: ${outcome.output.slice(-300)}`, hook);
      return [{}, hook.command.join(' ')];
    }
    case 'apply': {
      const missing = missingTargets(targets, toMap(await pm.installedVersions(Object.keys(targets), options)));
      if (Object.keys(missing).length === 0) return [{}, 'already installed: nothing applied'];
      // The inventory of this pass refreshed the metadata the planner chose from: not again per host.
      const refreshed =
        passFacts?.metadataRefreshed === true ? ok(undefined) : await pm.refreshMetadata({ ...options, refreshTimeoutSeconds: 120 });
      if (!refreshed.ok)
        throw new StepFailed({ step, reason: refreshed.error.message, signal: refreshed.error.reason, retriable: true }, 'fail-host');
      const simulated = await pm.simulate(toList(missing), apply);
      if (!simulated.ok)
        throw new StepFailed(
          {
            step,
            reason: `simulation: ${simulated.error.message}`,
            signal: simulated.error.reason,
            retriable: simulated.error.reason === 'lock-timeout',
          },
          'fail-host',
        );
      const checked = checkTransaction(simulated.value, { targets: toList(missing), removes: sequence.allowedRemovals ?? [] });
      if (!checked.ok) {
        throw new StepFailed(
          {
            step,
            reason: `refused before installing anything: ${checked.error.message}`,
            signal: checked.error.violations.map((v) => `${v.kind} ${v.package}`).join(', '),
            retriable: false,
          },
          'fail-host',
        );
      }
      // Removals only when the checked simulation had some (the approval's `removes` allowed them); apt otherwise runs with --no-remove.
      const applied = await pm.apply(toList(missing), { ...apply, allowRemovals: checked.value.removals.length > 0 });
      if (!applied.ok) {
        throw new StepFailed(
          {
            step,
            reason: `${applied.error.reason}: ${applied.error.message}: ${applied.error.output.slice(-300)}`,
            signal: `exit ${applied.error.exitCode}`,
            retriable: applied.error.reason === 'lock-timeout',
          },
          'fail-host',
        );
      }
      return [{}, versionsText(sequence.before, missing)];
    }
    case 'verify': {
      const installed = await pm.installedVersions(Object.keys(targets), options);
      const verdict = verifyVersions(toList(targets), installed);
      if (!verdict.ok) {
        throw new StepFailed(
          { step, reason: `installed versions differ from the plan: ${JSON.stringify(verdict.mismatches)}`, retriable: false },
          'fail-host',
        );
      }
      return [{ after: toMap(installed) }, versionsText(sequence.before, toMap(installed))];
    }
    case 'reboot': {
      const policy = ring.spec.reboot?.policy ?? 'if-required';
      if (policy === 'never') return [{}, 'reboot policy never'];
      if (policy === 'if-required' && !(await pm.rebootRequired(options)).required) return [{}, 'no reboot required'];
      const before = sequence.intent?.bootIdBefore ?? sequence.bootId ?? (await readBootId(access.transport));
      const input = rebootInputOf(ring.spec.reboot);
      const outcome = await rebootHost(access.transport, {
        command: input.command,
        timeoutMs: input.timeoutMs,
        sudo: access.sudo,
        previousBootId: before,
        pollIntervalMs: 250,
      });
      if (outcome.outcome === 'rebooted')
        return [{ bootId: outcome.bootId, rebooted: { before, after: outcome.bootId } }, `boot id ${before} → ${outcome.bootId}`];
      if (outcome.outcome === 'timed-out')
        throw gateFailure(step, true, `no new boot id within ${input.timeoutMs} ms`, {
          onTimeout: ring.spec.reboot?.onTimeout ?? 'halt-rollout',
        });
      throw gateFailure(step, false, `reboot command exited ${outcome.exitCode}: ${outcome.output.slice(-200)}`, {
        onFailure: 'fail-host',
      });
    }
    case 'health': {
      const checks = ring.spec.healthChecks ?? [];
      const outcomes = await runHealthChecks(checks.map(healthCheckInputOf), {
        name: access.name,
        address: access.address,
        transport: access.transport,
        sudo: access.sudo,
      });
      for (const [index, outcome] of outcomes.entries()) {
        if (outcome.outcome !== 'passed')
          throw gateFailure(step, outcome.outcome === 'timed-out', `health check ${outcome.message}`, checks[index] ?? {});
      }
      return [{}, outcomes.map((outcome) => outcome.check).join(', ')];
    }
  }
}
