/**
 * Runs one host's sequence (observe → pre-hook → apply → verify → reboot → health), recording an
 * intent before every step and the outcome after it, and recovering from an intent a crash left:
 * the host is asked (installed versions, boot id) and the step is recorded as finished or redone.
 * A host that finished is never touched again; an apply never runs when the host already has the
 * target versions.
 */
import type { Approval, HealthCheck, PackageHold, Ring } from '../../core/model/generated/kinds.js';
import { parseDurationSeconds } from '../../core/model/duration.js';
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
import { hostTargets } from '../../core/rollout/host-targets.js';
import type { HostFailure, HostProgress, HostStep, RolloutHaltRecord } from '../../core/rollout/rollout-state.js';
import { versionSchemeFor } from '../../core/version/index.js';
import { isPatchwardError } from '../../errors.js';
import type { AuditEntry } from '../../edges/status/audit-log.js';
import type { GateResult, HostAgent } from './host-agent.js';

/** Where the kill-point test hook may stop the process: intent written, effect done, outcome written. */
export type BoundaryPoint = 'intent' | 'effect' | 'recorded';

export interface StepLine {
  readonly host: string;
  readonly ring: string;
  readonly step: HostStep | 'host';
  readonly outcome: string;
  readonly detail?: string;
  readonly durationMs?: number;
}

