/**
 * Maintenance-window schedules: when occurrences start and end, in the window's time zone.
 * Pure: `from`/`at` are parameters; cron-parser, rrule and luxon only compute.
 *
 * Searches look at most SEARCH_HORIZON_MS (about three years) ahead.
 * - cron: five fields (minute hour day-of-month month day-of-week), `#` for the nth weekday
 *   (`0 22 * * 2#2` = second Tuesday 22:00), evaluated in the zone by cron-parser.
 * - RRULE: RFC 5545 without DTSTART; FREQ DAILY, WEEKLY, MONTHLY or YEARLY, BYHOUR and BYMINUTE
 *   required. Evaluated on wall-clock time in the zone; INTERVAL counts from Monday 2024-01-01.
 */
import { CronExpressionParser } from 'cron-parser';
import { DateTime, IANAZone } from 'luxon';
import rrulePackage from 'rrule';
import { parseDurationSeconds } from '../model/duration.js';
import type { MaintenanceWindow, WindowSchedule } from '../model/generated/kinds.js';

const { RRule, Frequency } = rrulePackage as unknown as typeof import('rrule');
type RRuleInstance = InstanceType<typeof RRule>;

export const RRULE_ANCHOR = Date.UTC(2024, 0, 1, 0, 0, 0);

/** Starts further away than this are treated as none (keeps every search bounded). */
export const SEARCH_HORIZON_MS = 3 * 366 * 86400 * 1000;

export interface CompiledSchedule {
  readonly zone: string;
  readonly durationSeconds: number;
  readonly cutoffSeconds: number;
  /** First start at or after `from`, or undefined when there is none. */
  nextStart(from: Date): Date | undefined;
}

export type CompileResult =
  | { readonly ok: true; readonly value: CompiledSchedule }
  | { readonly ok: false; readonly field: 'cron' | 'rrule' | 'timeZone' | 'duration' | 'cutoff'; readonly message: string };

export interface Occurrence {
  readonly start: Date;
  readonly end: Date;
  /** No host may be started at or after this instant. */
  readonly lastStart: Date;
}

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

function compileCron(expression: string, zone: string): ((from: Date) => Date | undefined) | string {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return `must have 5 fields (minute hour day-of-month month day-of-week), not ${fields.length}`;
  try {
    CronExpressionParser.parse(expression, { tz: zone, currentDate: new Date(RRULE_ANCHOR) });
  } catch (error) {
    return `is not a valid cron expression: ${error instanceof Error ? error.message : String(error)}`;
  }
  return (from) => {
    try {
      const parsed = CronExpressionParser.parse(expression, {
        tz: zone,
        currentDate: new Date(from.getTime() - 1),
        endDate: new Date(from.getTime() + SEARCH_HORIZON_MS),
      });
      return parsed.next().toDate();
    } catch {
      return undefined;
    }
  };
}

const ALLOWED_FREQUENCIES = new Set<number>([Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY, Frequency.YEARLY]);

function compileRrule(text: string, zone: string): ((from: Date) => Date | undefined) | string {
  if (/DTSTART/i.test(text)) return 'must not contain DTSTART (the window time zone and the anchor date apply)';
  let rule: RRuleInstance;
  try {
    const options = RRule.parseString(text.replace(/^RRULE:/i, ''));
    if (options.freq === undefined) return 'must set FREQ';
    if (!ALLOWED_FREQUENCIES.has(options.freq)) return 'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY';
    if (options.byhour === undefined || options.byhour === null || options.byminute === undefined || options.byminute === null) {
      return 'must set BYHOUR and BYMINUTE (the time of day each occurrence starts)';
    }
    rule = new RRule({ ...options, bysecond: options.bysecond ?? [0], dtstart: new Date(RRULE_ANCHOR), tzid: null });
  } catch (error) {
    return `is not a valid RRULE: ${error instanceof Error ? error.message : String(error)}`;
  }
  return (from) => {
    const wall = DateTime.fromJSDate(from, { zone });
    const floating = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
    const horizon = new Date(floating.getTime() + SEARCH_HORIZON_MS);
    let candidate: Date | null = rule.between(floating, horizon, true, (_date, index) => index < 1)[0] ?? null;
    // Wall times are mapped back into the zone; skip any that land before `from` (DST fold).
    for (let guard = 0; candidate !== null && guard < 4; guard++) {
      const local = DateTime.fromObject(
        {
          year: candidate.getUTCFullYear(),
          month: candidate.getUTCMonth() + 1,
          day: candidate.getUTCDate(),
          hour: candidate.getUTCHours(),
          minute: candidate.getUTCMinutes(),
          second: candidate.getUTCSeconds(),
        },
        { zone },
      ).toJSDate();
      if (local.getTime() >= from.getTime()) return local;
      candidate = rule.between(candidate, horizon, false, (_date, index) => index < 1)[0] ?? null;
    }
    return undefined;
  };
}

