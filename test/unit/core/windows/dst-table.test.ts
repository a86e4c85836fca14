/**
 * The one daylight-saving rule (docs/maintenance-windows.md), as a table: every case is written
 * once and run twice, as cron and as the equivalent RRULE, which must give the same openings.
 * Expectations are worked out by hand from the zones' rules (tzdb):
 * - Europe/Berlin 2026: 03-29 02:00 CET → 03:00 CEST; 10-25 03:00 CEST → 02:00 CET.
 * - America/New_York 2026: 03-08 02:00 EST → 03:00 EDT; 11-01 02:00 EDT → 01:00 EST.
 * - Australia/Lord_Howe 2026 (30-minute shift): 04-05 02:00 (+11) → 01:30 (+10:30);
 *   10-04 02:00 (+10:30) → 02:30 (+11).
 * - Asia/Kolkata: +05:30 all year (midnight, blackouts and cutoff without DST).
 * - America/Santiago 2026: 04-05 00:00 (-03) → 04-04 23:00 (-04); 09-06 00:00 (-04) → 01:00 (-03).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Blackout, MaintenanceWindow } from '../../../../controller/core/model/index.js';
import { formatInstant, openPieces } from '../../../../controller/core/windows/index.js';

interface Case {
  readonly name: string;
  readonly zone: string;
  readonly cron: string;
  readonly rrule: string;
  readonly duration: string;
  readonly cutoff?: string;
  readonly blackouts?: Blackout[];
  /** The instant asked about (UTC). */
  readonly from: string;
  /** Openings as `start end [lastStart]` in the zone; lastStart defaults to end. */
  readonly expected: string[];
}

const daily = (hour: number, minute = 0): string => `FREQ=DAILY;BYHOUR=${hour};BYMINUTE=${minute}`;

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const LORD_HOWE = 'Australia/Lord_Howe';
const KOLKATA = 'Asia/Kolkata';
const SANTIAGO = 'America/Santiago';

