/**
 * A MaintenanceWindow evaluated: its openings are every occurrence of every schedule minus the
 * blackouts, cut into pieces; `lastStart` of a piece is its end minus the schedule's cutoff, and a
 * piece not longer than its cutoff is no opening. A host already started when a piece ends (or a
 * blackout begins) finishes its sequence; no new host starts after `lastStart`.
 * Pure: every function takes the instant it is about (`from`, `at`, `now`).
 */
import type { MaintenanceWindow } from '../model/generated/kinds.js';
import { blackoutIntervals, subtractIntervals } from './blackouts.js';
import { type CompiledSchedule, compileSchedule, LIFETIME_HORIZON_MS, SEARCH_HORIZON_MS } from './schedule.js';

/** One opening of a window: an occurrence of one schedule, or what a blackout left of it. */
export interface WindowPiece {
  /** metadata.name of the window. */
  readonly window: string;
  /** The schedule's `name`, or `schedules[N]` when it has none. */
  readonly schedule: string;
  readonly scheduleIndex: number;
  /** IANA zone the schedule is read in (its own, else the window's). */
  readonly timeZone: string;
  readonly start: Date;
  /** First instant closed again (exclusive). */
  readonly end: Date;
  /** No host may be started at or after this instant (end − cutoff); always after `start`. */
  readonly lastStart: Date;
}

export interface OpenPiecesOptions {
  /** How far after `from` occurrences are searched; SEARCH_HORIZON_MS (about three years) by default. */
  readonly horizonMs?: number;
}

export function scheduleLabel(window: MaintenanceWindow, index: number): string {
  return window.spec.schedules[index]?.name ?? `schedules[${index}]`;
}

function comparePieces(a: WindowPiece, b: WindowPiece): number {
  return (
    a.start.getTime() - b.start.getTime() ||
    (a.schedule < b.schedule ? -1 : a.schedule > b.schedule ? 1 : 0) ||
    a.scheduleIndex - b.scheduleIndex ||
    a.end.getTime() - b.end.getTime()
  );
}

/**
 * The first `count` pieces of one schedule (by start) whose end is after `from` and that start
 * before `until`. An occurrence a blackout covers entirely is skipped, and so are the starts
 * inside that blackout.
 */
function schedulePieces(
  window: MaintenanceWindow,
  schedule: CompiledSchedule,
  index: number,
  from: number,
  until: number,
  count: number,
): WindowPiece[] {
  const durationMs = schedule.durationSeconds * 1000;
  const cutoffMs = schedule.cutoffSeconds * 1000;
  const pieces: WindowPiece[] = [];
  if (cutoffMs >= durationMs || count <= 0) return pieces;
  const base = { window: window.metadata.name, schedule: scheduleLabel(window, index), scheduleIndex: index, timeZone: schedule.zone };
  let cursor = from - durationMs + 1;
  search: while (cursor < until) {
    for (const startDate of schedule.starts(new Date(cursor), new Date(until))) {
      const start = startDate.getTime();
      // Occurrences come in start order and pieces never start before their occurrence.
      if (pieces.length >= count && start > (pieces[count - 1] as WindowPiece).start.getTime()) break search;
      const end = start + durationMs;
      const blackouts = blackoutIntervals(window, start, end);
      const left = subtractIntervals(start, end, blackouts);
      if (left.length === 0) {
        // Covered: no start before (covering blackout's end − duration) can leave anything.
        const coverEnd = Math.max(...blackouts.filter((b) => b.start <= start).map((b) => b.end), end);
        const next = coverEnd - durationMs + 1;
        if (next > start + 1) {
          cursor = next;
          continue search;
        }
        continue;
      }
      for (const [pieceStart, pieceEnd] of left) {
        if (pieceEnd <= from || pieceEnd - pieceStart <= cutoffMs) continue;
        pieces.push({ ...base, start: new Date(pieceStart), end: new Date(pieceEnd), lastStart: new Date(pieceEnd - cutoffMs) });
      }
      pieces.sort(comparePieces);
    }
    break;
  }
  return pieces.slice(0, count);
}

/**
 * The first `count` openings of `window` whose end is after `from` (a piece open at `from` comes
 * first), sorted by start, then schedule name. Schedules that do not compile never open
 * (`validate` reports them).
 */