/** Compiles one schedule of a window; the schedule's own zone and cutoff override the window's. */
export function compileSchedule(schedule: WindowSchedule, window: { timeZone: string; cutoff?: string | undefined }): CompileResult {
  const zone = schedule.timeZone ?? window.timeZone;
  if (!isValidTimeZone(zone)) return { ok: false, field: 'timeZone', message: `unknown time zone ${JSON.stringify(zone)}` };
  const durationSeconds = parseDurationSeconds(schedule.duration);
  if (durationSeconds === undefined || durationSeconds <= 0) return { ok: false, field: 'duration', message: 'must be longer than 0s' };
  const cutoffSeconds = parseDurationSeconds(schedule.cutoff ?? window.cutoff ?? '0s') ?? 0;
  let next: ((from: Date) => Date | undefined) | string;
  if (schedule.cron !== undefined) next = compileCron(schedule.cron, zone);
  else if (schedule.rrule !== undefined) next = compileRrule(schedule.rrule, zone);
  else return { ok: false, field: 'cron', message: 'must set cron or rrule' };
  if (typeof next === 'string') return { ok: false, field: schedule.cron !== undefined ? 'cron' : 'rrule', message: next };
  return { ok: true, value: { zone, durationSeconds, cutoffSeconds, nextStart: next } };
}

/** Up to `count` occurrences whose start is at or after `from`. */
export function nextOccurrences(schedule: CompiledSchedule, from: Date, count: number): Occurrence[] {
  const occurrences: Occurrence[] = [];
  let cursor = from;
  while (occurrences.length < count) {
    const start = schedule.nextStart(cursor);
    if (start === undefined) break;
    const end = new Date(start.getTime() + schedule.durationSeconds * 1000);
    occurrences.push({ start, end, lastStart: new Date(end.getTime() - schedule.cutoffSeconds * 1000) });
    cursor = new Date(start.getTime() + 1000);
  }
  return occurrences;
}

/** The occurrence open at `at`, if any (the latest-starting one when several overlap). */
export function occurrenceAt(schedule: CompiledSchedule, at: Date): Occurrence | undefined {
  const earliest = new Date(at.getTime() - schedule.durationSeconds * 1000 + 1);
  let found: Occurrence | undefined;
  for (let cursor = earliest; ; ) {
    const [occurrence] = nextOccurrences(schedule, cursor, 1);
    if (occurrence === undefined || occurrence.start.getTime() > at.getTime()) return found;
    if (occurrence.end.getTime() > at.getTime()) found = occurrence;
    cursor = new Date(occurrence.start.getTime() + 1000);
  }
}

export interface WindowState {
  /** Inside an occurrence and not in a blackout. */
  readonly open: boolean;
  /** Open and before the cutoff: a new host may be started. */
  readonly canStart: boolean;
  readonly occurrence?: Occurrence;
  /** The blackout that closes the window, when one does. */
  readonly blackout?: string;
}

function blackoutAt(window: MaintenanceWindow, at: Date): string | undefined {
  const zone = window.spec.timeZone;
  for (const [index, blackout] of (window.spec.blackouts ?? []).entries()) {
    const label = blackout.name ?? `blackouts[${index}]`;
    if (blackout.start !== undefined && blackout.end !== undefined) {
      const start = DateTime.fromISO(blackout.start, { zone });
      const end = DateTime.fromISO(blackout.end, { zone });
      if (start.isValid && end.isValid && at.getTime() >= start.toMillis() && at.getTime() < end.toMillis()) return label;
    } else if (blackout.yearly !== undefined) {
      const local = DateTime.fromJSDate(at, { zone });
      const today = local.toFormat('MM-dd');
      const { firstDay, lastDay } = blackout.yearly;
      const inside = firstDay <= lastDay ? today >= firstDay && today <= lastDay : today >= firstDay || today <= lastDay;
      if (inside) return label;
    }
  }
  return undefined;
}

/** Whether the window is open at `at`; blackouts always win. Schedules that do not compile never open. */
export function isWindowOpen(window: MaintenanceWindow, at: Date): WindowState {
  const blackout = blackoutAt(window, at);
  let best: Occurrence | undefined;
  for (const schedule of window.spec.schedules) {
    const compiled = compileSchedule(schedule, window.spec);
    if (!compiled.ok) continue;
    const occurrence = occurrenceAt(compiled.value, at);
    if (occurrence !== undefined && (best === undefined || occurrence.lastStart.getTime() > best.lastStart.getTime())) best = occurrence;
  }
  if (best === undefined) return { open: false, canStart: false };
  if (blackout !== undefined) return { open: false, canStart: false, occurrence: best, blackout };
  return { open: true, canStart: at.getTime() < best.lastStart.getTime(), occurrence: best };
}
