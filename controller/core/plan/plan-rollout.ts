/**
 * The pure rollout planner (issue 10, "Planning (pure, in core)"): what to do next and when.
 *
 * Rules, in the order they apply:
 * - A halt (recorded, or found now: a ring's failed hosts EXCEED its failure budget) or a pause
 *   stops every start, resumes included, until a person resumes the rollout.
 * - Hosts already in progress are resumed first (a started host finishes its sequence, whatever
 *   the window), and count against their ring's `maxConcurrent`.
 * - Ring N+1 starts hosts only when ring N is complete (every host with work succeeded or failed;
 *   a blocked or retryable host keeps it incomplete) and soaked: the soak runs from the ring's
 *   completion (`progress.rings[ring].completedAt`, else the latest finish of its hosts; a ring
 *   that touched no host needs no soak). For an urgent host the urgent lane's soak replaces it.
 * - A new host starts only when one of its windows (the ring's, plus the urgent lane's when it is
 *   urgent) lets a host start now: inside a piece, before its `lastStart`; and never before a
 *   retryable host's `retryAfter`.
 * - Among the hosts that may start, a stable hashed order (seed: the rollout id), up to the free
 *   slots of `maxConcurrent`.
 */
import type { HostDraft, RingDraft } from './host-drafts.js';
import { draftHosts } from './host-drafts.js';
import type {
  HostPlan,
  HostPlanState,
  HostStart,
  NewHalt,
  PlanInput,
  RingPhase,
  RingPlan,
  RolloutPlan,
  WindowPiece,
} from './plan-types.js';
import { stableOrder } from './stable-order.js';
import { type WindowGate, windowGate } from './window-gate.js';

interface SoakGate {
  readonly completedAt: number;
  readonly soakSeconds: number;
}

const STATES: readonly HostPlanState[] = ['pending', 'in-progress', 'succeeded', 'failed', 'blocked'];

function countStates(hosts: readonly HostDraft[]): Record<HostPlanState, number> {
  const counts = Object.fromEntries(STATES.map((state) => [state, 0])) as Record<HostPlanState, number>;
  for (const host of hosts) counts[host.plan.state]++;
  return counts;
}

function parseTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Date.parse(text);
  return Number.isNaN(value) ? undefined : value;
}

/** When the ring completed: recorded by the engine, else the latest finish of its hosts (undefined: touched none). */
function completionOf(ring: RingDraft, input: PlanInput): number | undefined {
  const rings = input.progress?.rings;
  const recorded = rings !== undefined && Object.hasOwn(rings, ring.name) ? parseTime(rings[ring.name]?.completedAt) : undefined;
  if (recorded !== undefined) return recorded;
  let latest: number | undefined;
  for (const host of ring.hosts) {
    const finished = parseTime(host.progress?.finishedAt) ?? parseTime(host.progress?.startedAt);
    if (finished !== undefined && (latest === undefined || finished > latest)) latest = finished;
  }
  return latest;
}

/** The earliest instant the previous rings' soaks allow this host to start. */
function soakGateFor(host: HostDraft | undefined, gates: readonly SoakGate[], now: number): number {
  let at = now;
  for (const gate of gates) {
    const soak = host?.plan.urgent === true && host.urgentSoakSeconds !== undefined ? host.urgentSoakSeconds : gate.soakSeconds;
    at = Math.max(at, gate.completedAt + soak * 1000);
  }
  return at;
}

function orderHosts(ring: RingDraft, seed: string): { running: HostDraft[]; waiting: HostDraft[] } {
  const running = ring.hosts
    .filter((host) => host.plan.state === 'in-progress')
    .sort(
      (a, b) => (parseTime(a.progress?.startedAt) ?? 0) - (parseTime(b.progress?.startedAt) ?? 0) || (a.plan.host < b.plan.host ? -1 : 1),
    );
  const waitingByName = new Map(
    ring.hosts
      .filter((host) => host.plan.state === 'pending' || host.plan.state === 'blocked')
      .map((host) => [host.plan.host, host] as const),
  );
  const waiting = stableOrder(seed, [...waitingByName.keys()]).map((name) => waitingByName.get(name) as HostDraft);
  return { running, waiting };
}