export function openPieces(window: MaintenanceWindow, from: Date, count: number, options: OpenPiecesOptions = {}): WindowPiece[] {
  const until = from.getTime() + (options.horizonMs ?? SEARCH_HORIZON_MS);
  const pieces: WindowPiece[] = [];
  window.spec.schedules.forEach((schedule, index) => {
    const compiled = compileSchedule(schedule, window.spec);
    if (compiled.ok) pieces.push(...schedulePieces(window, compiled.value, index, from.getTime(), until, count));
  });
  return pieces.sort(comparePieces).slice(0, Math.max(0, count));
}

export interface WindowState {
  /** Inside an opening (an occurrence, outside every blackout). */
  readonly open: boolean;
  /** Open and before that opening's lastStart: a new host may be started now. */
  readonly canStart: boolean;
  /** The opening that contains `at` (the one with the latest lastStart when several do). */
  readonly piece?: WindowPiece;
  /** The blackout that contains `at`, if any: why the window is closed. */
  readonly blackout?: { readonly label: string; readonly reason: string };
}

/** The openings that contain `at`. */
function piecesAt(window: MaintenanceWindow, at: Date): WindowPiece[] {
  for (let count = 4; ; count *= 4) {
    const pieces = openPieces(window, at, count);
    const containing = pieces.filter((piece) => piece.start.getTime() <= at.getTime());
    if (pieces.length < count || containing.length < pieces.length) return containing;
  }
}

/** Whether `window` is open at `at` and whether a new host may start then. */
export function isOpen(window: MaintenanceWindow, at: Date): WindowState {
  const blackout = blackoutIntervals(window, at.getTime(), at.getTime() + 1)[0];
  const blackoutPart = blackout === undefined ? {} : { blackout: { label: blackout.label, reason: blackout.reason } };
  let best: WindowPiece | undefined;
  for (const piece of piecesAt(window, at)) if (best === undefined || piece.lastStart.getTime() > best.lastStart.getTime()) best = piece;
  if (best === undefined) return { open: false, canStart: false, ...blackoutPart };
  return { open: true, canStart: at.getTime() < best.lastStart.getTime(), piece: best, ...blackoutPart };
}

export interface StartAllowed {
  /** The earliest instant at or after the asked one when a new host may start. */
  readonly at: Date;
  /** The opening it belongs to; new hosts may start until its lastStart. */
  readonly piece: WindowPiece;
}

/**
 * The earliest instant at or after `at` when any of `windows` lets a new host start (`at` itself
 * when one does now), or undefined when none does within the search horizon.
 */
export function nextStartAllowed(
  windows: readonly MaintenanceWindow[],
  at: Date,
  options: OpenPiecesOptions = {},
): StartAllowed | undefined {
  let best: StartAllowed | undefined;
  for (const window of windows) {
    for (let count = 4; ; count *= 4) {
      const pieces = openPieces(window, at, count, options);
      const usable = pieces.find((piece) => piece.lastStart.getTime() > at.getTime());
      if (usable !== undefined) {
        const start = new Date(Math.max(usable.start.getTime(), at.getTime()));
        if (best === undefined || start.getTime() < best.at.getTime()) best = { at: start, piece: usable };
        break;
      }
      if (pieces.length < count) break;
    }
  }
  return best;
}

/**
 * Why `windows` (a ring's) will never let a host start again after `now`, or undefined when one of
 * them will (looking LIFETIME_HORIZON_MS ahead, a full weekday and leap-year cycle). The engine
 * turns a reason into a Stalled condition; `validate` reports it as a warning.
 */
export function windowsNeverOpenAgain(windows: readonly MaintenanceWindow[], now: Date): { readonly reason: string } | undefined {
  if (windows.length === 0) return { reason: 'the ring names no maintenance window' };
  if (nextStartAllowed(windows, now, { horizonMs: LIFETIME_HORIZON_MS }) !== undefined) return undefined;
  const names = windows.map((window) => window.metadata.name).join(', ');
  return {
    reason: `${windows.length === 1 ? 'window' : 'windows'} ${names} will not open again after ${now.toISOString()} (every schedule has ended or is blacked out)`,
  };
}
