import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MaintenanceWindow, PatchPolicySpec } from '../../../../controller/core/model/index.js';
import { planRollout, type RolloutPlan } from '../../../../controller/core/plan/index.js';
import type { HostProgress } from '../../../../controller/core/plan/rollout-progress.js';
import { alwaysWindow, dailyWindow, host, input, oldGlibcFleet, policy, progress, ring, simplePolicy } from './plan-fixtures.js';

const NOW = new Date('2027-01-04T12:00:00Z');

function planOne(windows: MaintenanceWindow[], ringWindows: string[], hosts: Record<string, HostProgress> = {}): RolloutPlan {
  const fleet = [host('c1', 'canary')];
  const policyValue = simplePolicy([ring('canary', 0, { windows: ringWindows as [string, ...string[]] })], fleet, { windows });
  return planRollout(input(policyValue, oldGlibcFleet(fleet), { progress: progress(hosts) }), NOW);
}

describe('planner: windows and cutoff', () => {
  const cases: { name: string; windows: MaintenanceWindow[]; start: string[]; nextAt?: string; notBefore?: string }[] = [
    { name: 'an open window starts the host now', windows: [dailyWindow('w', 11, 2)], start: ['c1'], nextAt: NOW.toISOString() },
    {
      name: 'a closed window: the next opening is the next instant',
      windows: [dailyWindow('w', 2, 2)],
      start: [],
      nextAt: '2027-01-05T02:00:00.000Z',
      notBefore: '2027-01-05T02:00:00.000Z',
    },
    { name: 'open and before the cutoff: starts', windows: [dailyWindow('w', 11, 2, '30m')], start: ['c1'] },
    {
      name: 'open but past the cutoff (lastStart 11:30): no start until the next opening',
      windows: [dailyWindow('w', 11, 2, '1h30m')],
      start: [],
      nextAt: '2027-01-05T11:00:00.000Z',
    },
    {
      name: 'exactly at lastStart: no start',
      windows: [dailyWindow('w', 10, 3, '1h')],
      start: [],
      nextAt: '2027-01-05T10:00:00.000Z',
    },
    {
      name: 'a blackout over now closes the window; the piece after the blackout is next',
      windows: [
        {
          ...dailyWindow('w', 10, 6),
          spec: {
            ...dailyWindow('w', 10, 6).spec,
            blackouts: [{ name: 'release', start: '2027-01-04T11:00:00', end: '2027-01-04T13:00:00', reason: 'release day' }],
          },
        } as MaintenanceWindow,
      ],
      start: [],
      nextAt: '2027-01-04T13:00:00.000Z',
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const plan = planOne(testCase.windows, ['w']);
      assert.deepEqual(
        plan.start.map((entry) => entry.host),
        testCase.start,
        plan.summary,
      );
      if (testCase.nextAt !== undefined) assert.equal(plan.nextAt, testCase.nextAt);
      if (testCase.notBefore !== undefined) assert.equal(plan.rings[0]?.hosts[0]?.notBefore, testCase.notBefore);
      if (testCase.start.length === 0) assert.equal(plan.state, 'waiting');
    });
  }

  it('a host in progress is resumed outside its window (a started host finishes its sequence)', () => {
    const plan = planOne([dailyWindow('w', 2, 2)], ['w'], {
      c1: { outcome: 'in-progress', attempts: 1, startedAt: '2027-01-04T03:55:00Z' },
    });
    assert.deepEqual(plan.start, [{ host: 'c1', ring: 'canary', resume: true, attempt: 1 }]);
    assert.equal(plan.state, 'active');
  });

  it('any of the ring windows may open: the earliest one counts', () => {
    const plan = planOne([dailyWindow('late', 22, 1), dailyWindow('early', 14, 1)], ['late', 'early']);
    assert.equal(plan.nextAt, '2027-01-04T14:00:00.000Z');
    assert.equal(plan.rings[0]?.firstWindow?.window, 'early');
  });

  it('windows that never open again: stalled, naming the host', () => {
    const ended = {
      ...dailyWindow('w', 2, 2),
      spec: { timeZone: 'UTC', schedules: [{ rrule: 'FREQ=DAILY;BYHOUR=2;BYMINUTE=0;UNTIL=20200101T000000Z', duration: '2h' }] },
    } as MaintenanceWindow;
    const plan = planOne([ended], ['w']);
    assert.equal(plan.state, 'stalled');
    assert.match(plan.summary, /c1/);
    assert.equal(plan.nextAt, undefined);
  });

  it('the timeline: the first window of each ring, estimated behind an incomplete ring', () => {
    const fleet = [host('c1', 'canary'), host('b1', 'broad')];
    const policyValue = simplePolicy(
      [ring('canary', 0, { windows: ['nights'], soakTime: '1d' }), ring('broad', 10, { windows: ['evenings'] })],
      fleet,
      { windows: [dailyWindow('nights', 2, 2), dailyWindow('evenings', 22, 1)] },
    );
    const plan = planRollout(input(policyValue, oldGlibcFleet(fleet)), NOW);
    assert.deepEqual(plan.rings[0]?.firstWindow, {
      window: 'nights',
      schedule: 'schedules[0]',
      timeZone: 'UTC',
      start: '2027-01-05T02:00:00.000Z',
      end: '2027-01-05T04:00:00.000Z',
      lastStart: '2027-01-05T04:00:00.000Z',
    });
    assert.equal(plan.rings[0]?.estimated, false);
    assert.equal(plan.rings[1]?.estimated, true);
    assert.equal(plan.rings[1]?.earliestStart, '2027-01-06T04:00:00.000Z');
    assert.equal(plan.rings[1]?.firstWindow?.start, '2027-01-06T22:00:00.000Z');
  });
});

