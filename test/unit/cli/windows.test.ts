import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCliCaptured } from '../../helpers/run-cli.js';

const WINDOWS_YAML = `apiVersion: patchward.io/v1alpha1
kind: MaintenanceWindow
metadata:
  name: berlin-nights
spec:
  timeZone: Europe/Berlin
  cutoff: 30m
  schedules:
    - name: nightly
      cron: "30 2 * * *"
      duration: 2h
    - name: also-nightly
      rrule: "FREQ=DAILY;BYHOUR=2;BYMINUTE=30"
      duration: 1h
      cutoff: 15m
  blackouts:
    - name: freeze
      start: "2026-10-27"
      end: "2026-10-28T03:00"
      reason: audit
---
apiVersion: patchward.io/v1alpha1
kind: MaintenanceWindow
metadata:
  name: lord-howe
spec:
  timeZone: Australia/Lord_Howe
  schedules:
    - cron: "0 2 * * *"
      duration: 1h
`;

describe('patchward windows', () => {
  let repo: string;
  before(async () => {
    repo = await mkdtemp(join(tmpdir(), 'patchward-windows-'));
    await writeFile(join(repo, 'windows.yaml'), WINDOWS_YAML);
  });
  after(() => rm(repo, { recursive: true, force: true }));

  it('prints the JSON shape: open now, openings sorted by start then schedule, pieces left by blackouts, zone offsets', async () => {
    const run = await runCliCaptured(['windows', '-f', repo, '--now', '2026-10-25T00:45:00Z', '--count', '5', '--output', 'json']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      at: '2026-10-25T00:45:00Z',
      windows: [
        {
          name: 'berlin-nights',
          timeZone: 'Europe/Berlin',
          openNow: true,
          openings: [
            // the fold night: both schedules open once, at the first 02:30 (CEST); durations are elapsed time
            {
              schedule: 'also-nightly',
              start: '2026-10-25T02:30:00+02:00',
              end: '2026-10-25T02:30:00+01:00',
              lastStart: '2026-10-25T02:15:00+01:00',
            },
            {
              schedule: 'nightly',
              start: '2026-10-25T02:30:00+02:00',
              end: '2026-10-25T03:30:00+01:00',
              lastStart: '2026-10-25T03:00:00+01:00',
            },
            {
              schedule: 'also-nightly',
              start: '2026-10-26T02:30:00+01:00',
              end: '2026-10-26T03:30:00+01:00',
              lastStart: '2026-10-26T03:15:00+01:00',
            },
            {
              schedule: 'nightly',
              start: '2026-10-26T02:30:00+01:00',
              end: '2026-10-26T04:30:00+01:00',
              lastStart: '2026-10-26T04:00:00+01:00',
            },
            // 10-27 is blacked out whole; on 10-28 the blackout ends at 03:00 and also-nightly keeps
            // 30 min, longer than its 15 min cutoff
            {
              schedule: 'also-nightly',
              start: '2026-10-28T03:00:00+01:00',
              end: '2026-10-28T03:30:00+01:00',
              lastStart: '2026-10-28T03:15:00+01:00',
            },
          ],
        },
        {
          name: 'lord-howe',
          timeZone: 'Australia/Lord_Howe',
          openNow: false,
          openings: [
            {
              schedule: 'schedules[0]',
              start: '2026-10-26T02:00:00+11:00',
              end: '2026-10-26T03:00:00+11:00',
              lastStart: '2026-10-26T03:00:00+11:00',
            },
            {
              schedule: 'schedules[0]',
              start: '2026-10-27T02:00:00+11:00',
              end: '2026-10-27T03:00:00+11:00',
              lastStart: '2026-10-27T03:00:00+11:00',
            },
            {
              schedule: 'schedules[0]',
              start: '2026-10-28T02:00:00+11:00',
              end: '2026-10-28T03:00:00+11:00',
              lastStart: '2026-10-28T03:00:00+11:00',
            },
            {
              schedule: 'schedules[0]',
              start: '2026-10-29T02:00:00+11:00',
              end: '2026-10-29T03:00:00+11:00',
              lastStart: '2026-10-29T03:00:00+11:00',
            },
            {
              schedule: 'schedules[0]',
              start: '2026-10-30T02:00:00+11:00',
              end: '2026-10-30T03:00:00+11:00',
              lastStart: '2026-10-30T03:00:00+11:00',
            },
          ],
        },
      ],
    });
  });

  it('keeps a daily 02:00 on Lord Howe opening after the April change (it never opened again before)', async () => {
    const run = await runCliCaptured(['windows', '-f', repo, '--now', '2026-06-01T00:00:00Z', '--count', '1', '--output', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const body = JSON.parse(run.stdout) as { windows: { name: string; openings: { start: string }[] }[] };
    assert.deepEqual(
      body.windows.find((window) => window.name === 'lord-howe')?.openings.map((opening) => opening.start),
      ['2026-06-02T02:00:00+10:30'],
    );
  });

  it('prints a table by default', async () => {
    const run = await runCliCaptured(['windows', '-f', repo, '--now', '2026-10-26T01:40:00Z', '--count', '1']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(
      run.stdout,
      [
        'at 2026-10-26T01:40:00Z',
        'WINDOW                           OPEN NOW  SCHEDULE      START                      END                        LAST START',
        'berlin-nights (Europe/Berlin)    yes       also-nightly  2026-10-26T02:30:00+01:00  2026-10-26T03:30:00+01:00  2026-10-26T03:15:00+01:00',
        'lord-howe (Australia/Lord_Howe)  no        schedules[0]  2026-10-27T02:00:00+11:00  2026-10-27T03:00:00+11:00  2026-10-27T03:00:00+11:00',
        '',
      ].join('\n'),
    );
  });

  for (const [args, message] of [
    [['--now', '2026-10-25T00:45:00'], /--now must be an RFC 3339 instant with Z or an offset/],
    [['--now', 'tomorrow'], /--now must be an RFC 3339 instant/],
    [['--count', '0'], /--count must be a whole number from 1 to 1000/],
    [['--count', '1001'], /--count must be a whole number from 1 to 1000/],
    [['--output', 'csv'], /--output must be table or json/],
    [['--bogus'], /Unknown option '--bogus'/],
  ] as const) {
    it(`refuses ${args.join(' ')} with exit 2`, async () => {
      const run = await runCliCaptured(['windows', '-f', repo, ...args]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
    });
  }

  it('refuses a missing -f with exit 2', async () => {
    const run = await runCliCaptured(['windows']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /-f POLICY_DIR is required/);
  });

  it('exits 1 naming file, line and field when the repository is invalid', async () => {
    const broken = await mkdtemp(join(tmpdir(), 'patchward-windows-broken-'));
    try {
      await writeFile(join(broken, 'w.yaml'), WINDOWS_YAML.replace('Australia/Lord_Howe', 'Australia/Lord_Hove'));
      const run = await runCliCaptured(['windows', '-f', broken, '--now', '2026-10-25T00:45:00Z']);
      assert.equal(run.code, 1);
      assert.match(run.stderr, /w\.yaml:\d+:\d+: error: spec\.timeZone: unknown time zone "Australia\/Lord_Hove"/);
      assert.equal(run.stdout, '');
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });
});
