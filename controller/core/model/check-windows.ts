/**
 * MaintenanceWindow checks: time zones, schedules that parse and fire, cutoff < duration, blackouts;
 * and Rings whose windows will never open again. What is an error does not depend on the day
 * the check runs (`now` only turns things into warnings): a repository valid yesterday stays
 * valid today without a commit.
 */
import { DateTime } from 'luxon';
import { compileSchedule, isValidTimeZone, LIFETIME_HORIZON_MS } from '../windows/schedule.js';
import { windowsNeverOpenAgain } from '../windows/window.js';
import { problemAt } from './document-problem.js';
import { formatDuration, parseDurationSeconds } from './duration.js';
import type { MaintenanceWindow, Ring } from './generated/kinds.js';
import { PROBLEM_CODES, type Problem } from './problem.js';
import type { CheckedDocument } from './validate-policy-set.js';

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isValidMonthDay(text: string): boolean {
  const [month, day] = text.split('-').map(Number);
  return month !== undefined && day !== undefined && month >= 1 && month <= 12 && day >= 1 && day <= (DAYS_IN_MONTH[month - 1] ?? 0);
}

function checkWindow(document: CheckedDocument<MaintenanceWindow>, now: Date): Problem[] {
  const problems: Problem[] = [];
  const spec = document.resource.spec;
  const zoneValid = isValidTimeZone(spec.timeZone);
  if (!zoneValid)
    problems.push(
      problemAt(
        document,
        ['spec', 'timeZone'],
        PROBLEM_CODES.unknownTimeZone,
        `unknown time zone ${JSON.stringify(spec.timeZone)}; use an IANA name such as Europe/Berlin or UTC`,
      ),
    );
  spec.schedules.forEach((schedule, index) => {
    const path = ['spec', 'schedules', index];
    if (schedule.timeZone === undefined && !zoneValid) return;
    const compiled = compileSchedule(schedule, spec);
    if (!compiled.ok) {
      const code = compiled.error.field === 'timeZone' ? PROBLEM_CODES.unknownTimeZone : PROBLEM_CODES.invalidSchedule;
      problems.push(problemAt(document, [...path, compiled.error.field], code, compiled.error.message));
      return;
    }
    const { durationSeconds, cutoffSeconds } = compiled.value;
    if (cutoffSeconds >= durationSeconds) {
      const cutoffPath = schedule.cutoff !== undefined ? [...path, 'cutoff'] : ['spec', 'cutoff'];
      problems.push(
        problemAt(
          document,
          cutoffPath,
          PROBLEM_CODES.cutoffTooLong,
          `cutoff ${formatDuration(cutoffSeconds)} is not shorter than the ${formatDuration(durationSeconds)} duration of schedules[${index}]: no host could ever be started`,
        ),
      );
    }
    const field = schedule.cron !== undefined ? 'cron' : 'rrule';
    if (!compiled.value.firesEver()) {
      problems.push(problemAt(document, [...path, field], PROBLEM_CODES.scheduleNeverFires, 'never fires: no date matches it in any year'));
      return;
    }
    const [next] = compiled.value.starts(now, new Date(now.getTime() + LIFETIME_HORIZON_MS));
    if (next === undefined)
      problems.push(
        problemAt(
          document,
          [...path, field],
          PROBLEM_CODES.scheduleEnded,
          `has ended (COUNT or UNTIL): it fires no more after ${now.toISOString().slice(0, 10)}; it can be removed`,
          'warning',
        ),
      );
  });
  (spec.blackouts ?? []).forEach((blackout, index) => {
    const path = ['spec', 'blackouts', index];
    if (blackout.yearly !== undefined) {
      for (const field of ['start', 'end'] as const) {
        if (blackout[field] !== undefined)
          problems.push(problemAt(document, [...path, field], PROBLEM_CODES.schema, `set either start and end, or yearly, not both`));
      }
      for (const field of ['firstDay', 'lastDay'] as const) {
        if (!isValidMonthDay(blackout.yearly[field]))
          problems.push(
            problemAt(
              document,
              [...path, 'yearly', field],
              PROBLEM_CODES.invalidDate,
              `${blackout.yearly[field]} is not a day of the year (MM-DD)`,
            ),
          );
      }
      return;
    }
    if (blackout.start === undefined || blackout.end === undefined || !zoneValid) return;
    const start = DateTime.fromISO(blackout.start, { zone: spec.timeZone });
    const end = DateTime.fromISO(blackout.end, { zone: spec.timeZone });
    if (!start.isValid)
      problems.push(problemAt(document, [...path, 'start'], PROBLEM_CODES.invalidDate, `${blackout.start} is not a valid date or time`));
    if (!end.isValid)
      problems.push(problemAt(document, [...path, 'end'], PROBLEM_CODES.invalidDate, `${blackout.end} is not a valid date or time`));
    if (start.isValid && end.isValid) {
      if (end.toMillis() <= start.toMillis())
        problems.push(
          problemAt(document, [...path, 'end'], PROBLEM_CODES.emptyPeriod, `end ${blackout.end} is not after start ${blackout.start}`),
        );
      else if (end.toMillis() <= now.getTime())
        problems.push(
          problemAt(document, [...path, 'end'], PROBLEM_CODES.expired, `blackout ended on ${blackout.end}; it can be removed`, 'warning'),
        );
    }
  });
  if (spec.cutoff !== undefined && parseDurationSeconds(spec.cutoff) === undefined) {
    problems.push(problemAt(document, ['spec', 'cutoff'], PROBLEM_CODES.schema, 'is not a duration'));
  }
  return problems;
}

export function checkWindows(windows: readonly CheckedDocument<MaintenanceWindow>[], now: Date): Problem[] {
  return windows.flatMap((document) => checkWindow(document, now));
}

/**
 * A warning for each Ring none of whose windows will let a host start again after `now`
 * (`windowsNeverOpenAgain`, which the engine turns into a Stalled condition). Windows with an
 * error of their own and unknown window names are left to their own checks.
 */
export function checkRingWindows(
  rings: readonly CheckedDocument<Ring>[],
  windows: readonly CheckedDocument<MaintenanceWindow>[],
  now: Date,
): Problem[] {
  const usable = new Map(
    windows
      .filter((document) => !checkWindow(document, now).some((problem) => problem.severity === 'error'))
      .map((document) => [document.name, document.resource]),
  );
  const problems: Problem[] = [];
  for (const ring of rings) {
    const names = ring.resource.spec.windows;
    const resolved = names.map((name) => usable.get(name));
    if (resolved.some((window) => window === undefined)) continue;
    const never = windowsNeverOpenAgain(resolved as MaintenanceWindow[], now);
    if (never !== undefined)
      problems.push(
        problemAt(
          ring,
          ['spec', 'windows'],
          PROBLEM_CODES.ringNeverOpens,
          `Ring ${ring.name} will not be patched again: ${never.reason}`,
          'warning',
        ),
      );
  }
  return problems;
}
