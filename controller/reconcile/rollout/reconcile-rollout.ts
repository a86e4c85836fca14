/**
 * The rollout driver: `reconcileRollout(inputs, now)` does everything that can be done now for one
 * rollout (a baseline at a revision) and returns what happened and when to come back. `patchward
 * rollout` calls it in a loop; the long-running `patchward run` loop will call it on every reconcile.
 *
 * Within one call, host sequences run concurrently up to each ring's `maxConcurrent`; whenever one
 * finishes, the pure scheduler (`core/rollout/schedule-rollout.ts`) decides again. Every change is
 * written to the state store before the side effect it announces; a host runs at most once at a
 * time (the store's exclusive lock keeps other processes out, `running` keeps this one honest).
 */
import type { Approval, PackageHold, Ring } from '../../core/model/generated/kinds.js';
import { rearmHost } from '../../core/rollout/host-sequence.js';
import {
  type HostProgress,
  type HostStep,
  newHostProgress,
  newRollout,
  type RolloutRecord,
  rolloutIdOf,
} from '../../core/rollout/rollout-state.js';
import {
  type RingPlan,
  type RolloutPhase,
  type ScheduleDecision,
  scheduleRollout,
  type WindowGate,
} from '../../core/rollout/schedule-rollout.js';
import type { AuditLog } from '../../edges/status/audit-log.js';
import type { Logger } from '../../log.js';
import type { HostAgent } from './host-agent.js';
import { type BoundaryPoint, runHost, type StepLine } from './host-runner.js';
import { readCordons, readHosts, readRollout, type RolloutStateStore, writeHost, writeRollout } from './rollout-store.js';

export interface RolloutInputs {
  readonly baseline: string;
  readonly revision: string;
  /** The policy repository directory, recorded for `rollback`. */
  readonly source?: string;
  readonly approvals: readonly Approval[];
  readonly holds: readonly PackageHold[];
  readonly rings: readonly { readonly plan: RingPlan; readonly ring: Ring }[];
  readonly labels: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly store: RolloutStateStore;
  readonly audit: AuditLog;
  readonly agentFor: (host: string) => HostAgent;
  readonly gates: (now: Date) => Record<string, WindowGate>;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly retryDelayMs: number;
  readonly print?: (line: StepLine) => void;
  /** Test hook (kill-point test): called at every step boundary of every host. */
  readonly boundary?: (host: string, step: HostStep, point: BoundaryPoint) => void;
}

export interface RolloutOutcome {
  readonly id: string;
  readonly phase: RolloutPhase;
  readonly reason: string;
  readonly currentRing?: string;
  /** When to come back (soak end, window opening, retry); undefined when complete, halted or paused. */
  readonly requeueAfterMs?: number;
  readonly hosts: Readonly<Record<string, HostProgress>>;
  readonly rollout: RolloutRecord;
  readonly leftOut: ScheduleDecision['leftOut'];
  /** Ring → its hosts (as planned for this revision). */
  readonly ringHosts: Readonly<Record<string, readonly string[]>>;
}

