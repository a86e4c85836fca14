import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MaintenanceWindow, WindowSchedule } from '../../../../controller/core/model/index.js';
import { compileSchedule, nextOccurrences, type CompiledSchedule } from '../../../../controller/core/windows/schedule.js';
import { isOpen } from '../../../../controller/core/windows/window.js';

function compiled(schedule: WindowSchedule, timeZone: string, cutoff?: string): CompiledSchedule {
  const result = compileSchedule(schedule, { timeZone, cutoff });
  assert.ok(result.ok, JSON.stringify(result));
  return result.value;
}

const starts = (schedule: CompiledSchedule, from: string, count: number): string[] =>
  nextOccurrences(schedule, new Date(from), count).map((occurrence) => occurrence.start.toISOString());

describe('schedules', () => {
  it('cron 2#2 is the second Tuesday, in the zone, across a DST change', () => {
    const schedule = compiled({ cron: '0 22 * * 2#2', duration: '4h' }, 'Europe/Berlin');
    assert.deepEqual(starts(schedule, '2027-02-01T00:00:00Z', 3), [
      '2027-02-09T21:00:00.000Z',
      '2027-03-09T21:00:00.000Z',
      '2027-04-13T20:00:00.000Z',
    ]);
  });

  it('an RRULE and the equivalent cron give the same starts', () => {
    const rrule = compiled({ rrule: 'FREQ=MONTHLY;BYDAY=2TU;BYHOUR=22;BYMINUTE=0', duration: '4h' }, 'Europe/Berlin');
    const cron = compiled({ cron: '0 22 * * 2#2', duration: '4h' }, 'Europe/Berlin');
    assert.deepEqual(starts(rrule, '2026-11-21T00:00:00Z', 12), starts(cron, '2026-11-21T00:00:00Z', 12));
  });

  it('occurrences carry end and last start (cutoff before the end)', () => {
    const schedule = compiled({ cron: '0 2 * * *', duration: '2h' }, 'UTC', '30m');
    const [first] = nextOccurrences(schedule, new Date('2027-01-01T00:00:00Z'), 1);
    assert.equal(first?.end.toISOString(), '2027-01-01T04:00:00.000Z');
    assert.equal(first?.lastStart.toISOString(), '2027-01-01T03:30:00.000Z');
  });

  it('refuses unknown zones, six-field cron and sub-daily RRULEs', () => {
    assert.deepEqual(compileSchedule({ cron: '0 2 * * *', duration: '1h' }, { timeZone: 'Europe/Berlim' }), {
      ok: false,
      error: { field: 'timeZone', message: 'unknown time zone "Europe/Berlim"' },
    });
    assert.equal(compileSchedule({ cron: '0 0 2 * * *', duration: '1h' }, { timeZone: 'UTC' }).ok, false);
    assert.equal(compileSchedule({ rrule: 'FREQ=HOURLY;BYHOUR=1;BYMINUTE=0', duration: '1h' }, { timeZone: 'UTC' }).ok, false);
  });
});

describe('isOpen', () => {
  const window: MaintenanceWindow = {
    apiVersion: 'patchward.io/v1alpha1',
    kind: 'MaintenanceWindow',
    metadata: { name: 'nights' },
    spec: {
      timeZone: 'Europe/Berlin',
      cutoff: '1h',
      schedules: [{ cron: '0 22 * * 1-4', duration: '4h' }],
      blackouts: [
        { yearly: { firstDay: '12-20', lastDay: '01-06' }, reason: 'freeze' },
        { start: '2027-03-02T00:00', end: '2027-03-03', reason: 'move' },
      ],
    },
  };
  const table: [string, string, { open: boolean; canStart: boolean; blackout?: string }][] = [
    ['Monday 22:30 local', '2027-02-01T21:30:00Z', { open: true, canStart: true }],
    ['after local midnight, still inside (wraps)', '2027-02-01T23:30:00Z', { open: true, canStart: true }],
    ['inside the last hour (cutoff): open, but no new host', '2027-02-02T00:30:00Z', { open: true, canStart: false }],
    ['after the end', '2027-02-02T01:00:01Z', { open: false, canStart: false }],
    ['Friday night: no schedule', '2027-02-05T21:30:00Z', { open: false, canStart: false }],
    ['year-end freeze wins', '2026-12-21T21:30:00Z', { open: false, canStart: false, blackout: 'blackouts[0]' }],
    ['freeze wraps over new year', '2027-01-05T21:30:00Z', { open: false, canStart: false, blackout: 'blackouts[0]' }],
    ['first Monday after the freeze', '2027-01-11T21:30:00Z', { open: true, canStart: true }],
    ['absolute blackout, local dates', '2027-03-02T21:30:00Z', { open: false, canStart: false, blackout: 'blackouts[1]' }],
  ];
  for (const [name, at, expected] of table) {
    it(name, () => {
      const state = isOpen(window, new Date(at));
      assert.deepEqual(
        { open: state.open, canStart: state.canStart, ...(state.blackout === undefined ? {} : { blackout: state.blackout.label }) },
        expected,
      );
    });
  }
});