export interface HostRunContext {
  readonly rolloutId: string;
  readonly revision: string;
  readonly ring: Ring;
  readonly maxAttempts: number;
  readonly retryDelayMs: number;
  readonly approvals: readonly Approval[];
  readonly holds: readonly PackageHold[];
  readonly labels: Readonly<Record<string, string>>;
  readonly agent: HostAgent;
  readonly clock: () => Date;
  readonly save: (progress: HostProgress) => Promise<void>;
  readonly audit: (entry: Omit<AuditEntry, 'time' | 'rollout' | 'revision'>) => Promise<void>;
  readonly halt: (halt: Omit<RolloutHaltRecord, 'time'>) => Promise<void>;
  readonly print: (line: StepLine) => void;
  readonly boundary: (host: string, step: HostStep, point: BoundaryPoint) => void;
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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function versionsText(before: Readonly<Record<string, string>> = {}, after: Readonly<Record<string, string>> = {}): string {
  return Object.keys(after)
    .map((name) => `${name} ${before[name] || '(none)'}→${after[name]}`)
    .join(', ');
}

/** Transport failures (host down, connection lost, timeouts) are retriable: the host keeps its ring incomplete. */
function isReachabilityError(error: unknown): boolean {
  return isPatchwardError(error) && (error.kind === 'External' || error.kind === 'Transient');
}

export async function runHost(initial: HostProgress, context: HostRunContext): Promise<HostProgress> {
  const { agent, ring } = context;
  let progress = initial;
  const save = async (next: HostProgress) => {
    progress = next;
    await context.save(next);
  };
  const audit = (step: HostStep | 'host', outcome: string, extra: Partial<AuditEntry> = {}) =>
    context.audit({ ring: ring.metadata.name, host: progress.host, step, outcome, ...extra });

  // 1. an intent a crash left behind
  const recovery = recoveryFor(progress);
  if (
    recovery.kind === 'ask-host' &&
    recovery.step === 'apply' &&
    progress.targets !== undefined &&
    progress.packageManager !== undefined
  ) {
    try {
      const installed = await agent.installed(Object.keys(progress.targets), progress.packageManager);
      if (hasTargets(progress.targets, installed)) {
        await save(finishStep(progress, 'apply'));
        await audit('apply', 'recovered', {
          before: progress.before,
          after: installed,
          message: 'the host already has the target versions: the apply had finished before the crash',
        });
      }
    } catch {
      // unreachable: the sequence below fails it as retriable
    }
  }
  if (recovery.kind === 'ask-host' && recovery.step === 'reboot' && recovery.bootIdBefore !== undefined) {
    const bootId = await waitForBootId(agent, recovery.bootIdBefore, rebootTimeoutMs(ring), true).catch(() => undefined);
    if (bootId !== undefined && bootId !== recovery.bootIdBefore) {
      await save(finishStep(progress, 'reboot', { bootId, rebooted: { before: recovery.bootIdBefore, after: bootId } }));
      await audit('reboot', 'recovered', {
        bootIdBefore: recovery.bootIdBefore,
        bootIdAfter: bootId,
        message: 'the host came back with a new boot id after the crash',
      });
    }
  }
  if (progress.phase === 'pending') {
    await save(beginAttempt(progress, context.clock()));
    await audit('host', 'started', { message: `attempt ${progress.attempts}` });
  } else await audit('host', 'resumed', { message: `attempt ${progress.attempts}, after ${progress.done.join(', ') || 'no step'}` });

  for (let step = nextStep(progress); step !== undefined; step = nextStep(progress)) {
    const started = context.clock();
    await save(beginStep(progress, step, started, step === 'reboot' ? progress.bootId : undefined));
    if (step === 'apply' || step === 'reboot')
      await audit(step, 'started', { before: progress.before, bootIdBefore: step === 'reboot' ? progress.bootId : undefined });
    context.boundary(progress.host, step, 'intent');
    let update: Partial<HostProgress>;
    let detail: string;
    try {
      [update, detail] = await runStep(step, progress, context);
    } catch (error) {
      const failed = error instanceof StepFailed ? error : undefined;
      const failure: HostFailure = failed?.failure ?? {
        step,
        reason: (error as Error).message,
        retriable: isReachabilityError(error),
      };
      const action: Action = failed?.action ?? 'fail-host';
      if (action === 'continue') {
        await save(finishStep(progress, step));
        await audit(step, 'failed-continued', {
          signal: failure.signal,
          message: failure.reason,
          durationMs: context.clock().getTime() - started.getTime(),
        });
        context.print({
          host: progress.host,
          ring: ring.metadata.name,
          step,
          outcome: 'failed (continue)',
          detail: failure.signal ?? failure.reason,
        });
        continue;
      }
      await save(failHost(progress, failure, context.clock(), { maxAttempts: context.maxAttempts, retryDelayMs: context.retryDelayMs }));
      const outcome = progress.phase === 'pending' ? 'retry' : 'failed';
      await audit(step, outcome, {
        signal: failure.signal,
        message: failure.reason,
        durationMs: context.clock().getTime() - started.getTime(),
        before: progress.before,
      });
      context.print({ host: progress.host, ring: ring.metadata.name, step, outcome, detail: failure.signal ?? failure.reason });
      if (action === 'halt-rollout')
        await context.halt({
          ring: ring.metadata.name,
          reason: haltReason(step),
          message: `${progress.host}: ${failure.signal ?? failure.reason}`,
        });
      if (progress.phase === 'failed')
        await audit('host', 'failed', { before: progress.before, signal: failure.signal, message: failure.reason });
      return progress;
    }
    context.boundary(progress.host, step, 'effect');
    const durationMs = context.clock().getTime() - started.getTime();
    await save(finishStep(progress, step, update));
    await audit(step, update.result === 'compliant' ? 'compliant' : 'succeeded', {
      durationMs,
      ...(step === 'apply' || step === 'verify' ? { before: progress.before, after: progress.after ?? progress.targets } : {}),
      ...(step === 'reboot' && progress.rebooted !== undefined
        ? { bootIdBefore: progress.rebooted.before, bootIdAfter: progress.rebooted.after }
        : {}),
      ...(detail === '' ? {} : { message: detail }),
    });
    context.print({ host: progress.host, ring: ring.metadata.name, step, outcome: 'ok', detail, durationMs });
    context.boundary(progress.host, step, 'recorded');
    if (update.result === 'compliant') break;
  }
  await save(succeedHost(progress, context.clock()));
  await audit('host', 'succeeded', {
    before: progress.before,
    after: progress.after,
    advisories: progress.advisories,
    message: rollbackHint(progress),
  });
  context.print({
    host: progress.host,
    ring: ring.metadata.name,
    step: 'host',
    outcome: progress.result ?? 'succeeded',
    detail: rollbackHint(progress),
  });
  return progress;
}

function haltReason(step: HostStep): string {
  return (
    {
      observe: 'HostUnreachable',
      'pre-hook': 'PreHookFailed',
      apply: 'ApplyFailed',
      verify: 'VerifyFailed',
      reboot: 'RebootTimeout',
      health: 'HealthCheckFailed',
    } as const
  )[step];
}

function rollbackHint(progress: HostProgress): string {
  const before = Object.entries(progress.before ?? {}).filter(([, version]) => version !== '');
  if (before.length === 0 || progress.result === 'compliant') return '';
  return `previous versions: ${before.map(([n, v]) => `${n}=${v}`).join(' ')} (patchward rollback --state DIR ${progress.host})`;
}

function rebootTimeoutMs(ring: Ring): number {
  return (parseDurationSeconds(ring.spec.reboot?.timeout ?? '15m') ?? 900) * 1000;
}

async function waitForBootId(agent: HostAgent, before: string, timeoutMs: number, acceptSame = false): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const bootId = await agent.bootId();
      if (bootId !== '' && (bootId !== before || acceptSame)) return bootId;
    } catch {
      // still down
    }
    if (Date.now() > deadline) throw new Error(`no new boot id within ${timeoutMs} ms`);
    await sleep(250);
  }
}

