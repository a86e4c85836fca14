/**
 * One step of a host's sequence against the host (the `hostseq` edges): what `runHost` in
 * `host-runner.ts` calls between the intent record and the outcome record. A step either returns
 * the sequence's update and a line of detail or throws `StepFailed` with the failure and what the
 * Ring says to do about it.
 */
import type { HostInventory, RebootState } from '../../core/inventory/host-inventory.js';
import { missingTargets } from '../../core/rollout/host-sequence.js';
import type { HostFailure, HostSequence, HostStep } from '../../core/rollout/rollout-state.js';
import { checkTransaction, type PackageVersion, verifyVersions } from '../../core/transaction/index.js';
import { runHealthChecks } from '../../edges/health/index.js';
import { healthCheckInputOf, preHookInputOf, rebootHost, rebootInputOf, runPreHook } from '../../edges/host-steps/index.js';
import { ok } from '../../errors.js';
import type { ApplyOptions, HostFacts } from '../../ports/package-manager.js';
import type { Transport } from '../../ports/transport.js';
import type { HostRunContext } from './host-runner.js';

/**
 * What the planner's inventory saw on the host in this pass, handed to the host's first attempt in
 * the pass so that `observe` need not ask the host again for the same facts (a second facts script
 * per host), and `apply` need not refresh metadata the inventory has just refreshed. Only a
 * healthy, recent snapshot qualifies (`passFactsOf` below).
 */
export interface PassFacts {
  readonly collectedAt: string;
  readonly bootId: string;
  readonly packages: readonly PackageVersion[];
  /** The inventory's metadata refresh succeeded. */
  readonly metadataRefreshed: boolean;
}

/** How old the planner's inventory of a host may be for its host sequence to start from it. */
export const PASS_FACTS_MAX_AGE_MS = 60_000;

/**
 * The inventory snapshot a host's first attempt in this pass may start from instead of reading the
 * host again: collected in this pass, at most `PASS_FACTS_MAX_AGE_MS` ago, healthy (no lock held,
 * no broken package), with a boot id. Otherwise `observe` asks the host.
 */
export function passFactsOf(inventory: readonly HostInventory[], host: string, now: Date): PassFacts | undefined {
  const item = inventory.find((entry) => entry.host === host);
  if (item === undefined || item.status !== 'ok' || item.bootId === undefined || item.packages === undefined) return undefined;
  if (item.packageDb?.healthy !== true) return undefined;
  const age = now.getTime() - Date.parse(item.collectedAt);
  if (!(age >= 0 && age <= PASS_FACTS_MAX_AGE_MS)) return undefined;
  return {
    collectedAt: item.collectedAt,
    bootId: item.bootId,
    packages: item.packages.map((pkg) => ({ name: pkg.name, version: pkg.version })),
    metadataRefreshed: item.metadataRefreshed === true,
  };
}

/** What one run of a host's steps carries from step to step (never stored: a crash loses it and the steps ask the host). */
export interface StepMemo {
  readonly passFacts?: PassFacts;
  /**
   * The targets' installed versions as `observe` read them in this run (from the host, or the pass's
   * inventory): `apply` decides from them what is missing instead of asking again. Dropped when a
   * preHook ran in between (it may have changed packages).
   */
  observed?: Readonly<Record<string, string>>;
  /** The facts the apply's own remote call read right after the install: what `verify` checks. */
  afterApply?: HostFacts;
  /** The verify step's answer to "does the host ask for a reboot?", read in the same remote call as the versions. */
  reboot?: RebootState;
}

export type Action = 'fail-host' | 'halt-rollout' | 'continue';

export class StepFailed extends Error {
  constructor(
    readonly failure: HostFailure,
    readonly action: Action,
  ) {
    super(failure.reason);
  }
}

export const LOCK_SECONDS = 120;

export function toMap(versions: readonly PackageVersion[]): Record<string, string> {
  return Object.fromEntries(versions.map((item) => [item.name, item.version]));
}

export function toList(map: Readonly<Record<string, string>>): PackageVersion[] {
  return Object.entries(map).map(([name, version]) => ({ name, version }));
}

export function versionsText(before: Readonly<Record<string, string>> = {}, after: Readonly<Record<string, string>> = {}): string {
  return Object.keys(after)
    .map((name) => `${name} ${before[name] || '(none)'}→${after[name]}`)
    .join(', ');
}

/**
 * The targets' installed versions as the facts script lists them; a target the package database
 * names in a problem (half-configured, unpacked, needs reinstallation) is not "installed at" its
 * version, as in `installedVersions`.
 */
export function versionsOfFacts(names: readonly string[], facts: HostFacts): PackageVersion[] {
  const wanted = new Set(names);
  const unfinished = new Map(
    facts.packageDb.problems.flatMap((problem) => (problem.package === undefined ? [] : [[problem.package, problem.kind]])),
  );
  return facts.packages
    .filter((pkg) => wanted.has(pkg.name))
    .map((pkg) => {
      const problem = unfinished.get(pkg.name);
      return { name: pkg.name, version: problem === undefined ? pkg.version : `${pkg.version} (${problem})` };
    });
}

export async function readBootId(transport: Transport): Promise<string> {
  return (await transport.run(['cat', '/proc/sys/kernel/random/boot_id'], { timeoutMs: 20_000 })).stdout.trim();
}

function gateFailure(step: HostStep, timedOut: boolean, signal: string, settings: { onTimeout?: Action; onFailure?: Action }): StepFailed {
  const action = (timedOut ? settings.onTimeout : settings.onFailure) ?? 'fail-host';
  return new StepFailed({ step, reason: signal, signal, retriable: false }, action);
}