const CASES: Case[] = [
  // Europe/Berlin
  {
    name: 'Berlin gap: 02:30 moves to 03:30',
    zone: BERLIN,
    cron: '30 2 * * *',
    rrule: daily(2, 30),
    duration: '1h',
    from: '2026-03-28T12:00:00Z',
    expected: ['2026-03-29T03:30:00+02:00 2026-03-29T04:30:00+02:00', '2026-03-30T02:30:00+02:00 2026-03-30T03:30:00+02:00'],
  },
  {
    name: 'Berlin gap: 02:00, the first missing minute, moves to 03:00',
    zone: BERLIN,
    cron: '0 2 * * *',
    rrule: daily(2),
    duration: '30m',
    from: '2026-03-28T12:00:00Z',
    expected: ['2026-03-29T03:00:00+02:00 2026-03-29T03:30:00+02:00'],
  },
  {
    name: 'Berlin gap: 03:00 exists and stays',
    zone: BERLIN,
    cron: '0 3 * * *',
    rrule: daily(3),
    duration: '30m',
    from: '2026-03-28T12:00:00Z',
    expected: ['2026-03-29T03:00:00+02:00 2026-03-29T03:30:00+02:00', '2026-03-30T03:00:00+02:00 2026-03-30T03:30:00+02:00'],
  },
  {
    name: 'Berlin gap: starts every 15 minutes in the gap collapse onto the hour after it',
    zone: BERLIN,
    cron: '*/15 2-3 29 3 *',
    rrule: 'FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=29;BYHOUR=2,3;BYMINUTE=0,15,30,45',
    duration: '10m',
    from: '2026-03-28T12:00:00Z',
    expected: [
      '2026-03-29T03:00:00+02:00 2026-03-29T03:10:00+02:00',
      '2026-03-29T03:15:00+02:00 2026-03-29T03:25:00+02:00',
      '2026-03-29T03:30:00+02:00 2026-03-29T03:40:00+02:00',
      '2026-03-29T03:45:00+02:00 2026-03-29T03:55:00+02:00',
      '2027-03-29T02:00:00+02:00 2027-03-29T02:10:00+02:00',
    ],
  },
  {
    name: 'Berlin fold: 02:30 opens at the first 02:30 (CEST)',
    zone: BERLIN,
    cron: '30 2 * * *',
    rrule: daily(2, 30),
    duration: '1h',
    from: '2026-10-24T12:00:00Z',
    expected: ['2026-10-25T02:30:00+02:00 2026-10-25T02:30:00+01:00', '2026-10-26T02:30:00+01:00 2026-10-26T03:30:00+01:00'],
  },
  {
    name: 'Berlin fold: the second 02:30 opens nothing',
    zone: BERLIN,
    cron: '30 2 * * *',
    rrule: daily(2, 30),
    duration: '1h',
    from: '2026-10-25T01:31:00Z',
    expected: ['2026-10-26T02:30:00+01:00 2026-10-26T03:30:00+01:00'],
  },
  {
    name: 'Berlin fold: asked during the repeated hour, the first 02:30 is still open',
    zone: BERLIN,
    cron: '30 2 * * *',
    rrule: daily(2, 30),
    duration: '1h',
    from: '2026-10-25T01:15:00Z',
    expected: ['2026-10-25T02:30:00+02:00 2026-10-25T02:30:00+01:00'],
  },
  {
    name: 'Berlin: a duration is elapsed time across the gap',
    zone: BERLIN,
    cron: '30 1 * * *',
    rrule: daily(1, 30),
    duration: '2h',
    from: '2026-03-28T12:00:00Z',
    expected: ['2026-03-29T01:30:00+01:00 2026-03-29T04:30:00+02:00'],
  },
  {
    name: 'Berlin: a duration is elapsed time across the fold',
    zone: BERLIN,
    cron: '30 1 * * *',
    rrule: daily(1, 30),
    duration: '2h',
    from: '2026-10-24T12:00:00Z',
    expected: ['2026-10-25T01:30:00+02:00 2026-10-25T02:30:00+01:00'],
  },
  {
    name: 'Berlin midnight wrap Monday-Thursday, asked Thursday night (open now)',
    zone: BERLIN,
    cron: '0 22 * * 1-4',
    rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH;BYHOUR=22;BYMINUTE=0',
    duration: '4h',
    cutoff: '1h',
    from: '2027-02-04T22:00:00Z',
    expected: [
      '2027-02-04T22:00:00+01:00 2027-02-05T02:00:00+01:00 2027-02-05T01:00:00+01:00',
      '2027-02-08T22:00:00+01:00 2027-02-09T02:00:00+01:00 2027-02-09T01:00:00+01:00',
    ],
  },
  {
    name: 'Berlin yearly freeze: the occurrence it overlaps is cut at midnight, the first after it starts at midnight',
    zone: BERLIN,
    cron: '0 22 * * *',
    rrule: daily(22),
    duration: '4h',
    cutoff: '1h',
    blackouts: [{ name: 'freeze', yearly: { firstDay: '12-20', lastDay: '01-06' }, reason: 'year end' }],
    from: '2026-12-19T12:00:00Z',
    expected: [
      '2026-12-19T22:00:00+01:00 2026-12-20T00:00:00+01:00 2026-12-19T23:00:00+01:00',
      '2027-01-07T00:00:00+01:00 2027-01-07T02:00:00+01:00 2027-01-07T01:00:00+01:00',
      '2027-01-07T22:00:00+01:00 2027-01-08T02:00:00+01:00 2027-01-08T01:00:00+01:00',
    ],
  },
  {
    name: 'Berlin: pieces not longer than the cutoff are not openings',
    zone: BERLIN,
    cron: '0 22 * * *',
    rrule: daily(22),
    duration: '4h',
    cutoff: '2h',
    blackouts: [{ yearly: { firstDay: '12-20', lastDay: '01-06' }, reason: 'year end' }],
    from: '2026-12-19T12:00:00Z',
    expected: ['2027-01-07T22:00:00+01:00 2027-01-08T02:00:00+01:00 2027-01-08T00:00:00+01:00'],
  },
  {
    name: 'Berlin: a blackout inside an occurrence leaves two pieces',
    zone: BERLIN,
    cron: '0 20 * * *',
    rrule: daily(20),
    duration: '6h',
    cutoff: '30m',
    blackouts: [{ start: '2027-03-05T22:00', end: '2027-03-05T23:30', reason: 'backup' }],
    from: '2027-03-05T12:00:00Z',
    expected: [
      '2027-03-05T20:00:00+01:00 2027-03-05T22:00:00+01:00 2027-03-05T21:30:00+01:00',
      '2027-03-05T23:30:00+01:00 2027-03-06T02:00:00+01:00 2027-03-06T01:30:00+01:00',
      '2027-03-06T20:00:00+01:00 2027-03-07T02:00:00+01:00 2027-03-07T01:30:00+01:00',
    ],
  },
  {
    name: 'Berlin: a blackout with an explicit offset covers a whole occurrence',
    zone: BERLIN,
    cron: '0 2 * * *',
    rrule: daily(2),
    duration: '1h',
    blackouts: [{ start: '2027-03-04T23:00:00Z', end: '2027-03-05T23:00:00Z', reason: 'move' }],
    from: '2027-03-04T00:00:00Z',
    expected: ['2027-03-04T02:00:00+01:00 2027-03-04T03:00:00+01:00', '2027-03-06T02:00:00+01:00 2027-03-06T03:00:00+01:00'],
  },
  // America/New_York
  {
    name: 'New York gap: 02:30 moves to 03:30',
    zone: NEW_YORK,
    cron: '30 2 * * *',
    rrule: daily(2, 30),
    duration: '1h',
    from: '2026-03-07T12:00:00Z',
    expected: ['2026-03-08T03:30:00-04:00 2026-03-08T04:30:00-04:00', '2026-03-09T02:30:00-04:00 2026-03-09T03:30:00-04:00'],
  },
  {
    name: 'New York fold: 01:30 opens at the first 01:30 (EDT)',
    zone: NEW_YORK,
    cron: '30 1 * * *',
    rrule: daily(1, 30),
    duration: '1h',
    from: '2026-10-31T12:00:00Z',
    expected: ['2026-11-01T01:30:00-04:00 2026-11-01T01:30:00-05:00', '2026-11-02T01:30:00-05:00 2026-11-02T02:30:00-05:00'],
  },
  {
    name: 'New York fold: the second 01:30 opens nothing',
    zone: NEW_YORK,
    cron: '30 1 * * *',
    rrule: daily(1, 30),
    duration: '1h',
    from: '2026-11-01T06:31:00Z',
    expected: ['2026-11-02T01:30:00-05:00 2026-11-02T02:30:00-05:00'],
  },
  {
    name: 'New York midnight wrap over the fold: 3 h elapsed end at the second 01:00',
    zone: NEW_YORK,
    cron: '0 23 * * *',
    rrule: daily(23),
    duration: '3h',
    from: '2026-10-31T12:00:00Z',
    expected: ['2026-10-31T23:00:00-04:00 2026-11-01T01:00:00-05:00'],
  },
  {
    name: 'New York weekly Sunday 02:00 on the spring-forward Sunday',
    zone: NEW_YORK,
    cron: '0 2 * * 0',
    rrule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0',
    duration: '2h',
    from: '2026-03-07T12:00:00Z',
    expected: ['2026-03-08T03:00:00-04:00 2026-03-08T05:00:00-04:00', '2026-03-15T02:00:00-04:00 2026-03-15T04:00:00-04:00'],
  },
  {
    name: 'New York cutoff counts back from the elapsed end after a gap',
    zone: NEW_YORK,
    cron: '0 2 * * *',
    rrule: daily(2),
    duration: '4h',
    cutoff: '1h30m',
    from: '2026-03-07T12:00:00Z',
    expected: ['2026-03-08T03:00:00-04:00 2026-03-08T07:00:00-04:00 2026-03-08T05:30:00-04:00'],
  },
  {
    name: 'New York second Sunday of March, 02:30: every year in the gap',
    zone: NEW_YORK,
    cron: '30 2 * 3 0#2',
    rrule: 'FREQ=YEARLY;BYMONTH=3;BYDAY=2SU;BYHOUR=2;BYMINUTE=30',
    duration: '1h',
    from: '2026-01-01T00:00:00Z',
    expected: ['2026-03-08T03:30:00-04:00 2026-03-08T04:30:00-04:00', '2027-03-14T03:30:00-04:00 2027-03-14T04:30:00-04:00'],
  },
  {
    name: 'New York blackout of local dates: cut at its start, resumed at local midnight after it',
    zone: NEW_YORK,
    cron: '0 23 * * *',
    rrule: daily(23),
    duration: '2h',
    blackouts: [{ start: '2026-07-03', end: '2026-07-05', reason: 'holiday' }],
    from: '2026-07-02T12:00:00Z',
    expected: [
      '2026-07-02T23:00:00-04:00 2026-07-03T00:00:00-04:00',
      '2026-07-05T00:00:00-04:00 2026-07-05T01:00:00-04:00',
      '2026-07-05T23:00:00-04:00 2026-07-06T01:00:00-04:00',
    ],
  },
  // Australia/Lord_Howe (30-minute shift)
  {
    name: 'Lord Howe: daily 02:00 keeps firing after the April change',
    zone: LORD_HOWE,
    cron: '0 2 * * *',
    rrule: daily(2),
    duration: '1h',
    from: '2026-04-10T00:00:00Z',
    expected: ['2026-04-11T02:00:00+10:30 2026-04-11T03:00:00+10:30', '2026-04-12T02:00:00+10:30 2026-04-12T03:00:00+10:30'],
  },
  {
    name: 'Lord Howe: daily 03:00 keeps firing after the April change',
    zone: LORD_HOWE,
    cron: '0 3 * * *',
    rrule: daily(3),
    duration: '1h',
    from: '2026-04-04T00:00:00Z',
    expected: ['2026-04-05T03:00:00+10:30 2026-04-05T04:00:00+10:30', '2026-04-06T03:00:00+10:30 2026-04-06T04:00:00+10:30'],
  },
  {
    name: 'Lord Howe gap: 02:00 moves to 02:30',
    zone: LORD_HOWE,
    cron: '0 2 * * *',
    rrule: daily(2),
    duration: '1h',
    from: '2026-10-02T12:00:00Z',
    expected: [
      '2026-10-03T02:00:00+10:30 2026-10-03T03:00:00+10:30',
      '2026-10-04T02:30:00+11:00 2026-10-04T03:30:00+11:00',
      '2026-10-05T02:00:00+11:00 2026-10-05T03:00:00+11:00',
    ],
  },
  {
    name: 'Lord Howe gap: 02:15 moves to 02:45',
    zone: LORD_HOWE,
    cron: '15 2 * * *',
    rrule: daily(2, 15),
    duration: '30m',
    from: '2026-10-03T12:00:00Z',
    expected: ['2026-10-04T02:45:00+11:00 2026-10-04T03:15:00+11:00'],
  },
  {
    name: 'Lord Howe fold: 01:45 opens at the first 01:45 (+11)',
    zone: LORD_HOWE,
    cron: '45 1 * * *',
    rrule: daily(1, 45),
    duration: '1h',
    from: '2026-04-04T00:00:00Z',
    expected: ['2026-04-05T01:45:00+11:00 2026-04-05T02:15:00+10:30', '2026-04-06T01:45:00+10:30 2026-04-06T02:45:00+10:30'],
  },
  {
    name: 'Lord Howe fold: the second 01:45 opens nothing',
    zone: LORD_HOWE,
    cron: '45 1 * * *',
    rrule: daily(1, 45),
    duration: '30m',
    from: '2026-04-04T15:16:00Z',
    expected: ['2026-04-06T01:45:00+10:30 2026-04-06T02:15:00+10:30'],
  },
  {
    name: 'Lord Howe midnight wrap over the gap: 3 h elapsed end at 02:30',
    zone: LORD_HOWE,
    cron: '0 23 * * *',
    rrule: daily(23),
    duration: '3h',
    from: '2026-10-03T00:00:00Z',
    expected: ['2026-10-03T23:00:00+10:30 2026-10-04T02:30:00+11:00'],
  },
  {
    name: 'Lord Howe cutoff over the gap',
    zone: LORD_HOWE,
    cron: '0 1 * * *',
    rrule: daily(1),
    duration: '2h',
    cutoff: '30m',
    from: '2026-10-03T12:00:00Z',
    expected: ['2026-10-04T01:00:00+10:30 2026-10-04T03:30:00+11:00 2026-10-04T03:00:00+11:00'],
  },
  {
    name: 'Lord Howe weekly Sunday 02:00 on the change day, then as usual',
    zone: LORD_HOWE,
    cron: '0 2 * * 0',
    rrule: 'FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0',
    duration: '1h',
    from: '2026-10-01T00:00:00Z',
    expected: ['2026-10-04T02:30:00+11:00 2026-10-04T03:30:00+11:00', '2026-10-11T02:00:00+11:00 2026-10-11T03:00:00+11:00'],
  },
  {
    name: 'Lord Howe yearly blackout on the change day (whole local days)',
    zone: LORD_HOWE,
    cron: '0 22 * * *',
    rrule: daily(22),
    duration: '4h',
    cutoff: '1h',
    blackouts: [{ yearly: { firstDay: '10-04', lastDay: '10-04' }, reason: 'change day' }],
    from: '2026-10-03T00:00:00Z',
    expected: [
      '2026-10-03T22:00:00+10:30 2026-10-04T00:00:00+10:30 2026-10-03T23:00:00+10:30',
      '2026-10-05T00:00:00+11:00 2026-10-05T02:00:00+11:00 2026-10-05T01:00:00+11:00',
      '2026-10-05T22:00:00+11:00 2026-10-06T02:00:00+11:00 2026-10-06T01:00:00+11:00',
    ],
  },
  // Asia/Kolkata (no DST)
  {
    name: 'Kolkata midnight wrap',
    zone: KOLKATA,
    cron: '30 23 * * *',
    rrule: daily(23, 30),
    duration: '2h',
    from: '2026-06-01T00:00:00Z',
    expected: ['2026-06-01T23:30:00+05:30 2026-06-02T01:30:00+05:30', '2026-06-02T23:30:00+05:30 2026-06-03T01:30:00+05:30'],
  },
  {
    name: 'Kolkata: asked after midnight inside the wrapped occurrence, it is listed first',
    zone: KOLKATA,
    cron: '30 23 * * *',
    rrule: daily(23, 30),
    duration: '2h',
    from: '2026-06-01T19:30:00Z',
    expected: ['2026-06-01T23:30:00+05:30 2026-06-02T01:30:00+05:30', '2026-06-02T23:30:00+05:30 2026-06-03T01:30:00+05:30'],
  },
  {
    name: 'Kolkata: asked after the last start, the occurrence is still listed until it ends',
    zone: KOLKATA,
    cron: '0 2 * * *',
    rrule: daily(2),
    duration: '1h',
    cutoff: '30m',
    from: '2026-06-01T21:10:00Z',
    expected: ['2026-06-02T02:00:00+05:30 2026-06-02T03:00:00+05:30 2026-06-02T02:30:00+05:30'],
  },
  {
    name: 'Kolkata: a whole-day blackout removes that night',
    zone: KOLKATA,
    cron: '0 2 * * *',
    rrule: daily(2),
    duration: '2h',
    blackouts: [{ start: '2026-08-15', end: '2026-08-16', reason: 'Independence Day' }],
    from: '2026-08-13T12:00:00Z',
    expected: ['2026-08-14T02:00:00+05:30 2026-08-14T04:00:00+05:30', '2026-08-16T02:00:00+05:30 2026-08-16T04:00:00+05:30'],
  },
  {
    name: 'Kolkata: a blackout that ends inside an occurrence leaves its tail',
    zone: KOLKATA,
    cron: '0 2 * * *',
    rrule: daily(2),
    duration: '2h',
    cutoff: '30m',
    blackouts: [{ start: '2026-08-15', end: '2026-08-16T03:00', reason: 'Independence Day' }],
    from: '2026-08-15T00:00:00Z',
    expected: [
      '2026-08-16T03:00:00+05:30 2026-08-16T04:00:00+05:30 2026-08-16T03:30:00+05:30',
      '2026-08-17T02:00:00+05:30 2026-08-17T04:00:00+05:30 2026-08-17T03:30:00+05:30',
    ],
  },
  {
    name: 'Kolkata first Monday of the month',
    zone: KOLKATA,
    cron: '0 1 * * 1#1',
    rrule: 'FREQ=MONTHLY;BYDAY=1MO;BYHOUR=1;BYMINUTE=0',
    duration: '3h',
    from: '2026-05-15T00:00:00Z',
    expected: ['2026-06-01T01:00:00+05:30 2026-06-01T04:00:00+05:30', '2026-07-06T01:00:00+05:30 2026-07-06T04:00:00+05:30'],
  },
  {
    name: 'Kolkata yearly blackout on 02-29 closes that day in leap years only',
    zone: KOLKATA,
    cron: '0 10 * * *',
    rrule: daily(10),
    duration: '1h',
    blackouts: [{ yearly: { firstDay: '02-29', lastDay: '02-29' }, reason: 'leap day' }],
    from: '2028-02-28T00:00:00Z',
    expected: ['2028-02-28T10:00:00+05:30 2028-02-28T11:00:00+05:30', '2028-03-01T10:00:00+05:30 2028-03-01T11:00:00+05:30'],
  },
  // America/Santiago (changes at midnight)
  {
    name: 'Santiago gap at midnight: 00:00 moves to 01:00',
    zone: SANTIAGO,
    cron: '0 0 * * *',
    rrule: daily(0),
    duration: '1h',
    from: '2026-09-05T12:00:00Z',
    expected: ['2026-09-06T01:00:00-03:00 2026-09-06T02:00:00-03:00', '2026-09-07T00:00:00-03:00 2026-09-07T01:00:00-03:00'],
  },
  {
    name: 'Santiago gap: 00:30 moves to 01:30',
    zone: SANTIAGO,
    cron: '30 0 * * *',
    rrule: daily(0, 30),
    duration: '90m',
    from: '2026-09-05T12:00:00Z',
    expected: ['2026-09-06T01:30:00-03:00 2026-09-06T03:00:00-03:00'],
  },
  {
    name: 'Santiago fold: 23:30 on the Saturday opens at the first 23:30 (-03)',
    zone: SANTIAGO,
    cron: '30 23 * * *',
    rrule: daily(23, 30),
    duration: '1h',
    from: '2026-04-04T12:00:00Z',
    expected: ['2026-04-04T23:30:00-03:00 2026-04-04T23:30:00-04:00', '2026-04-05T23:30:00-04:00 2026-04-06T00:30:00-04:00'],
  },
  {
    name: 'Santiago fold, weekly Saturday: the second 23:30 opens nothing',
    zone: SANTIAGO,
    cron: '30 23 * * 6',
    rrule: 'FREQ=WEEKLY;BYDAY=SA;BYHOUR=23;BYMINUTE=30',
    duration: '30m',
    from: '2026-04-05T03:01:00Z',
    expected: ['2026-04-11T23:30:00-04:00 2026-04-12T00:00:00-04:00'],
  },
  {
    name: 'Santiago midnight wrap over the gap: 4 h elapsed from 22:00 end at 03:00',
    zone: SANTIAGO,
    cron: '0 22 * * *',
    rrule: daily(22),
    duration: '4h',
    from: '2026-09-05T12:00:00Z',
    expected: ['2026-09-05T22:00:00-04:00 2026-09-06T03:00:00-03:00'],
  },
  {
    name: 'Santiago yearly blackout with cutoff (Fiestas Patrias)',
    zone: SANTIAGO,
    cron: '0 22 * * *',
    rrule: daily(22),
    duration: '4h',
    cutoff: '1h',
    blackouts: [{ name: 'fiestas', yearly: { firstDay: '09-18', lastDay: '09-19' }, reason: 'national holidays' }],
    from: '2026-09-17T12:00:00Z',
    expected: [
      '2026-09-17T22:00:00-03:00 2026-09-18T00:00:00-03:00 2026-09-17T23:00:00-03:00',
      '2026-09-20T00:00:00-03:00 2026-09-20T02:00:00-03:00 2026-09-20T01:00:00-03:00',
      '2026-09-20T22:00:00-03:00 2026-09-21T02:00:00-03:00 2026-09-21T01:00:00-03:00',
    ],
  },
];

