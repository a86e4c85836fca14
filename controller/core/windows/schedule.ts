/**
 * Maintenance-window schedules: when occurrences start, in the schedule's time zone.
 * Pure: `from`/`until` are parameters; cron-parser, rrule and luxon only compute.
 *
 * Both syntaxes produce wall-clock start times ("floating" times, see wall-clock.ts), which are
 * turned into instants by the one daylight-saving rule (docs/maintenance-windows.md): a start in a
 * gap moves forward by the gap, a start in a fold opens once at its first instant, a duration is
 * elapsed time.
 * - cron: five fields (minute hour day-of-month month day-of-week), `#` for the nth weekday
 *   (`0 22 * * 2#2` = second Tuesday 22:00), matched against the wall clock of the zone.
 * - RRULE: RFC 5545 without DTSTART; FREQ DAILY, WEEKLY, MONTHLY or YEARLY, BYHOUR and BYMINUTE
 *   required; wall-clock; INTERVAL, COUNT and UNTIL count from Monday 2024-01-01 00:00 (UNTIL is
 *   read as a wall time of the zone).
 */
import { CronExpressionParser } from 'cron-parser';
import { IANAZone } from 'luxon';
import rrulePackage from 'rrule';
import { parseDurationSeconds } from '../model/duration.js';
import type { WindowSchedule } from '../model/generated/kinds.js';
import { err, type Result } from '../../errors.js';
import { floatingToInstant, instantToFloating } from './wall-clock.js';

const { RRule, Frequency } = rrulePackage as unknown as typeof import('rrule');
type RRuleInstance = InstanceType<typeof RRule>;

export const RRULE_ANCHOR = Date.UTC(2024, 0, 1, 0, 0, 0);

/** How far ahead the next openings are searched (about three years). */
export const SEARCH_HORIZON_MS = 3 * 366 * 86400 * 1000;

/** How far ahead "will it ever fire/open again" looks: a full 28-year weekday and leap-year cycle. */
export const LIFETIME_HORIZON_MS = 29 * 366 * 86400 * 1000;

/**
 * Largest forward clock change handled in order: starts are buffered this long on the wall clock
 * so that a start moved forward by a gap is sorted among the starts after it. Every change in
 * tzdb since 2012 is at most 2 h.
 */
const GAP_SLACK_MS = 3 * 3600 * 1000;

/** Wall-clock candidates come in chunks of this many. */
const CHUNK = 64;

/** Ascending floating (wall-clock) start times in [from, until). */
type FloatingSource = (from: number, until: number) => Iterable<number>;

export interface CompiledSchedule {
  readonly zone: string;
  readonly durationSeconds: number;
  readonly cutoffSeconds: number;
  /** Start instants in [from, until), ascending, each once. */
  starts(from: Date, until: Date): Iterable<Date>;
  /** First start at or after `from` within SEARCH_HORIZON_MS, or undefined. */
  nextStart(from: Date): Date | undefined;
  /** Whether the rule can fire at all, ignoring COUNT and UNTIL (does not depend on the day). */
  firesEver(): boolean;
}

export type ScheduleField = 'cron' | 'rrule' | 'timeZone' | 'duration' | 'cutoff';

/** Why a schedule cannot be compiled: the field at fault and a sentence. */
export interface ScheduleProblem {
  readonly field: ScheduleField;
  readonly message: string;
}

export type CompileResult = Result<CompiledSchedule, ScheduleProblem>;

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

function cronSource(expression: string): FloatingSource | string {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return `must have 5 fields (minute hour day-of-month month day-of-week), not ${fields.length}`;
  try {
    CronExpressionParser.parse(expression, { tz: 'UTC', currentDate: new Date(RRULE_ANCHOR) });
  } catch (error) {
    return `is not a valid cron expression: ${error instanceof Error ? error.message : String(error)}`;
  }
  return function* (from, until) {
    let parsed;
    try {
      parsed = CronExpressionParser.parse(expression, { tz: 'UTC', currentDate: new Date(from - 1), endDate: new Date(until) });
    } catch {
      return;
    }
    for (;;) {
      let next: number;
      try {
        next = parsed.next().toDate().getTime();
      } catch {
        return; // past endDate
      }
      if (next >= until) return;
      if (next >= from) yield next;
    }
  };
}

const ALLOWED_FREQUENCIES = new Set<number>([Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY, Frequency.YEARLY]);

