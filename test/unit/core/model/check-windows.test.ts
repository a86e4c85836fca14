/**
 * Validation must not depend on the day it runs (issue 9): the same files, checked with
 * different injected clocks, give the same errors; only warnings may change.
 */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { createPolicyValidator, type PolicyValidator } from '../../../../controller/core/model/validate-policy-set.js';
import type { MaintenanceWindow } from '../../../../controller/core/model/index.js';
import { windowsNeverOpenAgain } from '../../../../controller/core/windows/index.js';
import { readCrdSchemas } from '../../../../controller/edges/policy-repo/read-crds.js';

const window = (name: string, schedule: string, extra = ''): string =>
  `apiVersion: patchward.io/v1alpha1\nkind: MaintenanceWindow\nmetadata: { name: ${name} }\nspec:\n  timeZone: Europe/Berlin\n  schedules:\n    - ${schedule}\n      duration: 2h\n${extra}`;

const FLEET_AND_RING = (windows: string): string =>
  [
    'apiVersion: patchward.io/v1alpha1',
    'kind: Fleet',
    'metadata: { name: prod }',
    'spec:',
    '  defaults:',
    '    ssh:',
    '      user: patchward',
    '      keyRef: { file: /keys/id_ed25519 }',
    '      hostKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILaZ++HvBaTCfdpPgRFCq1XD1UWcbyY/6CsR3nI/TnHg"]',
    '  hosts:',
    '    - { name: h1, address: 10.0.0.1, labels: { ring: a } }',
    '---',
    'apiVersion: patchward.io/v1alpha1',
    'kind: Ring',
    'metadata: { name: a }',
    'spec:',
    '  order: 0',
    '  selector: { matchLabels: { ring: a } }',
    `  windows: [${windows}]`,
    '',
  ].join('\n');

const UNTIL_2027 = 'rrule: "FREQ=DAILY;BYHOUR=1;BYMINUTE=0;UNTIL=20270101T000000Z"';
const FREEZE_TO_2099 = '  blackouts:\n    - { start: "2026-01-01", end: "2099-01-01", reason: decommissioned }\n';

interface Case {
  readonly name: string;
  readonly files: Record<string, string>;
  /** now (ISO) → problems as `severity Code`, sorted by position. */
  readonly at: Record<string, string[]>;
}

const CASES: Case[] = [
  {
    name: 'an RRULE whose UNTIL passes: valid before, a warning after (never an error)',
    files: { 'w.yaml': window('w', UNTIL_2027) },
    at: {
      '2026-11-21T12:00:00Z': [],
      '2027-06-01T00:00:00Z': ['warning ScheduleEnded'],
      '2040-01-01T00:00:00Z': ['warning ScheduleEnded'],
    },
  },
  {
    name: 'an RRULE whose COUNT is used up (counted from 2024-01-01): a warning whatever the day',
    files: { 'w.yaml': window('w', 'rrule: "FREQ=WEEKLY;BYDAY=MO;BYHOUR=1;BYMINUTE=0;COUNT=2"') },
    at: { '2026-11-21T12:00:00Z': ['warning ScheduleEnded'], '2031-01-01T00:00:00Z': ['warning ScheduleEnded'] },
  },
  {
    name: 'an RRULE that can never fire (February 30): an error whatever the day',
    files: { 'w.yaml': window('w', 'rrule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;BYHOUR=1;BYMINUTE=0"') },
    at: { '2024-01-01T00:00:00Z': ['error ScheduleNeverFires'], '2026-11-21T12:00:00Z': ['error ScheduleNeverFires'] },
  },
  {
    name: 'a cron that can never fire (February 30): an error whatever the day',
    files: { 'w.yaml': window('w', 'cron: "0 0 30 2 *"') },
    at: { '2026-11-21T12:00:00Z': ['error InvalidSchedule'], '2031-01-01T00:00:00Z': ['error InvalidSchedule'] },
  },
  {
    name: 'a leap-day cron is valid on the day after a leap day (next start four years away)',
    files: { 'w.yaml': window('w', 'cron: "0 1 29 2 *"') },
    at: { '2028-03-01T00:00:00Z': [], '2026-11-21T12:00:00Z': [] },
  },
  {
    name: 'a rare cron (fifth Monday of February, next in 2044) is valid',
    files: { 'w.yaml': window('w', 'cron: "0 1 * 2 1#5"') },
    at: { '2026-11-21T12:00:00Z': [], '2016-03-01T00:00:00Z': [] },
  },
  {
    name: 'a ring whose only window has ended: warnings on the schedule and on the ring',
    files: { 'w.yaml': window('ended', UNTIL_2027), 'fleet.yaml': FLEET_AND_RING('ended') },
    at: { '2026-11-21T12:00:00Z': [], '2027-06-01T00:00:00Z': ['warning RingNeverOpens', 'warning ScheduleEnded'] },
  },
  {
    name: 'a ring whose window is blacked out for good: a warning on the ring',
    files: { 'w.yaml': window('frozen', 'cron: "0 1 * * *"', FREEZE_TO_2099), 'fleet.yaml': FLEET_AND_RING('frozen') },
    at: { '2026-11-21T12:00:00Z': ['warning RingNeverOpens'], '2025-12-01T00:00:00Z': [] },
  },
  {
    name: 'a ring with one ended and one live window: no warning on the ring',
    files: {
      'w.yaml': `${window('ended', UNTIL_2027)}---\n${window('live', 'cron: "0 1 * * 6"')}`,
      'fleet.yaml': FLEET_AND_RING('ended, live'),
    },
    at: { '2027-06-01T00:00:00Z': ['warning ScheduleEnded'] },
  },
];

