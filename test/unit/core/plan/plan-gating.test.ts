import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planRollout, type RolloutPlan } from '../../../../controller/core/plan/index.js';
import type { HostProgress } from '../../../../controller/core/plan/rollout-progress.js';
import {
  alwaysWindow,
  approval,
  baseline,
  dailyWindow,
  deb,
  debianInventory,
  GLIBC_MIN,
  glibcOffers,
  host,
  input,
  oldGlibc,
  oldGlibcFleet,
  policy,
  progress,
  ring,
  simplePolicy,
} from './plan-fixtures.js';

const NOW = new Date('2027-01-04T12:00:00Z');
const done = (finishedAt: string): HostProgress => ({ outcome: 'succeeded', attempts: 1, startedAt: finishedAt, finishedAt });
const started = (plan: RolloutPlan) => plan.start.map((entry) => `${entry.resume ? 'resume ' : ''}${entry.host}`);

describe('planner: gating across several rings', () => {
  it("a soak carries across a ring with nothing to do: ring 3 waits for ring 1's soak", () => {
    const fleet = [host('c1', 'canary'), host('m1', 'middle'), host('b1', 'broad')];
    const policyValue = simplePolicy(
      [ring('canary', 0, { soakTime: '3h' }), ring('middle', 5, { soakTime: '30d' }), ring('broad', 10)],
      fleet,
    );
    const inventory = oldGlibcFleet(fleet).map((entry) => (entry.host === 'm1' ? debianInventory('m1', [], []) : entry));
    const plan = planRollout(input(policyValue, inventory, { progress: progress({ c1: done('2027-01-04T10:00:00Z') }) }), NOW);
    assert.deepEqual(
      plan.rings.map((entry) => entry.phase),
      ['complete', 'idle', 'waiting'],
    );
    assert.equal(plan.nextAt, '2027-01-04T13:00:00.000Z');
    assert.equal(plan.rings[2]?.hosts[0]?.notBefore, '2027-01-04T13:00:00.000Z');
  });

  it('the longest remaining soak of the earlier rings wins', () => {
    const fleet = [host('c1', 'canary'), host('e1', 'early'), host('b1', 'broad')];
    const policyValue = simplePolicy(
      [ring('canary', 0, { soakTime: '1d' }), ring('early', 5, { soakTime: '1h' }), ring('broad', 10)],
      fleet,
    );
    const plan = planRollout(
      input(policyValue, oldGlibcFleet(fleet), {
        progress: progress({ c1: done('2027-01-04T08:00:00Z'), e1: done('2027-01-04T10:00:00Z') }),
      }),
      NOW,
    );
    // early soaked at 11:00, but canary's soak runs until 2027-01-05T08:00.
    assert.equal(plan.nextAt, '2027-01-05T08:00:00.000Z');
    assert.deepEqual(plan.start, []);
  });

  it('a soak that ends after the cutoff of the open piece waits for the next piece', () => {
    const fleet = [host('c1', 'canary'), host('b1', 'broad')];
    const policyValue = simplePolicy([ring('canary', 0, { soakTime: '2h45m' }), ring('broad', 10, { windows: ['midday'] })], fleet, {
      windows: [alwaysWindow(), dailyWindow('midday', 11, 2, '30m')],
    });
    const plan = planRollout(input(policyValue, oldGlibcFleet(fleet), { progress: progress({ c1: done('2027-01-04T10:00:00Z') }) }), NOW);
    assert.equal(plan.nextAt, '2027-01-05T11:00:00.000Z');
    assert.equal(plan.rings[1]?.phase, 'waiting');
  });

  it('a host already in progress in a later ring is resumed even while an earlier ring is incomplete', () => {
    const fleet = [host('c1', 'canary'), host('b1', 'broad')];
    const plan = planRollout(
      input(simplePolicy([ring('canary', 0), ring('broad', 10)], fleet), oldGlibcFleet(fleet), {
        progress: progress({ b1: { outcome: 'in-progress', attempts: 1, startedAt: '2027-01-04T11:00:00Z' } }),
      }),
      NOW,
    );
    assert.deepEqual(started(plan), ['resume b1', 'c1']);
  });

  it('a retryable host with a reachable inventory waits for its back-off, then is tried with its next attempt', () => {
    const fleet = [host('c1', 'canary')];
    const record: HostProgress = {
      outcome: 'retryable',
      attempts: 1,
      finishedAt: '2027-01-04T11:50:00Z',
      retryAfter: '2027-01-04T12:20:00Z',
      reason: 'dpkg lock held',
    };
    const policyValue = simplePolicy([ring('canary', 0)], fleet);
    const waiting = planRollout(input(policyValue, oldGlibcFleet(fleet), { progress: progress({ c1: record }) }), NOW);
    assert.equal(waiting.state, 'waiting');
    assert.equal(waiting.nextAt, '2027-01-04T12:20:00.000Z');
    assert.equal(waiting.rings[0]?.hosts[0]?.state, 'pending');
    const later = planRollout(
      input(policyValue, oldGlibcFleet(fleet), { progress: progress({ c1: record }) }),
      new Date('2027-01-04T12:20:00Z'),
    );
    assert.deepEqual(later.start, [{ host: 'c1', ring: 'canary', resume: false, attempt: 2 }]);
  });

  it('an urgent window that opens before the ring window is the next instant', () => {
    const fleet = [host('c1', 'canary')];
    const policyValue = simplePolicy([ring('canary', 0, { windows: ['nights'] })], fleet, {
      windows: [dailyWindow('nights', 2, 2), dailyWindow('urgent', 18, 1)],
      policies: [policy('security', 'production', { urgentLane: { enabled: true, severities: ['high'], windows: ['urgent'] } })],
    });
    const plan = planRollout(input(policyValue, oldGlibcFleet(fleet)), NOW);
    assert.equal(plan.nextAt, '2027-01-04T18:00:00.000Z');
    assert.equal(plan.rings[0]?.firstWindow?.window, 'urgent');
  });

  it('more slots than hosts: every waiting host starts', () => {
    const fleet = [host('c1', 'canary'), host('c2', 'canary')];
    const plan = planRollout(input(simplePolicy([ring('canary', 0, { maxConcurrent: 10 })], fleet), oldGlibcFleet(fleet)), NOW);
    assert.equal(plan.start.length, 2);
    assert.equal(plan.rings[0]?.maxConcurrent, 10);
  });

  it('a ring whose window is unknown (not in the repository) never starts: stalled', () => {
    const fleet = [host('c1', 'canary')];
    const plan = planRollout(input(simplePolicy([ring('canary', 0, { windows: ['gone'] })], fleet), oldGlibcFleet(fleet)), NOW);
    assert.equal(plan.state, 'stalled');
    assert.deepEqual(plan.start, []);
  });
});

