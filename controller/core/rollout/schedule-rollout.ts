/**
 * Which hosts start now, and whether the rollout waits, halts or is complete. Pure: the window
 * gates and `now` are inputs. The rules (DESIGN.md "Rollout rules", issue 10):
 * - rings in order; ring N+1 only after ring N is complete and its soak time has passed;
 * - never more than the ring's `maxConcurrent` hosts in progress; hosts in progress (a crash left
 *   them so) first, then the rest in a stable order (by name);
 * - a host already started finishes its sequence; no new host starts outside an open window (or
 *   after its cutoff);
 * - a ring whose failures exceed its `failureBudget` halts the rollout; a halt or a pause stays
 *   until `resume`;
 * - a host that is down or whose package database is broken is not left out: it keeps its ring
 *   incomplete until it succeeds or runs out of attempts (then it counts as failed).
 */
import type { Ring } from '../model/generated/kinds.js';
import { parseDurationSeconds } from '../model/duration.js';
import { matchesSelector } from '../model/selector.js';
import type { HostProgress, RolloutHaltRecord, RolloutRecord } from './rollout-state.js';
import { isTerminal, newHostProgress } from './rollout-state.js';

export const DEFAULT_MAX_ATTEMPTS = 3;

/** Whether a ring may start a new host now, and when it next may. */
export interface WindowGate {
  readonly canStart: boolean;
  /** Next instant a host may start (next opening), when known. */
  readonly opensAt?: string;
  readonly reason?: string;
}

export interface RingPlan {
  readonly name: string;
  /** Host names, sorted: the stable order. */
  readonly hosts: readonly string[];
  readonly maxConcurrent: number;
  readonly failureBudget: number;
  readonly soakMs: number;
  readonly maxAttempts: number;
}

/** A count, or a percentage of `size` rounded down; `minimum` at least. */
export function countOrPercent(value: number | string | undefined, size: number, fallback: number, minimum: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return Math.max(minimum, value);
  const match = /^([0-9]+)%$/.exec(value);
  if (match === null) return Math.max(minimum, Number(value) || fallback);
  return Math.max(minimum, Math.floor((Number(match[1]) * size) / 100));
}

/** The ring's plan over the resolved hosts (name + labels). */
export function ringPlanOf(
  ring: Ring,
  hosts: readonly { readonly name: string; readonly labels: Readonly<Record<string, string>> }[],
): RingPlan {
  const members = hosts
    .filter((host) => matchesSelector(ring.spec.selector, host.labels))
    .map((host) => host.name)
    .sort();
  const spec = ring.spec as Ring['spec'] & { readonly maxAttempts?: number };
  return {
    name: ring.metadata.name,
    hosts: members,
    maxConcurrent: countOrPercent(ring.spec.maxConcurrent, members.length, 1, 1),
    failureBudget: countOrPercent(ring.spec.failureBudget, members.length, 0, 0),
    soakMs: (parseDurationSeconds(ring.spec.soakTime ?? '0s') ?? 0) * 1000,
    maxAttempts: spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
  };
}

export type RolloutPhase = 'progressing' | 'waiting' | 'halted' | 'paused' | 'complete';

export interface ScheduleInput {
  readonly rollout: RolloutRecord;
  readonly rings: readonly RingPlan[];
  readonly hosts: Readonly<Record<string, HostProgress>>;
  readonly cordoned: ReadonlySet<string>;
  /** Hosts whose sequence runs right now in this process. */
  readonly running: ReadonlySet<string>;
  readonly gates: Readonly<Record<string, WindowGate>>;
  readonly now: Date;
}

export interface ScheduleDecision {
  /** The rollout record to store (ring start/completion times, a new halt, completion). */
  readonly rollout: RolloutRecord;
  readonly phase: RolloutPhase;
  /** Hosts to run now: in-progress ones first (resume), then new ones. */
  readonly start: readonly string[];
  readonly currentRing?: string;
  /** When something may change without a host finishing (soak end, window opening, retry). */
  readonly waitUntil?: string;
  readonly reason: string;
  /** Hosts left out, with the reason (cordoned). */
  readonly leftOut: readonly { readonly host: string; readonly reason: string }[];
}

function progressOf(hosts: Readonly<Record<string, HostProgress>>, name: string, ring: string): HostProgress {
  return hosts[name] ?? newHostProgress(name, ring);
}

function earliest(...instants: (string | undefined)[]): string | undefined {
  return instants.filter((value): value is string => value !== undefined).sort()[0];
}