function rruleSources(text: string): { source: FloatingSource; unbounded: FloatingSource } | string {
  if (/DTSTART/i.test(text)) return 'must not contain DTSTART (the window time zone and the anchor date apply)';
  let rule: RRuleInstance;
  let unboundedRule: RRuleInstance;
  try {
    const options = RRule.parseString(text.replace(/^RRULE:/i, ''));
    if (options.freq === undefined) return 'must set FREQ';
    if (!ALLOWED_FREQUENCIES.has(options.freq)) return 'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY';
    if (options.byhour === undefined || options.byhour === null || options.byminute === undefined || options.byminute === null) {
      return 'must set BYHOUR and BYMINUTE (the time of day each occurrence starts)';
    }
    const common = { ...options, bysecond: options.bysecond ?? [0], dtstart: new Date(RRULE_ANCHOR), tzid: null };
    rule = new RRule(common);
    unboundedRule = new RRule({ ...common, count: null, until: null });
  } catch (error) {
    return `is not a valid RRULE: ${error instanceof Error ? error.message : String(error)}`;
  }
  const sourceOf = (compiled: RRuleInstance): FloatingSource =>
    function* (from, until) {
      let cursor = new Date(from);
      let inclusive = true;
      for (;;) {
        const chunk = compiled.between(cursor, new Date(until), inclusive, (_date, index) => index < CHUNK);
        for (const date of chunk) if (date.getTime() < until) yield date.getTime();
        const last = chunk.at(-1);
        if (chunk.length < CHUNK || last === undefined) return;
        cursor = last;
        inclusive = false;
      }
    };
  return { source: sourceOf(rule), unbounded: sourceOf(unboundedRule) };
}

/**
 * Start instants in [from, until) of a floating source in `zone`, ascending and each once.
 * A start moved forward by a gap can land after later wall times; starts wait in a buffer until
 * the wall clock is GAP_SLACK_MS past them.
 */
function* instantsOf(source: FloatingSource, zone: IANAZone, from: number, until: number): Generator<Date> {
  const buffer: { instant: number; floating: number }[] = [];
  let last = Number.NEGATIVE_INFINITY;
  const release = function* (below: number): Generator<Date> {
    while (buffer.length > 0 && (buffer[0] as { floating: number }).floating + GAP_SLACK_MS < below) {
      const { instant } = buffer.shift() as { instant: number };
      if (instant !== last) {
        last = instant;
        yield new Date(instant);
      }
    }
  };
  const floatingFrom = instantToFloating(zone, from) - GAP_SLACK_MS;
  const floatingUntil = instantToFloating(zone, until) + GAP_SLACK_MS;
  for (const floating of source(floatingFrom, floatingUntil)) {
    const instant = floatingToInstant(zone, floating);
    if (instant >= from && instant < until) {
      let at = buffer.length;
      while (at > 0 && (buffer[at - 1] as { instant: number }).instant > instant) at--;
      buffer.splice(at, 0, { instant, floating });
    }
    yield* release(floating);
  }
  yield* release(Number.POSITIVE_INFINITY);
}

function hasAny(iterable: Iterable<unknown>): boolean {
  for (const _ of iterable) return true;
  return false;
}

/** Compiles one schedule of a window; the schedule's own zone and cutoff override the window's. */
export function compileSchedule(schedule: WindowSchedule, window: { timeZone: string; cutoff?: string | undefined }): CompileResult {
  const zoneName = schedule.timeZone ?? window.timeZone;
  if (!isValidTimeZone(zoneName)) return err({ field: 'timeZone', message: `unknown time zone ${JSON.stringify(zoneName)}` });
  const zone = IANAZone.create(zoneName);
  const durationSeconds = parseDurationSeconds(schedule.duration);
  if (durationSeconds === undefined || durationSeconds <= 0) return err({ field: 'duration', message: 'must be longer than 0s' });
  const cutoffSeconds = parseDurationSeconds(schedule.cutoff ?? window.cutoff ?? '0s') ?? 0;
  let source: FloatingSource;
  let unbounded: FloatingSource;
  if (schedule.cron !== undefined) {
    const cron = cronSource(schedule.cron);
    if (typeof cron === 'string') return err({ field: 'cron', message: cron });
    source = cron;
    unbounded = cron;
  } else if (schedule.rrule !== undefined) {
    const rrule = rruleSources(schedule.rrule);
    if (typeof rrule === 'string') return err({ field: 'rrule', message: rrule });
    ({ source, unbounded } = rrule);
  } else return err({ field: 'cron', message: 'must set cron or rrule' });
  const starts = (from: Date, until: Date): Iterable<Date> => instantsOf(source, zone, from.getTime(), until.getTime());
  return {
    ok: true,
    value: {
      zone: zoneName,
      durationSeconds,
      cutoffSeconds,
      firesEver: () => hasAny(unbounded(RRULE_ANCHOR, RRULE_ANCHOR + LIFETIME_HORIZON_MS)),
      starts,
      nextStart(from) {
        for (const start of starts(from, new Date(from.getTime() + SEARCH_HORIZON_MS))) return start;
        return undefined;
      },
    },
  };
}

export interface Occurrence {
  readonly start: Date;
  readonly end: Date;
  /** No host may be started at or after this instant. */
  readonly lastStart: Date;
}

/** Up to `count` occurrences whose start is at or after `from` (within SEARCH_HORIZON_MS). */
export function nextOccurrences(schedule: CompiledSchedule, from: Date, count: number): Occurrence[] {
  const occurrences: Occurrence[] = [];
  if (count <= 0) return occurrences;
  for (const start of schedule.starts(from, new Date(from.getTime() + SEARCH_HORIZON_MS))) {
    const end = new Date(start.getTime() + schedule.durationSeconds * 1000);
    occurrences.push({ start, end, lastStart: new Date(end.getTime() - schedule.cutoffSeconds * 1000) });
    if (occurrences.length >= count) break;
  }
  return occurrences;
}