describe('planner: the urgent lane', () => {
  // The ring's own window is closed at NOW (02:00-04:00); the urgent lane's is open (11:00-14:00).
  const windows = [dailyWindow('nights', 2, 2), dailyWindow('urgent', 11, 3), alwaysWindow()];
  const KEV = new Set(['CVE-2023-4911']);
  const lane = (extra: Record<string, unknown> = {}) => ({ urgentLane: { enabled: true, windows: ['urgent'], ...extra } });
  const cases: { name: string; spec: Partial<PatchPolicySpec>; kev?: ReadonlySet<string>; urgent: boolean }[] = [
    {
      name: 'lane disabled: the ring window only',
      spec: { urgentLane: { enabled: false, severities: ['high'], windows: ['urgent'] } },
      urgent: false,
    },
    { name: 'default severities are [critical]: a high approval does not qualify', spec: lane(), urgent: false },
    { name: 'a listed severity qualifies', spec: lane({ severities: ['high', 'critical'] }), urgent: true },
    { name: 'known exploited (by an alias) qualifies by default', spec: lane(), kev: KEV, urgent: true },
    {
      name: 'known exploited does not qualify when the lane says knownExploited: false',
      spec: lane({ knownExploited: false }),
      kev: KEV,
      urgent: false,
    },
    {
      name: 'known exploited gets no special treatment under by-severity',
      spec: { ...lane(), knownExploited: 'by-severity' },
      kev: KEV,
      urgent: false,
    },
    {
      name: 'as-critical makes a known-exploited approval critical, qualifying under [critical]',
      spec: { ...lane({ knownExploited: false }), knownExploited: 'as-critical' },
      kev: KEV,
      urgent: true,
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const fleet = [host('c1', 'canary')];
      const policyValue = simplePolicy([ring('canary', 0, { windows: ['nights'] })], fleet, {
        windows,
        policies: [policy('security', 'production', testCase.spec)],
      });
      const plan = planRollout(
        input(policyValue, oldGlibcFleet(fleet), testCase.kev === undefined ? {} : { knownExploited: testCase.kev }),
        NOW,
      );
      const planned = plan.rings[0]?.hosts[0];
      assert.equal(planned?.urgent, testCase.urgent);
      assert.deepEqual(
        plan.start.map((entry) => entry.host),
        testCase.urgent ? ['c1'] : [],
      );
      assert.deepEqual(planned?.windows, testCase.urgent ? ['nights', 'urgent'] : ['nights']);
      if (testCase.urgent) assert.deepEqual(planned?.urgentAdvisories, ['DSA-5514-1']);
    });
  }

  it('the lane soak replaces the ring soak for urgent hosts only', () => {
    const fleet = [host('c1', 'canary'), host('b1', 'broad'), host('b2', 'broad', { team: 'db' })];
    const policyValue = simplePolicy([ring('canary', 0, { soakTime: '1d' }), ring('broad', 10, { maxConcurrent: 2 })], fleet, {
      windows,
      policies: [
        policy('security', 'production', {
          selector: { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] },
          ...lane({ severities: ['high'], soakTime: '1h' }),
        }),
        policy('db', 'production', { selector: { matchLabels: { team: 'db' } } }),
      ],
    });
    const done: HostProgress = { outcome: 'succeeded', attempts: 1, startedAt: '2027-01-04T10:00:00Z', finishedAt: '2027-01-04T10:30:00Z' };
    const plan = planRollout(input(policyValue, oldGlibcFleet(fleet), { progress: progress({ c1: done }) }), NOW);
    assert.deepEqual(
      plan.start.map((entry) => entry.host),
      ['b1'],
    );
    assert.equal(plan.rings[0]?.soakUntil, '2027-01-05T10:30:00.000Z');
    assert.equal(plan.rings[0]?.urgentSoakUntil, '2027-01-04T11:30:00.000Z');
    assert.equal(plan.rings[1]?.hosts.find((entry) => entry.host === 'b2')?.notBefore, '2027-01-05T10:30:00.000Z');
  });
});

