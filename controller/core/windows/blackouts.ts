/**
 * Blackouts (change freezes) as intervals of instants, by the same wall-clock rule as schedules:
 * a local date or time that does not exist moves forward by the gap, one that happens twice is
 * its first instant. `start` is the first closed instant, `end` the first open one.
 */
import { DateTime, IANAZone } from 'luxon';
import type { Blackout, MaintenanceWindow } from '../model/generated/kinds.js';
import { floatingOf, floatingToInstant } from './wall-clock.js';

export interface BlackoutInterval {
  /** `name`, or `blackouts[N]` when it has none. */
  readonly label: string;
  readonly reason: string;
  readonly start: number;
  readonly end: number;
}

/** An explicit offset (`Z`, `+02:00`, `-0330`) at the end of an ISO date-time. */
const EXPLICIT_OFFSET = /T.*(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;

/** Epoch ms of a blackout bound, or undefined when it is not a valid date or time. */
export function blackoutInstant(text: string, zone: IANAZone): number | undefined {
  if (EXPLICIT_OFFSET.test(text)) {
    const absolute = DateTime.fromISO(text, { setZone: true });
    return absolute.isValid ? absolute.toMillis() : undefined;
  }
  // A local date or time: read it as a wall time (floating), then place it in the zone.
  const wall = DateTime.fromISO(text, { zone: 'UTC' });
  return wall.isValid ? floatingToInstant(zone, wall.toMillis()) : undefined;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Floating midnight of the first day of `year` whose MM-DD is at or after `monthDay` (02-29 → 03-01 in common years). */
function dayOnOrAfter(year: number, monthDay: string): number {
  const [month, day] = monthDay.split('-').map(Number) as [number, number];
  if (month === 2 && day === 29 && !isLeap(year)) return floatingOf(year, 3, 1);
  return floatingOf(year, month, day);
}

/** Floating midnight of the first day of `year` whose MM-DD is after `monthDay`. */
function dayAfter(year: number, monthDay: string): number {
  const [month, day] = monthDay.split('-').map(Number) as [number, number];
  if (month === 2 && day === 29 && !isLeap(year)) return floatingOf(year, 3, 1);
  return floatingOf(year, month, day + 1);
}

function yearlyIntervals(blackout: Blackout, label: string, zone: IANAZone, from: number, until: number): BlackoutInterval[] {
  const yearly = blackout.yearly;
  if (yearly === undefined) return [];
  const wraps = yearly.firstDay > yearly.lastDay;
  const firstYear = new Date(from).getUTCFullYear() - 1;
  const lastYear = new Date(until).getUTCFullYear() + 1;
  const intervals: BlackoutInterval[] = [];
  for (let year = firstYear; year <= lastYear; year++) {
    const start = floatingToInstant(zone, dayOnOrAfter(year, yearly.firstDay));
    const end = floatingToInstant(zone, dayAfter(wraps ? year + 1 : year, yearly.lastDay));
    if (end > from && start < until && end > start) intervals.push({ label, reason: blackout.reason, start, end });
  }
  return intervals;
}

/** The window's blackouts that overlap [from, until), sorted by start; invalid ones are left out (validate reports them). */
export function blackoutIntervals(window: MaintenanceWindow, from: number, until: number): BlackoutInterval[] {
  const zone = IANAZone.create(window.spec.timeZone);
  const intervals: BlackoutInterval[] = [];
  for (const [index, blackout] of (window.spec.blackouts ?? []).entries()) {
    const label = blackout.name ?? `blackouts[${index}]`;
    if (blackout.yearly !== undefined) {
      intervals.push(...yearlyIntervals(blackout, label, zone, from, until));
      continue;
    }
    if (blackout.start === undefined || blackout.end === undefined) continue;
    const start = blackoutInstant(blackout.start, zone);
    const end = blackoutInstant(blackout.end, zone);
    if (start === undefined || end === undefined || end <= start) continue;
    if (end > from && start < until) intervals.push({ label, reason: blackout.reason, start, end });
  }
  return intervals.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** [start, end) minus the intervals (sorted by start): the pieces left, in order. */
export function subtractIntervals(start: number, end: number, intervals: readonly { start: number; end: number }[]): [number, number][] {
  const pieces: [number, number][] = [];
  let cursor = start;
  for (const interval of intervals) {
    if (interval.end <= cursor) continue;
    if (interval.start >= end) break;
    if (interval.start > cursor) pieces.push([cursor, interval.start]);
    cursor = Math.max(cursor, interval.end);
    if (cursor >= end) return pieces;
  }
  if (cursor < end) pieces.push([cursor, end]);
  return pieces;
}
