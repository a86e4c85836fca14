/**
 * The rollout driver: `reconcileRollout(inputs, now)` does everything that can be done now for one
 * rollout (the approved baselines at a revision) and returns what happened and when to come back.
 * `patchward rollout` calls it in a loop; the long-running `patchward run` loop will call it on
 * every reconcile.
 *
 * The pure planner (`core/plan` `planRollout`) decides which hosts start, in which order, within
 * each ring's concurrency, windows, soaks and failure budget; the engine runs each started host's
 * sequence (`host-runner.ts`) and writes every change to the state store before the side effect it
 * announces: the planner's `RolloutProgress` at each host start and end, the host's own sequence
 * record at every step. Whenever a host finishes, the planner decides again. A host runs at most
 * once at a time: the store's exclusive lock keeps other processes out, `running` this one.
 */
import type { HostInventory } from '../../core/inventory/host-inventory.js';
import { planRollout } from '../../core/plan/plan-rollout.js';
import type { HostPlan, PlanPolicy, RolloutPlan } from '../../core/plan/plan-types.js';
import type { RolloutProgress, RolloutStop } from '../../core/plan/rollout-progress.js';
import { reopenAtFailure } from '../../core/rollout/host-sequence.js';
import {
  progressAttemptRefused,
  progressFinished,
  progressHalted,
  progressPaused,
  progressResumed,
  progressStarted,
} from '../../core/rollout/progress-updates.js';
import { type HostSequence, type HostStep, newHostSequence } from '../../core/rollout/rollout-state.js';
import type { AuditEntry, AuditLog } from '../../edges/status/audit-log.js';
import type { Logger } from '../../log.js';
import type { StateStore } from '../../ports/state-store.js';
import {
  type EngineDocuments,
  readCordons,
  readProgress,
  readProgressOrEmpty,
  readSequences,
  writeProgress,
  writeSequence,
} from './engine-state.js';
import { type BoundaryPoint, type HostAccess, runHost, type StepLine } from './host-runner.js';
import { latestWrite } from './latest-write.js';
import { passFactsOf } from './run-step.js';

export interface RolloutInputs {
  readonly rolloutId: string;
  readonly revision: string;
  /** The policy repository directory, recorded for `rollback`. */
  readonly source?: string;
  readonly policy: PlanPolicy;
  readonly knownExploited?: ReadonlySet<string>;
  readonly store: StateStore;
  readonly docs: EngineDocuments;
  readonly audit: AuditLog;
  /** Fresh inventories (with offered versions and boot id) of these hosts. */
  readonly inventory: (hosts: readonly string[]) => Promise<HostInventory[]>;
  readonly access: (host: string, packageManager: 'apt' | 'dnf') => HostAccess;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly retryDelayMs: number;
  readonly print?: (line: StepLine) => void;
  /** Test hook (kill-point test): called at every step boundary of every host. */
  readonly boundary?: (host: string, step: HostStep | 'host', point: BoundaryPoint) => void;
}

export interface RolloutOutcome {
  readonly id: string;
  readonly plan: RolloutPlan;
  readonly progress: RolloutProgress;
  /** When to come back (soak end, window opening, retry back-off); absent when nothing will change by itself. */
  readonly requeueAfterMs?: number;
}

function hostPlanOf(plan: RolloutPlan, host: string): HostPlan | undefined {
  for (const ring of plan.rings) for (const entry of ring.hosts) if (entry.host === host) return entry;
  return undefined;
}