describe('window validation with an injected clock', () => {
  let validator: PolicyValidator;
  before(async () => {
    validator = createPolicyValidator(await readCrdSchemas());
  });

  for (const testCase of CASES) {
    for (const [now, expected] of Object.entries(testCase.at)) {
      it(`${testCase.name} (at ${now})`, () => {
        const files = Object.entries(testCase.files).map(([path, text]) => ({ path, text }));
        const result = validator.validate(files, { now: new Date(now) });
        const problems = result.ok ? result.warnings : result.error;
        assert.deepEqual(
          problems.map((problem) => `${problem.severity} ${problem.code}`),
          expected,
        );
        assert.equal(result.ok, !expected.some((line) => line.startsWith('error')));
      });
    }
  }

  it('the example repository policies/ stays valid on every day from 2026 to 2060', async () => {
    const root = join(process.cwd(), 'policies');
    const files = await Promise.all(
      (await readdir(root))
        .filter((name) => name.endsWith('.yaml'))
        .map(async (name) => ({ path: name, text: await readFile(join(root, name), 'utf8') })),
    );
    for (const now of [
      '2026-01-01T00:00:00Z',
      '2027-03-06T00:00:00Z',
      '2029-02-28T23:00:00Z',
      '2035-07-01T00:00:00Z',
      '2060-12-31T23:59:59Z',
    ]) {
      const result = validator.validate(files, { now: new Date(now) });
      assert.ok(result.ok, `${now}: ${JSON.stringify(result.ok ? [] : result.error)}`);
    }
  });
});

describe('windowsNeverOpenAgain (the predicate the engine turns into a Stalled condition)', () => {
  const of = (
    schedule: MaintenanceWindow['spec']['schedules'][0],
    blackouts?: MaintenanceWindow['spec']['blackouts'],
  ): MaintenanceWindow => ({
    apiVersion: 'patchward.io/v1alpha1',
    kind: 'MaintenanceWindow',
    metadata: { name: 'w' },
    spec: { timeZone: 'UTC', schedules: [schedule], ...(blackouts === undefined ? {} : { blackouts }) },
  });
  const ended = of({ rrule: 'FREQ=DAILY;BYHOUR=1;BYMINUTE=0;UNTIL=20270101T000000Z', duration: '1h' });
  const now = new Date('2027-06-01T00:00:00Z');

  it('names the windows and the instant when none opens again', () => {
    assert.deepEqual(windowsNeverOpenAgain([ended], now), {
      reason: 'window w will not open again after 2027-06-01T00:00:00.000Z (every schedule has ended or is blacked out)',
    });
  });
  it('is undefined while one of the windows still opens', () => {
    assert.equal(windowsNeverOpenAgain([ended, of({ cron: '0 1 1 1 *', duration: '1h' })], now), undefined);
    assert.equal(windowsNeverOpenAgain([ended], new Date('2026-12-31T00:00:00Z')), undefined);
  });
  it('counts a window whose every opening is shorter than the cutoff as never opening', () => {
    const tooShort = of({ cron: '0 1 * * *', duration: '1h', cutoff: '1h' });
    assert.ok(windowsNeverOpenAgain([tooShort], now) !== undefined);
  });
  it('says so for a ring with no window', () => {
    assert.deepEqual(windowsNeverOpenAgain([], now), { reason: 'the ring names no maintenance window' });
  });
});