export async function reconcileRollout(inputs: RolloutInputs, now: Date): Promise<RolloutOutcome> {
  const id = rolloutIdOf(inputs.baseline, inputs.revision);
  const logger = inputs.logger.child({ rollout: id, revision: inputs.revision });
  const { store } = inputs;
  const created = newRollout(
    inputs.baseline,
    inputs.revision,
    inputs.rings.map((entry) => entry.plan.name),
    now,
  );
  let rollout = (await readRollout(store, id)) ?? (inputs.source === undefined ? created : { ...created, source: inputs.source });
  const hosts: Record<string, HostProgress> = await readHosts(store, id);
  const cordoned = new Set(Object.keys((await readCordons(store)).hosts));
  const running = new Map<string, Promise<void>>();
  const ringOf = new Map(inputs.rings.flatMap((entry) => entry.plan.hosts.map((host) => [host, entry] as const)));
  let rolloutWrites: Promise<void> = Promise.resolve();
  const saveRollout = (next: RolloutRecord) => {
    rollout = next;
    rolloutWrites = rolloutWrites.then(() => writeRollout(store, next));
    return rolloutWrites;
  };
  const auditEntry = (entry: Parameters<AuditLog['append']>[0]) => inputs.audit.append(entry).then(() => undefined);
  if ((await readRollout(store, id)) === undefined) {
    await saveRollout(rollout);
    await auditEntry({
      time: now.toISOString(),
      rollout: id,
      revision: inputs.revision,
      step: 'rollout',
      outcome: 'created',
      message: `rings ${rollout.rings.join(', ')}`,
    });
  }

  let decision: ScheduleDecision;
  for (;;) {
    const at = inputs.clock();
    decision = scheduleRollout({
      rollout,
      rings: inputs.rings.map((entry) => entry.plan),
      hosts,
      cordoned,
      running: new Set(running.keys()),
      gates: inputs.gates(at),
      now: at,
    });
    if (decision.rollout !== rollout) {
      const halted = decision.rollout.halt !== undefined && rollout.halt === undefined;
      const completed = decision.rollout.completedAt !== undefined && rollout.completedAt === undefined;
      await saveRollout(decision.rollout);
      if (halted) {
        const halt = decision.rollout.halt;
        await auditEntry({
          time: at.toISOString(),
          rollout: id,
          revision: inputs.revision,
          ring: halt?.ring,
          step: 'rollout',
          outcome: 'halted',
          signal: halt?.reason,
          message: halt?.message,
        });
        logger.warn({ ring: halt?.ring, reason: halt?.reason }, 'rollout halted');
      }
      if (completed)
        await auditEntry({ time: at.toISOString(), rollout: id, revision: inputs.revision, step: 'rollout', outcome: 'completed' });
    }
    for (const host of decision.start) {
      if (running.has(host)) continue;
      const entry = ringOf.get(host);
      if (entry === undefined) continue;
      const progress = hosts[host] ?? newHostProgress(host, entry.plan.name);
      const task = runHost(progress, {
        rolloutId: id,
        revision: inputs.revision,
        ring: entry.ring,
        maxAttempts: entry.plan.maxAttempts,
        retryDelayMs: inputs.retryDelayMs,
        approvals: inputs.approvals,
        holds: inputs.holds,
        labels: inputs.labels[host] ?? {},
        agent: inputs.agentFor(host),
        clock: inputs.clock,
        save: async (next) => {
          hosts[host] = next;
          await writeHost(store, id, next);
        },
        audit: (audited) => auditEntry({ time: inputs.clock().toISOString(), rollout: id, revision: inputs.revision, ...audited }),
        halt: async (halt) => {
          if (rollout.halt !== undefined) return;
          await saveRollout({ ...rollout, halt: { ...halt, time: inputs.clock().toISOString() } });
          await auditEntry({
            time: inputs.clock().toISOString(),
            rollout: id,
            revision: inputs.revision,
            ring: halt.ring,
            step: 'rollout',
            outcome: 'halted',
            signal: halt.reason,
            message: halt.message,
          });
        },
        print: inputs.print ?? (() => undefined),
        boundary: inputs.boundary ?? (() => undefined),
      })
        .then(() => undefined)
        .catch((error: unknown) => {
          logger.error({ host, err: error }, 'host sequence failed unexpectedly');
        })
        .finally(() => running.delete(host));
      running.set(host, task);
    }
    if (running.size === 0) break;
    await Promise.race(running.values());
  }
  await rolloutWrites;
  const waitMs = decision.waitUntil === undefined ? undefined : Math.max(0, Date.parse(decision.waitUntil) - inputs.clock().getTime());
  return {
    id,
    phase: decision.phase,
    reason: decision.reason,
    ...(decision.currentRing === undefined ? {} : { currentRing: decision.currentRing }),
    ...(decision.phase === 'waiting' ? { requeueAfterMs: waitMs ?? 30_000 } : {}),
    hosts,
    rollout,
    leftOut: decision.leftOut,
    ringHosts: Object.fromEntries(inputs.rings.map((entry) => [entry.plan.name, entry.plan.hosts])),
  };
}

/** `patchward resume`: clears a halt or pause; failed hosts of the halted ring get fresh attempts. */
export async function resumeRollout(store: RolloutStateStore, audit: AuditLog, id: string, now: Date): Promise<RolloutRecord | undefined> {
  const rollout = await readRollout(store, id);
  if (rollout === undefined) return undefined;
  const ring = rollout.halt?.ring;
  if (ring !== undefined) {
    for (const progress of Object.values(await readHosts(store, id))) {
      if (progress.ring === ring && progress.phase === 'failed') await writeHost(store, id, rearmHost(progress));
    }
  }
  const { halt, pause, ...rest } = rollout;
  await writeRollout(store, rest);
  await audit.append({
    time: now.toISOString(),
    rollout: id,
    revision: rollout.revision,
    step: 'rollout',
    outcome: 'resumed',
    message: halt !== undefined ? `was halted: ${halt.reason}` : pause !== undefined ? 'was paused' : 'was running',
  });
  return rest;
}

export async function pauseRollout(
  store: RolloutStateStore,
  audit: AuditLog,
  id: string,
  reason: string,
  now: Date,
): Promise<RolloutRecord | undefined> {
  const rollout = await readRollout(store, id);
  if (rollout === undefined) return undefined;
  const paused = { ...rollout, pause: { time: now.toISOString(), reason } };
  await writeRollout(store, paused);
  await audit.append({
    time: now.toISOString(),
    rollout: id,
    revision: rollout.revision,
    step: 'rollout',
    outcome: 'paused',
    message: reason,
  });
  return paused;
}