function gateFailure(
  step: HostStep,
  result: Extract<GateResult, { ok: false }>,
  settings: { onTimeout?: Action; onFailure?: Action },
): StepFailed {
  const action = (result.timedOut ? settings.onTimeout : settings.onFailure) ?? 'fail-host';
  return new StepFailed({ step, reason: result.signal, signal: result.signal, retriable: false }, action);
}

async function runStep(step: HostStep, progress: HostProgress, context: HostRunContext): Promise<[Partial<HostProgress>, string]> {
  const { agent, ring } = context;
  const pm = progress.packageManager ?? 'apt';
  const targets = progress.targets ?? {};
  switch (step) {
    case 'observe':
      return observe(progress, context);
    case 'pre-hook': {
      const hook = ring.spec.preHook;
      if (hook === undefined) return [{}, 'no preHook'];
      const result = await agent.preHook(hook);
      if (!result.ok) throw gateFailure(step, result, hook);
      return [{}, hook.command.join(' ')];
    }
    case 'apply': {
      const missing = missingTargets(targets, await agent.installed(Object.keys(targets), pm));
      if (Object.keys(missing).length === 0) return [{}, 'already installed: nothing applied'];
      const simulated = await agent.simulate(missing, pm);
      const removable = new Set(hostTargets(targetInput(progress, context, [], [])).removable);
      const badRemovals = simulated.removes.filter((name) => !removable.has(name));
      const outside = simulated.installs.filter((item) =>
        targets[item.name] === undefined ? !item.isNew : targets[item.name] !== item.version,
      );
      if (badRemovals.length > 0 || outside.length > 0) {
        const reasons = [
          ...(badRemovals.length > 0 ? [`would remove ${badRemovals.join(', ')} (not in the approval's removes)`] : []),
          ...(outside.length > 0
            ? [`would install ${outside.map((item) => `${item.name} ${item.version}`).join(', ')} (outside the approved set)`]
            : []),
        ];
        throw new StepFailed(
          {
            step,
            reason: `refused before installing anything: the transaction ${reasons.join('; ')}`,
            signal: 'simulation',
            retriable: false,
          },
          'fail-host',
        );
      }
      const result = await agent.apply(missing, pm);
      if (result.exitCode !== 0) {
        throw new StepFailed(
          { step, reason: `install exited ${result.exitCode}: ${result.output}`, signal: `exit ${result.exitCode}`, retriable: false },
          'fail-host',
        );
      }
      return [{}, versionsText(progress.before, missing)];
    }
    case 'verify': {
      const installed = await agent.installed(Object.keys(targets), pm);
      const wrong = Object.entries(targets).filter(([name, version]) => installed[name] !== version);
      if (wrong.length > 0) {
        throw new StepFailed(
          {
            step,
            reason: `installed versions differ from the plan: ${wrong.map(([n, v]) => `${n} is ${installed[n] || '(none)'}, planned ${v}`).join('; ')}`,
            retriable: false,
          },
          'fail-host',
        );
      }
      return [{ after: installed }, versionsText(progress.before, installed)];
    }
    case 'reboot': {
      const settings = ring.spec.reboot ?? {};
      const policy = settings.policy ?? 'if-required';
      if (policy === 'never') return [{}, 'reboot policy never'];
      if (policy === 'if-required' && !(await agent.observe()).rebootRequired) return [{}, 'no reboot required'];
      const before = progress.intent?.bootIdBefore ?? (await agent.bootId());
      const command = (settings as { command?: string[] }).command ?? ['systemctl', 'reboot'];
      await agent.reboot(command);
      try {
        const after = await waitForBootId(agent, before, rebootTimeoutMs(ring));
        return [{ bootId: after, rebooted: { before, after } }, `boot id ${before} → ${after}`];
      } catch (error) {
        throw new StepFailed(
          { step, reason: (error as Error).message, signal: 'boot id unchanged', retriable: false },
          settings.onTimeout ?? 'halt-rollout',
        );
      }
    }
    case 'health': {
      const checks: readonly HealthCheck[] = ring.spec.healthChecks ?? [];
      for (const check of checks) {
        let result: GateResult = { ok: true };
        for (let attempt = 0; attempt <= (check.retries ?? 0); attempt += 1) {
          if (attempt > 0) await sleep((parseDurationSeconds(check.interval ?? '10s') ?? 10) * 1000);
          result = await agent.health(check);
          if (result.ok) break;
        }
        if (!result.ok) throw gateFailure(step, result, check);
      }
      return [{}, checks.map((check) => check.name).join(', ')];
    }
  }
}