export async function runStep(
  step: HostStep,
  sequence: HostSequence,
  context: HostRunContext,
  memo: StepMemo,
): Promise<[Partial<HostSequence>, string]> {
  const { passFacts } = memo;
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
        memo.observed = installed;
        return [
          { bootId: passFacts.bootId, before },
          `boot id ${passFacts.bootId} (inventory of this pass, ${passFacts.collectedAt}); plan ${versionsText(before, targets)}`,
        ];
      }
      const state = await pm.readState({ ...options, lockWaitSeconds: LOCK_SECONDS });
      if (!state.ok) throw new StepFailed({ step, reason: state.error.message, signal: state.error.reason, retriable: true }, 'fail-host');
      const installed = Object.fromEntries(state.value.packages.map((pkg) => [pkg.name, pkg.version]));
      const before = sequence.before ?? Object.fromEntries(Object.keys(targets).map((name) => [name, installed[name] ?? '']));
      memo.observed = installed;
      return [{ bootId: state.value.bootId, before }, `boot id ${state.value.bootId}; plan ${versionsText(before, targets)}`];
    }
    case 'pre-hook': {
      const hook = ring.spec.preHook;
      if (hook === undefined) return [{}, 'no preHook'];
      memo.observed = undefined;
      const outcome = await runPreHook(access.transport, preHookInputOf(hook, access.sudo));
      if (outcome.outcome === 'timed-out') throw gateFailure(step, true, `preHook timed out after ${outcome.timeoutMs} ms`, hook);
      if (outcome.outcome === 'failed')
        throw gateFailure(step, false, `preHook exited ${outcome.exitCode}: ${outcome.output.slice(-300)}`, hook);
      return [{}, hook.command.join(' ')];
    }
    case 'apply': {
      const installed = memo.observed ?? toMap(await pm.installedVersions(Object.keys(targets), options));
      const missing = missingTargets(targets, installed);
      if (Object.keys(missing).length === 0) return [{}, 'already installed: nothing applied'];
      // The inventory of this pass refreshed the metadata the planner chose from: not again per host.
      const refreshed =
        passFacts?.metadataRefreshed === true ? ok(undefined) : await pm.refreshMetadata({ ...options, refreshTimeoutSeconds: 120 });
      if (!refreshed.ok)
        throw new StepFailed({ step, reason: refreshed.error.message, signal: refreshed.error.reason, retriable: true }, 'fail-host');
      // The transaction is checked before anything is installed: apt shows it from inside the one
      // apt run that installs it (no verdict, no install); dnf simulates it first.
      const removes = sequence.allowedRemovals ?? [];
      let verdict: ReturnType<typeof checkTransaction> | undefined;
      const outcome = await pm.checkedApply(toList(missing), apply, (transaction) => {
        verdict = checkTransaction(transaction, { targets: toList(missing), removes });
        return verdict.ok;
      });
      if (outcome.kind === 'refused' && verdict !== undefined && !verdict.ok) {
        throw new StepFailed(
          {
            step,
            reason: `refused before installing anything: ${verdict.error.message}`,
            signal: verdict.error.violations.map((v) => `${v.kind} ${v.package}`).join(', '),
            retriable: false,
          },
          'fail-host',
        );
      }
      if (outcome.kind === 'failed') {
        const failure = outcome.failure;
        if (outcome.stage === 'simulation')
          throw new StepFailed(
            { step, reason: `simulation: ${failure.message}`, signal: failure.reason, retriable: failure.reason === 'lock-timeout' },
            'fail-host',
          );
        throw new StepFailed(
          {
            step,
            reason: `${failure.reason}: ${failure.message}: ${failure.output.slice(-300)}`,
            signal: `exit ${failure.exitCode}`,
            retriable: failure.reason === 'lock-timeout',
          },
          'fail-host',
        );
      }
      if (outcome.kind !== 'applied') throw new Error('unreachable: a refusal without a verdict');
      if (outcome.outcome.after !== undefined) memo.afterApply = outcome.outcome.after;
      return [{}, versionsText(sequence.before, missing)];
    }
    case 'verify': {
      const names = Object.keys(targets);
      let installed: readonly PackageVersion[];
      let bootId: Partial<HostSequence> = {};
      const after = memo.afterApply;
      if (after !== undefined) {
        // The apply's own remote call read the package database (and the reboot signals) right after the install.
        installed = versionsOfFacts(names, after);
        memo.reboot = after.reboot;
        if (after.bootId !== '') bootId = { bootId: after.bootId };
      } else if ((ring.spec.reboot?.policy ?? 'if-required') === 'if-required') {
        // ONE remote call (the facts script) answers both: the installed versions and whether the
        // host now asks for a reboot (reboot-required file, newer kernel); the reboot step uses it.
        const facts = await pm.collectFacts({ pendingUpgrades: false, refresh: false, ...options });
        installed = versionsOfFacts(names, facts);
        memo.reboot = facts.reboot;
        if (facts.bootId !== '') bootId = { bootId: facts.bootId };
      } else {
        installed = await pm.installedVersions(names, options);
      }
      const verdict = verifyVersions(toList(targets), installed);
      if (!verdict.ok) {
        throw new StepFailed(
          { step, reason: `installed versions differ from the plan: ${JSON.stringify(verdict.mismatches)}`, retriable: false },
          'fail-host',
        );
      }
      return [{ after: toMap(installed), ...bootId }, versionsText(sequence.before, toMap(installed))];
    }
    case 'reboot': {
      const policy = ring.spec.reboot?.policy ?? 'if-required';
      if (policy === 'never') return [{}, 'reboot policy never'];
      if (policy === 'if-required' && !(memo.reboot ?? (await pm.rebootRequired(options))).required) return [{}, 'no reboot required'];
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