function windowOf(testCase: Case, schedule: { cron: string } | { rrule: string }): MaintenanceWindow {
  return {
    apiVersion: 'patchward.io/v1alpha1',
    kind: 'MaintenanceWindow',
    metadata: { name: 'w' },
    spec: {
      timeZone: testCase.zone,
      ...(testCase.cutoff === undefined ? {} : { cutoff: testCase.cutoff }),
      schedules: [{ ...schedule, duration: testCase.duration }],
      ...(testCase.blackouts === undefined ? {} : { blackouts: testCase.blackouts }),
    },
  };
}

function openings(window: MaintenanceWindow, from: string, count: number, zone: string): string[] {
  return openPieces(window, new Date(from), count).map((piece) => {
    const [start, end, lastStart] = [piece.start, piece.end, piece.lastStart].map((instant) => formatInstant(instant, zone));
    return lastStart === end ? `${start} ${end}` : `${start} ${end} ${lastStart}`;
  });
}

describe('maintenance windows: one DST rule for cron and RRULE (table)', () => {
  it('has at least 40 cases, each in both syntaxes, over the five zones', () => {
    assert.ok(CASES.length >= 40, `${CASES.length} cases`);
    assert.deepEqual(new Set(CASES.map((testCase) => testCase.zone)), new Set([BERLIN, NEW_YORK, LORD_HOWE, KOLKATA, SANTIAGO]));
  });
  for (const testCase of CASES) {
    for (const syntax of ['cron', 'rrule'] as const) {
      it(`${testCase.name} [${syntax}]`, () => {
        const schedule = syntax === 'cron' ? { cron: testCase.cron } : { rrule: testCase.rrule };
        assert.deepEqual(openings(windowOf(testCase, schedule), testCase.from, testCase.expected.length, testCase.zone), testCase.expected);
      });
    }
  }
});