export function scheduleRollout(input: ScheduleInput): ScheduleDecision {
  const { now, running } = input;
  let rollout = input.rollout;
  const leftOut: { host: string; reason: string }[] = [];
  const decide = (phase: RolloutPhase, reason: string, extra: Partial<ScheduleDecision> = {}): ScheduleDecision => ({
    rollout,
    phase,
    start: [],
    reason,
    leftOut,
    ...extra,
  });
  // A paused or halted rollout starts nothing (hosts running now finish their sequence).
  if (rollout.halt !== undefined)
    return decide('halted', `halted: ${rollout.halt.reason}: ${rollout.halt.message}`, { currentRing: rollout.halt.ring ?? '' });
  if (rollout.pause !== undefined) return decide('paused', `paused: ${rollout.pause.reason}`);
  for (const [index, ring] of input.rings.entries()) {
    const members = ring.hosts.filter((name) => {
      const progress = input.hosts[name];
      const keep = !input.cordoned.has(name) || progress?.phase === 'in-progress' || running.has(name);
      if (!keep) leftOut.push({ host: name, reason: 'cordoned' });
      return keep;
    });
    const progresses = members.map((name) => progressOf(input.hosts, name, ring.name));
    const failed = progresses.filter((progress) => progress.phase === 'failed');
    if (failed.length > ring.failureBudget) {
      const halt: RolloutHaltRecord = {
        ring: ring.name,
        reason: 'FailureBudgetExceeded',
        message: `${failed.length} failed host(s) (${failed.map((progress) => progress.host).join(', ')}) exceed the failure budget of ${ring.failureBudget}`,
        time: now.toISOString(),
      };
      rollout = { ...rollout, halt };
      return decide('halted', `halted: ${halt.reason}: ${halt.message}`, { currentRing: ring.name });
    }
    const complete = progresses.every(isTerminal) && members.every((name) => !running.has(name));
    const record = rollout.ringRecords[ring.name] ?? {};
    if (complete) {
      const completedAt = record.completedAt ?? now.toISOString();
      if (record.completedAt === undefined) {
        rollout = { ...rollout, ringRecords: { ...rollout.ringRecords, [ring.name]: { ...record, completedAt } } };
      }
      const soakUntil = new Date(Date.parse(completedAt) + ring.soakMs);
      const isLast = index === input.rings.length - 1;
      if (!isLast && soakUntil.getTime() > now.getTime()) {
        return decide('waiting', `ring ${ring.name} soaks until ${soakUntil.toISOString()}`, {
          currentRing: ring.name,
          waitUntil: soakUntil.toISOString(),
        });
      }
      continue;
    }
    if (record.startedAt === undefined) {
      rollout = { ...rollout, ringRecords: { ...rollout.ringRecords, [ring.name]: { ...record, startedAt: now.toISOString() } } };
    }
    // Hosts a crash left in progress resume first, window or not: a started host finishes.
    const resume = progresses.filter((progress) => progress.phase === 'in-progress' && !running.has(progress.host)).map((p) => p.host);
    const inFlight = progresses.filter((progress) => progress.phase === 'in-progress' || running.has(progress.host)).length;
    const gate = input.gates[ring.name] ?? { canStart: true };
    const ready = progresses.filter(
      (progress) =>
        progress.phase === 'pending' &&
        !running.has(progress.host) &&
        (progress.retryAt === undefined || Date.parse(progress.retryAt) <= now.getTime()),
    );
    const room = Math.max(0, ring.maxConcurrent - inFlight);
    const fresh = gate.canStart ? ready.slice(0, room).map((progress) => progress.host) : [];
    const start = [...resume, ...fresh];
    if (start.length > 0 || running.size > 0)
      return decide('progressing', `ring ${ring.name} in progress`, { currentRing: ring.name, start });
    const retryAt = earliest(...progresses.map((progress) => (progress.phase === 'pending' ? progress.retryAt : undefined)));
    if (!gate.canStart) {
      const waitUntil = earliest(gate.opensAt, retryAt);
      return decide('waiting', `ring ${ring.name} waits for a window${gate.reason === undefined ? '' : ` (${gate.reason})`}`, {
        currentRing: ring.name,
        ...(waitUntil === undefined ? {} : { waitUntil }),
      });
    }
    return decide('waiting', `ring ${ring.name} waits to retry unreachable hosts`, {
      currentRing: ring.name,
      ...(retryAt === undefined ? {} : { waitUntil: retryAt }),
    });
  }
  if (rollout.completedAt === undefined) rollout = { ...rollout, completedAt: now.toISOString() };
  return decide('complete', 'every ring is complete');
}