describe('planner: partial candidates', () => {
  it('a host with one package offered and one not is blocked, naming the missing one, with the rest planned', () => {
    const fleet = [host('c1', 'canary')];
    const policyValue = simplePolicy([ring('canary', 0)], fleet, {
      baselines: [
        baseline('production', [
          approval('DSA-1', 'debian-12', { glibc: GLIBC_MIN }),
          approval('DSA-2', 'debian-12', { openssl: '3.0.15-1~deb12u1' }),
        ]),
      ],
    });
    const inventory = [
      debianInventory('c1', [...oldGlibc(), deb('libssl3', '3.0.11-1~deb12u2', 'openssl', '3.0.11-1~deb12u2')], glibcOffers()),
    ];
    const plan = planRollout(input(policyValue, inventory), NOW);
    const c1 = plan.rings[0]?.hosts[0];
    assert.equal(c1?.state, 'blocked');
    assert.equal(c1?.block?.kind, 'no-candidate');
    assert.match(c1?.block?.detail ?? '', /no version of source openssl >= 3\.0\.15-1~deb12u1 offered for libssl3:amd64/);
    assert.deepEqual(
      c1?.packages.map((change) => change.name),
      ['libc-bin', 'libc6'],
    );
    // Blocked hosts are still attempted (the engine asks the host afresh), so the attempt counts.
    assert.deepEqual(plan.start[0]?.block, c1?.block);
  });
});