export async function reconcileRollout(inputs: RolloutInputs, now: Date): Promise<RolloutOutcome> {
  const { store, docs, rolloutId: id } = inputs;
  const logger = inputs.logger.child({ rollout: id, revision: inputs.revision });
  const auditEntry = (entry: Omit<AuditEntry, 'time' | 'rollout' | 'revision'>) =>
    inputs.audit.append({ time: inputs.clock().toISOString(), rollout: id, revision: inputs.revision, ...entry }).then(() => undefined);
  // The fleet's inventory (a metadata refresh and a read on every host: the longest wait of a pass)
  // is asked first and runs while the rollout's own records are read and written. It changes no
  // package on a host, so it needs no record before it.
  const inventoryAsked = inputs.inventory(inputs.policy.hosts.map((host) => host.name));
  // Awaited below; a failure reading the records first must not leave it as an unhandled rejection.
  inventoryAsked.catch(() => undefined);
  const existing = await readProgress(store, docs, id);
  let progress = existing ?? (await readProgressOrEmpty(store, docs, id, inputs.revision));
  // Coalesced: hosts that finish while the progress is being written share the next write.
  const progressWrites = latestWrite(() => writeProgress(store, docs, progress));
  const saveProgress = (next: RolloutProgress): Promise<void> => {
    progress = next;
    return progressWrites.request();
  };
  if (existing === undefined) {
    await saveProgress({ ...progress, startedAt: now.toISOString() });
    await auditEntry({
      step: 'rollout',
      outcome: 'created',
      message: `rings ${inputs.policy.rings.map((ring) => ring.metadata.name).join(', ')}`,
    });
  }
  const sequences = await readSequences(store, docs, id);
  const cordons = await readCordons(store, docs);
  let inventory = await inventoryAsked;
  const running = new Map<string, Promise<void>>();
  const askedAfresh = new Set<string>();
  // Hosts whose sequence already started from this pass's inventory: a later attempt reads the host itself.
  const startedFromInventory = new Set<string>();
  let plan: RolloutPlan;
  let ran = false;
  for (;;) {
    const at = inputs.clock();
    plan = planRollout(
      {
        policy: inputs.policy,
        inventory,
        progress,
        cordons,
        ...(inputs.knownExploited === undefined ? {} : { knownExploited: inputs.knownExploited }),
      },
      at,
    );
    if (plan.halt !== undefined && progress.halted === undefined) {
      const stop: RolloutStop = {
        at: at.toISOString(),
        reason: `FailureBudgetExceeded: ${plan.halt.reason}`,
        ring: plan.halt.ring,
        by: 'patchward',
      };
      await saveProgress(progressHalted(progress, stop));
      await auditEntry({
        ring: plan.halt.ring,
        step: 'rollout',
        outcome: 'halted',
        signal: 'FailureBudgetExceeded',
        message: plan.halt.reason,
      });
      logger.warn({ ring: plan.halt.ring, reason: plan.halt.reason }, 'rollout halted');
      continue;
    }
    for (const ring of plan.rings) {
      if (ring.phase === 'complete' && ring.completedAt !== undefined && progress.rings[ring.name]?.completedAt === undefined) {
        await saveProgress({ ...progress, rings: { ...progress.rings, [ring.name]: { completedAt: ring.completedAt } } });
      }
    }
    let replan = false;
    // Hosts this pass starts: recorded as started in ONE durable progress write, then launched. One
    // awaited write per host made the 50th host of a ring wait for 49 writes of the whole progress
    // document before it could begin (bench/rollout: starts spread over ~10 s at 50 hosts).
    const launches: (() => void)[] = [];
    for (const start of plan.start) {
      if (running.has(start.host)) continue;
      const hostPlan = hostPlanOf(plan, start.host);
      if (start.block !== undefined && !start.resume) {
        // The inventory says the host cannot run: ask it afresh; the attempt counts when it still cannot.
        if (!askedAfresh.has(start.host) && start.block.kind !== 'no-candidate') {
          askedAfresh.add(start.host);
          const fresh = await inputs.inventory([start.host]);
          inventory = [...inventory.filter((item) => item.host !== start.host), ...fresh];
          if (fresh.every((item) => item.status === 'ok' && item.packageDb?.healthy !== false)) {
            replan = true;
            continue;
          }
        }
        await saveProgress(
          progressAttemptRefused(progress, start.host, start.attempt, start.block.detail, inputs.clock(), inputs.retryDelayMs),
        );
        await auditEntry({
          ring: start.ring,
          host: start.host,
          step: 'observe',
          outcome: 'retry',
          signal: start.block.kind,
          message: start.block.detail,
        });
        inputs.print?.({ host: start.host, ring: start.ring, step: 'observe', outcome: 'retry', detail: start.block.detail });
        continue;
      }
      const packageManager = hostPlan?.packageManager ?? sequences[start.host]?.packageManager;
      let sequence = sequences[start.host] ?? newHostSequence(id, start.host, start.ring);
      if (!start.resume || sequence.targets === undefined) {
        const packages = hostPlan?.packages ?? [];
        sequence = {
          ...sequence,
          ...(packageManager === undefined ? {} : { packageManager }),
          targets: Object.fromEntries(packages.map((change) => [change.name, change.to])),
          allowedRemovals: hostPlan?.allowedRemovals ?? [],
          advisories: [...new Set(packages.flatMap((change) => change.advisories))].sort(),
          ...(inputs.source === undefined ? {} : { source: inputs.source }),
        };
      }
      if (start.resume && (sequence.phase === 'succeeded' || sequence.phase === 'failed' || sequence.phase === 'retryable')) {
        // The host's sequence had ended but the crash came before the rollout's progress said so.
        await saveProgress(progressFinished(progress, sequence, inputs.clock(), inputs.retryDelayMs));
        await auditEntry({
          ring: start.ring,
          host: start.host,
          step: 'host',
          outcome: 'recovered',
          message: `the sequence had ended ${sequence.phase} before the crash`,
        });
        replan = true;
        continue;
      }
      if (packageManager === undefined) continue;
      const started = { ...sequence, attempts: start.attempt, ...(start.resume ? {} : { startedAt: inputs.clock().toISOString() }) };
      progress = progressStarted(progress, started, inputs.clock());
      ran = true;
      const host = start.host;
      const passFacts = start.resume || startedFromInventory.has(host) ? undefined : passFactsOf(inventory, host, inputs.clock());
      if (passFacts !== undefined) startedFromInventory.add(host);
      launches.push(() => {
        const task = runHost(
          sequence,
          { attempt: start.attempt, resume: start.resume, ...(passFacts === undefined ? {} : { passFacts }) },
          {
            ring:
              inputs.policy.rings.find((ring) => ring.metadata.name === start.ring) ??
              (inputs.policy.rings[0] as PlanPolicy['rings'][number]),
            access: inputs.access(host, packageManager),
            clock: inputs.clock,
            save: async (next) => {
              sequences[host] = next;
              await writeSequence(store, docs, next);
            },
            audit: auditEntry,
            halt: async (reason, message) => {
              await saveProgress(
                progressHalted(progress, {
                  at: inputs.clock().toISOString(),
                  reason: `${reason}: ${message}`,
                  ring: start.ring,
                  host,
                  by: 'patchward',
                }),
              );
              await auditEntry({ ring: start.ring, host, step: 'rollout', outcome: 'halted', signal: reason, message });
            },
            print: inputs.print ?? (() => undefined),
            boundary: inputs.boundary ?? (() => undefined),
          },
        )
          .then((finished) => saveProgress(progressFinished(progress, finished, inputs.clock(), inputs.retryDelayMs)))
          .catch((error: unknown) => {
            logger.error({ host, err: error }, 'host sequence failed unexpectedly');
          })
          .finally(() => running.delete(host));
        running.set(host, task);
      });
    }
    if (launches.length > 0) {
      await saveProgress(progress);
      for (const launch of launches) launch();
    }
    if (replan) continue;
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  await progressWrites.settled();
  if (plan.state === 'complete' && ran) await auditEntry({ step: 'rollout', outcome: 'completed', message: plan.summary });
  const waitMs = plan.nextAt === undefined ? undefined : Math.max(0, Date.parse(plan.nextAt) - inputs.clock().getTime());
  return { id, plan, progress, ...(plan.state === 'waiting' && waitMs !== undefined ? { requeueAfterMs: waitMs } : {}) };
}

/** `patchward resume`: clears a halt or pause; hosts the halted ring failed reopen at their failed step. */
export async function resumeRollout(
  store: StateStore,
  docs: EngineDocuments,
  audit: AuditLog,
  id: string,
  now: Date,
): Promise<RolloutProgress | undefined> {
  const progress = await readProgress(store, docs, id);
  if (progress === undefined) return undefined;
  const ring = progress.halted?.ring;
  const reopened: HostSequence[] = [];
  if (ring !== undefined) {
    for (const sequence of Object.values(await readSequences(store, docs, id))) {
      if (sequence.ring !== ring || sequence.phase !== 'failed') continue;
      const next = reopenAtFailure(sequence);
      await writeSequence(store, docs, next);
      reopened.push(sequence);
    }
  }
  const resumed = progressResumed(progress, reopened);
  await writeProgress(store, docs, resumed);
  const was =
    progress.halted !== undefined ? `was halted: ${progress.halted.reason}` : progress.paused !== undefined ? 'was paused' : 'was running';
  await audit.append({
    time: now.toISOString(),
    rollout: id,
    revision: progress.revision,
    step: 'rollout',
    outcome: 'resumed',
    message: `${was}; reopened ${reopened.map((s) => s.host).join(', ') || 'no host'}`,
  });
  return resumed;
}

export async function pauseRollout(
  store: StateStore,
  docs: EngineDocuments,
  audit: AuditLog,
  id: string,
  reason: string,
  now: Date,
): Promise<RolloutProgress | undefined> {
  const progress = await readProgress(store, docs, id);
  if (progress === undefined) return undefined;
  const paused = progressPaused(progress, { at: now.toISOString(), reason, by: 'patchward pause' });
  await writeProgress(store, docs, paused);
  await audit.append({
    time: now.toISOString(),
    rollout: id,
    revision: progress.revision,
    step: 'rollout',
    outcome: 'paused',
    message: reason,
  });
  return paused;
}