function ringWindows(ring: RingDraft): string[] {
  return [...new Set([...ring.ring.spec.windows, ...ring.hosts.flatMap((host) => host.plan.windows)])];
}

interface RingOutcome {
  readonly plan: RingPlan;
  readonly starts: HostStart[];
  readonly nextAt: number | undefined;
  /** Hosts that may start but whose windows never let them. */
  readonly neverStarts: string[];
}

function finishRing(
  ring: RingDraft,
  phase: RingPhase,
  note: string,
  hosts: HostPlan[],
  extra: Partial<RingPlan> & { estimated: boolean },
  urgentSoakSeconds: number | undefined,
): RingPlan {
  return {
    name: ring.name,
    order: ring.ring.spec.order,
    phase,
    size: ring.size,
    maxConcurrent: ring.limits.maxConcurrent,
    failureBudget: ring.limits.failureBudget,
    maxAttempts: ring.limits.maxAttempts,
    soakSeconds: ring.limits.soakSeconds,
    ...(urgentSoakSeconds === undefined ? {} : { urgentSoakSeconds }),
    counts: countStates(ring.hosts),
    hosts,
    ...extra,
    note,
  };
}

interface RingContext {
  readonly input: PlanInput;
  readonly now: number;
  readonly gate: WindowGate;
  readonly seed: string;
  readonly stopped: 'halted' | 'paused' | undefined;
  /** Soak gates of the previous rings (actual when `previousComplete`, else estimated). */
  readonly gates: readonly SoakGate[];
  readonly previousComplete: boolean;
  readonly previousName: string | undefined;
  readonly urgentSoakSeconds: number | undefined;
}