function targetInput(
  progress: HostProgress,
  context: HostRunContext,
  installed: Parameters<typeof hostTargets>[0]['installed'],
  available: Parameters<typeof hostTargets>[0]['available'],
) {
  const family: 'debian' | 'rhel' = progress.packageManager === 'dnf' ? 'rhel' : 'debian';
  return {
    approvals: context.approvals,
    holds: context.holds,
    release: progress.release ?? '',
    family,
    labels: context.labels,
    installed,
    available,
    scheme: versionSchemeFor(family === 'debian' ? 'dpkg' : 'rpm'),
    now: context.clock(),
  };
}

async function observe(progress: HostProgress, context: HostRunContext): Promise<[Partial<HostProgress>, string]> {
  const observation = await context.agent.observe();
  if (!observation.packageDb.healthy) {
    throw new StepFailed(
      { step: 'observe', reason: `package database broken: ${observation.packageDb.problems.join('; ')}`, retriable: true },
      'fail-host',
    );
  }
  const known = { release: observation.os.release, packageManager: observation.packageManager, bootId: observation.bootId };
  if (progress.targets !== undefined) return [known, `boot id ${observation.bootId}`];
  const base = targetInput({ ...progress, ...known }, context, observation.packages, []);
  const approved = new Set(
    context.approvals.flatMap((approval) => approval.packages.filter((pkg) => pkg.release === base.release).map((pkg) => pkg.name)),
  );
  const candidates = observation.packages
    .filter((pkg) => approved.has(base.family === 'debian' ? (pkg.source ?? pkg.name) : pkg.name))
    .map((pkg) => pkg.name);
  const available = await context.agent.available([...new Set(candidates)], observation.packageManager);
  const planned = hostTargets({ ...base, available });
  if (planned.notOffered.length > 0) {
    throw new StepFailed(
      {
        step: 'observe',
        reason: `the repositories offer no version at or above the minimum for ${planned.notOffered.map((item) => `${item.name} >= ${item.minVersion}`).join(', ')}`,
        retriable: false,
      },
      'fail-host',
    );
  }
  const before: Record<string, string> = {};
  for (const name of Object.keys(planned.targets)) before[name] = observation.packages.find((pkg) => pkg.name === name)?.version ?? '';
  const compliant = Object.keys(planned.targets).length === 0;
  return [
    { ...known, targets: planned.targets, before, advisories: planned.advisories, ...(compliant ? { result: 'compliant' as const } : {}) },
    compliant ? 'nothing to install' : `plan ${versionsText(before, planned.targets)}`,
  ];
}
