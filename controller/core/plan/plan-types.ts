/**
 * Inputs and outputs of the pure rollout planner (`planRollout`). Everything here is plain data;
 * outputs are JSON-able (instants as RFC 3339 UTC strings) so that `patchward plan --output json`,
 * the engine and proposal PR bodies read the same thing.
 */
import type { HostInventory, OsReleaseKey } from '../inventory/host-inventory.js';
import type { MaintenanceWindow, PatchBaseline, PatchPolicy, Ring } from '../model/generated/kinds.js';
import type { Cordon, HostOutcome, RolloutProgress } from './rollout-progress.js';

/** A Fleet host as the planner needs it (`ResolvedHost` satisfies it). */
export interface PlanHost {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The desired state of one policy repository revision (objects as loaded, defaults applied or not). */
export interface PlanPolicy {
  readonly hosts: readonly PlanHost[];
  readonly rings: readonly Ring[];
  readonly windows: readonly MaintenanceWindow[];
  readonly policies: readonly PatchPolicy[];
  readonly baselines: readonly PatchBaseline[];
}

export interface PlanInput {
  readonly policy: PlanPolicy;
  /** The latest inventory per host (with `available` and `bootId`); a host without one is unreachable. */
  readonly inventory: readonly HostInventory[];
  /** Progress of this rollout; absent before its first step. */
  readonly progress?: RolloutProgress;
  readonly cordons?: readonly Cordon[];
  /** CVE ids (and advisory ids) of the known-exploited catalogue. */
  readonly knownExploited?: ReadonlySet<string> | ReadonlyMap<string, unknown>;
  /** Seed of the stable host order (default: the progress's rolloutId, else empty). */
  readonly orderSeed?: string;
}

/** One maintenance-window piece (an occurrence minus blackouts): no host may start at or after `lastStart`. */
export interface WindowPiece {
  readonly window: string;
  /** The schedule's name (or `schedules[N]`) and the zone it is read in. */
  readonly schedule: string;
  readonly timeZone: string;
  readonly start: string;
  readonly end: string;
  readonly lastStart: string;
}

/** One binary package (dpkg) or rpm of a host moved to an exact version. */
export interface PackageChange {
  /** Binary package (dpkg) or rpm name. */
  readonly name: string;
  readonly arch?: string;
  readonly from: string;
  /** The exact version to install, as the host's repositories offer it. */
  readonly to: string;
  /** dpkg: the source package the approval names, and its versions. */
  readonly source?: string;
  readonly sourceFrom?: string;
  readonly sourceTo?: string;
  /** The approved minimum that applies (the highest over every baseline governing the host). */
  readonly minVersion: string;
  /** Approvals (advisory ids) whose minimum the installed version is below. */
  readonly advisories: readonly string[];
}

/** A package an approval would move, kept back on this host by a hold. */
export interface HeldPackage {
  readonly name: string;
  readonly source?: string;
  readonly installed: string;
  readonly minVersion: string;
  readonly reason: string;
}

/**
 * Why a host with work cannot be patched now although it is not left out; it keeps its ring
 * incomplete, the engine still attempts it (asking the host afresh) and the attempt counts.
 */
export type BlockKind = 'unreachable' | 'package-db' | 'no-candidate';

export interface HostBlock {
  readonly kind: BlockKind;
  readonly detail: string;
}

/**
 * - `pending`: has work, not started in this rollout (or a retryable attempt with attempts left);
 * - `in-progress`: started and not finished;
 * - `succeeded`; `failed` (definitive, or out of attempts);
 * - `blocked`: not started or retryable, and the inventory says it cannot run (see `block`).
 */
export type HostPlanState = 'pending' | 'in-progress' | 'succeeded' | 'failed' | 'blocked';

export interface HostPlan {
  readonly host: string;
  readonly ring: string;
  readonly state: HostPlanState;
  /** Outcome recorded in the progress, when there is one. */
  readonly outcome?: HostOutcome;
  readonly attempts: number;
  readonly release?: OsReleaseKey;
  readonly packageManager?: 'apt' | 'dnf';
  /** Exactly what to install, sorted by name then arch. Empty when unknown (unreachable host). */
  readonly packages: readonly PackageChange[];
  readonly held: readonly HeldPackage[];
  /** Binary package names the transaction may remove (approval `removes` for this release). */
  readonly allowedRemovals: readonly string[];
  /** In the urgent lane: some approval it needs qualifies under a governing policy's urgentLane. */
  readonly urgent: boolean;
  readonly urgentAdvisories: readonly string[];
  /** The ring's windows, plus the urgent lane's extra windows when urgent. */
  readonly windows: readonly string[];
  readonly block?: HostBlock;
  /** Failure or retry reason from the progress. */
  readonly reason?: string;
  /** When it may start, when that is known and later than now (window, soak, retry back-off). */
  readonly notBefore?: string;
}

export type LeftOutReason = 'cordoned' | 'no-ring' | 'no-policy' | 'not-affected' | 'compliant' | 'held' | 'excluded';

export interface LeftOutHost {
  readonly host: string;
  readonly ring?: string;
  readonly reason: LeftOutReason;
  readonly detail: string;
}

/**
 * - `waiting`: the previous ring is not complete, or it soaks;
 * - `ready`: may start hosts but no window is open for them now;
 * - `progressing`: hosts run or start now; `complete`; `halted` (failures exceed the budget, or the
 *   rollout is halted/paused); `idle`: nothing to do (every host left out).
 */
export type RingPhase = 'waiting' | 'ready' | 'progressing' | 'complete' | 'halted' | 'idle';

export interface RingPlan {
  readonly name: string;
  readonly order: number;
  readonly phase: RingPhase;
  /** Hosts the ring selects in the Fleet (the base of percentages). */
  readonly size: number;
  readonly maxConcurrent: number;
  readonly failureBudget: number;
  readonly maxAttempts: number;
  readonly soakSeconds: number;
  /** The urgent lane's soak replacing `soakSeconds` after this ring for urgent hosts of the next ring. */
  readonly urgentSoakSeconds?: number;
  readonly counts: Readonly<Record<HostPlanState, number>>;
  /** Hosts with work, in plan order: in progress first, then the stable hashed order. */
  readonly hosts: readonly HostPlan[];
  readonly completedAt?: string;
  readonly soakUntil?: string;
  readonly urgentSoakUntil?: string;
  /** The earliest instant the ring may start hosts (estimated for rings behind an incomplete one). */
  readonly earliestStart?: string;
  /** The first window piece usable at or after `earliestStart` (the reviewer's "first window"). */
  readonly firstWindow?: WindowPiece;
  /** True when `earliestStart`/`firstWindow` assume the previous rings finish in their first windows. */
  readonly estimated: boolean;
  /** A sentence: why the ring waits, or what it does. */
  readonly note: string;
}

export interface HostStart {
  readonly host: string;
  readonly ring: string;
  /** True for a host already in progress (resume after a restart). */
  readonly resume: boolean;
  /** The attempt this start makes (1-based); a resume keeps its number. */
  readonly attempt: number;
  /** Present when the inventory says the host cannot run: the engine asks it afresh and records the attempt. */
  readonly block?: HostBlock;
}

/**
 * - `complete`: every ring complete within its budget;
 * - `active`: hosts start now or are in progress;
 * - `waiting`: nothing runs and nothing may start before `nextAt` (soak, window, back-off);
 * - `halted` / `paused`: stopped until a person resumes (`halt` says when the planner found it);
 * - `stalled`: work remains but no window of the hosts opens again (a person must act).
 */
export type RolloutState = 'complete' | 'active' | 'waiting' | 'halted' | 'paused' | 'stalled';

/** A halt the planner found (failures exceed a ring's budget) that the progress does not yet record. */
export interface NewHalt {
  readonly ring: string;
  readonly failed: number;
  readonly failureBudget: number;
  readonly reason: string;
}

export interface RolloutPlan {
  readonly now: string;
  readonly rolloutId?: string;
  readonly state: RolloutState;
  /** One sentence for people. */
  readonly summary: string;
  /** Hosts to start now, in order: resumes first, then new starts; never beyond a ring's maxConcurrent. */
  readonly start: readonly HostStart[];
  /**
   * The next instant something can happen without a host finishing: `now` when a new host starts now;
   * else the earliest soak end, window opening or back-off end of a waiting host; absent when only
   * running hosts can change anything, or when complete, halted, paused or stalled.
   */
  readonly nextAt?: string;
  readonly halt?: NewHalt;
  readonly rings: readonly RingPlan[];
  /** Hosts no ring will patch in this rollout, each with its reason, sorted by host. */
  readonly leftOut: readonly LeftOutHost[];
}