function planRing(ring: RingDraft, context: RingContext): RingOutcome {
  const { now, gate } = context;
  const { running, waiting } = orderHosts(ring, context.seed);
  const counts = countStates(ring.hosts);
  const idle = ring.hosts.length === 0;
  const complete = !idle && counts.pending + counts['in-progress'] + counts.blocked === 0;
  const ringGate = soakGateFor(undefined, context.gates, now);
  const firstSlot = complete || idle ? undefined : gate.nextStart(ringWindows(ring), new Date(ringGate));
  const timeline = {
    estimated: !context.previousComplete,
    ...(complete || idle ? {} : { earliestStart: new Date(ringGate).toISOString() }),
    ...(firstSlot === undefined ? {} : { firstWindow: firstSlot.piece }),
  };
  const completedAt = complete ? completionOf(ring, context.input) : undefined;
  const completion =
    completedAt === undefined
      ? {}
      : {
          completedAt: new Date(completedAt).toISOString(),
          soakUntil: new Date(completedAt + ring.limits.soakSeconds * 1000).toISOString(),
          ...(context.urgentSoakSeconds === undefined
            ? {}
            : { urgentSoakUntil: new Date(completedAt + context.urgentSoakSeconds * 1000).toISOString() }),
        };
  const plain = (host: HostDraft): HostPlan => ({ ...host.plan });
  const ordered = [...running, ...waiting, ...ring.hosts.filter((host) => host.plan.state === 'succeeded' || host.plan.state === 'failed')];
  const done = (phase: RingPhase, note: string, hosts: HostPlan[] = ordered.map(plain)): RingOutcome => ({
    plan: finishRing(ring, phase, note, hosts, { ...timeline, ...completion }, context.urgentSoakSeconds),
    starts: [],
    nextAt: undefined,
    neverStarts: [],
  });
  if (idle) return done('idle', 'no host of this ring has work');
  if (complete) return done('complete', `complete: ${counts.succeeded} succeeded, ${counts.failed} failed`);
  if (context.stopped !== undefined) return done('halted', `the rollout is ${context.stopped}`);

  const starts: HostStart[] = running.map((host) => ({
    host: host.plan.host,
    ring: ring.name,
    resume: true,
    attempt: Math.max(1, host.plan.attempts),
  }));
  if (!context.previousComplete) {
    const outcome = done(
      'waiting',
      `waits for ring ${context.previousName ?? '?'} to complete${running.length > 0 ? `; resumes ${running.length} host(s) already started` : ''}`,
    );
    return { ...outcome, starts };
  }
  let slots = Math.max(0, ring.limits.maxConcurrent - running.length);
  let nextAt: number | undefined;
  const neverStarts: string[] = [];
  const hostPlans: HostPlan[] = running.map(plain);
  let soakWait: number | undefined;
  let windowWait: WindowPiece | undefined;
  for (const host of waiting) {
    const soakGate = soakGateFor(host, context.gates, now);
    const notBefore = Math.max(soakGate, parseTime(host.progress?.retryAfter) ?? now);
    const slot = gate.nextStart(host.plan.windows, new Date(notBefore));
    if (slot === undefined) {
      neverStarts.push(host.plan.host);
      hostPlans.push(plain(host));
      continue;
    }
    const at = slot.at.getTime();
    if (at <= now) {
      if (slots > 0) {
        slots--;
        starts.push({
          host: host.plan.host,
          ring: ring.name,
          resume: false,
          attempt: host.plan.attempts + 1,
          ...(host.plan.block === undefined ? {} : { block: host.plan.block }),
        });
      }
      hostPlans.push(plain(host));
      continue;
    }
    if (soakGate > now) soakWait = soakWait === undefined ? soakGate : Math.min(soakWait, soakGate);
    else if (windowWait === undefined || Date.parse(slot.piece.start) < Date.parse(windowWait.start)) windowWait = slot.piece;
    nextAt = nextAt === undefined ? at : Math.min(nextAt, at);
    hostPlans.push({ ...plain(host), notBefore: slot.at.toISOString() });
  }
  hostPlans.push(...ordered.filter((host) => host.plan.state === 'succeeded' || host.plan.state === 'failed').map(plain));
  const phase: RingPhase = starts.length > 0 ? 'progressing' : soakWait !== undefined && windowWait === undefined ? 'waiting' : 'ready';
  let note: string;
  if (starts.length > 0)
    note = `${starts.filter((start) => start.resume).length} resumed, ${starts.filter((start) => !start.resume).length} started now (max ${ring.limits.maxConcurrent} at once)`;
  else if (soakWait !== undefined && windowWait === undefined)
    note = `ring ${context.previousName ?? '?'} soaks until ${new Date(soakWait).toISOString()}`;
  else if (windowWait !== undefined) note = `waits for window ${windowWait.window} opening ${windowWait.start}`;
  else if (neverStarts.length > 0) note = `no window of ${neverStarts.join(', ')} opens again`;
  else note = 'waits for retry back-off';
  return {
    plan: finishRing(ring, phase, note, hostPlans, { ...timeline, ...completion }, context.urgentSoakSeconds),
    starts,
    nextAt,
    neverStarts,
  };
}

function firstHalt(rings: readonly RingDraft[]): NewHalt | undefined {
  for (const ring of rings) {
    const failed = ring.hosts.filter((host) => host.plan.state === 'failed').length;
    if (failed > ring.limits.failureBudget) {
      return {
        ring: ring.name,
        failed,
        failureBudget: ring.limits.failureBudget,
        reason: `ring ${ring.name}: ${failed} failed host(s) exceed the failure budget of ${ring.limits.failureBudget}`,
      };
    }
  }
  return undefined;
}

/** The urgent soak that replaces ring i's soak for the urgent hosts of ring i+1 (the shortest). */
function urgentSoakAfter(next: RingDraft | undefined): number | undefined {
  let soak: number | undefined;
  for (const host of next?.hosts ?? []) {
    if (host.plan.urgent && host.urgentSoakSeconds !== undefined)
      soak = soak === undefined ? host.urgentSoakSeconds : Math.min(soak, host.urgentSoakSeconds);
  }
  return soak;
}