describe('planner: hosts left out, with reasons', () => {
  it('cordoned, in no ring, governed by no policy: each named, the rest planned', () => {
    const fleet = [host('c1', 'canary'), host('c2', 'canary'), host('lost', 'nowhere'), host('c3', 'canary', { team: 'lab' })];
    const policyValue = simplePolicy([ring('canary', 0, { maxConcurrent: 5 })], fleet, {
      policies: [
        policy('security', 'production', { selector: { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['lab'] }] } }),
      ],
    });
    const plan = planRollout(
      input(policyValue, oldGlibcFleet(fleet), {
        cordons: [{ host: 'c2', at: '2027-01-03T09:00:00Z', by: 'alice', reason: 'disk replacement' }],
      }),
      NOW,
    );
    assert.deepEqual(plan.leftOut, [
      { host: 'c2', ring: 'canary', reason: 'cordoned', detail: 'cordoned by alice at 2027-01-03T09:00:00Z: disk replacement' },
      { host: 'c3', ring: 'canary', reason: 'no-policy', detail: 'no PatchPolicy selects the host' },
      { host: 'lost', reason: 'no-ring', detail: 'no Ring selects the host' },
    ]);
    assert.deepEqual(
      plan.start.map((entry) => entry.host),
      ['c1'],
    );
    assert.equal(plan.rings[0]?.size, 3);
  });

  it('a cordoned host that was in progress is not resumed', () => {
    const fleet = [host('c1', 'canary')];
    const plan = planRollout(
      input(simplePolicy([ring('canary', 0)], fleet), oldGlibcFleet(fleet), {
        progress: progress({ c1: { outcome: 'in-progress', attempts: 1, startedAt: '2027-01-04T11:00:00Z' } }),
        cordons: [{ host: 'c1', at: '2027-01-04T11:30:00Z' }],
      }),
      NOW,
    );
    assert.deepEqual(plan.start, []);
    assert.equal(plan.leftOut[0]?.reason, 'cordoned');
    assert.equal(plan.state, 'complete');
  });

  it('a broken package database blocks the host but keeps it in its ring', () => {
    const fleet = [host('c1', 'canary'), host('b1', 'broad')];
    const inventory = oldGlibcFleet(fleet).map((entry) =>
      entry.host === 'c1'
        ? { ...entry, packageDb: { healthy: false, problems: [{ kind: 'half-installed' as const, package: 'libc6', detail: 'iHR' }] } }
        : entry,
    );
    const plan = planRollout(input(simplePolicy([ring('canary', 0), ring('broad', 10)], fleet), inventory), NOW);
    const c1 = plan.rings[0]?.hosts[0];
    assert.equal(c1?.state, 'blocked');
    assert.deepEqual(c1?.block, { kind: 'package-db', detail: 'package database unhealthy: half-installed libc6' });
    assert.deepEqual(plan.start, [{ host: 'c1', ring: 'canary', resume: false, attempt: 1, block: c1?.block }]);
    assert.equal(plan.rings[1]?.phase, 'waiting');
    assert.equal(plan.leftOut.length, 0);
  });
});