/** Plans the rollout at `now`. Pure: no I/O, no clock. */
export function planRollout(input: PlanInput, now: Date): RolloutPlan {
  const drafts = draftHosts(input, now);
  const gate = windowGate(input.policy.windows);
  const seed = input.orderSeed ?? input.progress?.rolloutId ?? '';
  const found = firstHalt(drafts.rings);
  const halt = found !== undefined && input.progress?.halted === undefined ? found : undefined;
  const stopped =
    input.progress?.halted !== undefined || found !== undefined ? 'halted' : input.progress?.paused !== undefined ? 'paused' : undefined;
  const nowMs = now.getTime();
  const rings: RingPlan[] = [];
  const starts: HostStart[] = [];
  const neverStarts: string[] = [];
  let nextAt: number | undefined;
  let gates: SoakGate[] = [];
  let previousComplete = true;
  let previousName: string | undefined;
  drafts.rings.forEach((ring, index) => {
    const urgentSoakSeconds = urgentSoakAfter(drafts.rings[index + 1]);
    const outcome = planRing(ring, { input, now: nowMs, gate, seed, stopped, gates, previousComplete, previousName, urgentSoakSeconds });
    rings.push(outcome.plan);
    starts.push(...outcome.starts);
    neverStarts.push(...outcome.neverStarts);
    if (outcome.nextAt !== undefined) nextAt = nextAt === undefined ? outcome.nextAt : Math.min(nextAt, outcome.nextAt);
    const plan = outcome.plan;
    if (plan.phase === 'idle') return;
    previousName = ring.name;
    if (plan.phase === 'complete') {
      const completedAt = parseTime(plan.completedAt);
      if (completedAt !== undefined) gates = [...gates, { completedAt, soakSeconds: ring.limits.soakSeconds }];
      return;
    }
    // Rings behind an incomplete one: estimate that this one finishes at the end of its first window piece.
    previousComplete = false;
    const estimatedEnd = plan.firstWindow === undefined ? nowMs : Date.parse(plan.firstWindow.end);
    gates = [...gates, { completedAt: Math.max(nowMs, estimatedEnd), soakSeconds: ring.limits.soakSeconds }];
  });
  const running = rings.reduce((sum, ring) => sum + ring.counts['in-progress'], 0);
  const allDone = rings.every((ring) => ring.phase === 'complete' || ring.phase === 'idle');
  let state: RolloutPlan['state'];
  let summary: string;
  if (stopped === 'halted') {
    state = 'halted';
    summary = `halted: ${input.progress?.halted?.reason ?? found?.reason ?? ''}`;
  } else if (stopped === 'paused') {
    state = 'paused';
    summary = `paused: ${input.progress?.paused?.reason ?? ''}`;
  } else if (allDone) {
    state = 'complete';
    summary = 'complete: every ring is done';
  } else if (starts.length > 0 || running > 0) {
    state = 'active';
    summary = `${starts.filter((start) => !start.resume).length} host(s) start now, ${running} in progress`;
  } else if (nextAt !== undefined) {
    state = 'waiting';
    summary = `nothing can start before ${new Date(nextAt).toISOString()}`;
  } else {
    state = 'stalled';
    summary = `work remains but no window lets ${neverStarts.length > 0 ? neverStarts.join(', ') : 'its hosts'} start again`;
  }
  const firstAt = starts.some((start) => !start.resume) ? nowMs : nextAt;
  return {
    now: now.toISOString(),
    ...(input.progress?.rolloutId === undefined ? {} : { rolloutId: input.progress.rolloutId }),
    state,
    summary,
    start: stopped === undefined ? [...starts.filter((entry) => entry.resume), ...starts.filter((entry) => !entry.resume)] : [],
    ...(stopped === undefined && firstAt !== undefined ? { nextAt: new Date(firstAt).toISOString() } : {}),
    ...(halt === undefined ? {} : { halt }),
    rings,
    leftOut: [...drafts.leftOut].sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0)),
  };
}
