import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { beginAttempt } from '../../../../controller/core/rollout/host-sequence.js';
import { type HostProgress, newHostProgress, newRollout } from '../../../../controller/core/rollout/rollout-state.js';
import {
  countOrPercent,
  type RingPlan,
  scheduleRollout,
  type ScheduleInput,
} from '../../../../controller/core/rollout/schedule-rollout.js';

const now = new Date('2026-12-02T10:00:00Z');
const rings: RingPlan[] = [
  { name: 'canary', hosts: ['c1'], maxConcurrent: 1, failureBudget: 0, soakMs: 60_000, maxAttempts: 3 },
  { name: 'early', hosts: ['e1', 'e2'], maxConcurrent: 2, failureBudget: 0, soakMs: 10_000, maxAttempts: 3 },
  { name: 'broad', hosts: ['b1', 'b2', 'b3', 'b4', 'b5'], maxConcurrent: 2, failureBudget: 1, soakMs: 0, maxAttempts: 3 },
];
const rollout = newRollout('prod', 'abc', ['canary', 'early', 'broad'], now);

function done(host: string, ring: string, phase: 'succeeded' | 'failed' = 'succeeded'): HostProgress {
  return { ...newHostProgress(host, ring), phase, attempts: 1, finishedAt: now.toISOString() };
}

function input(overrides: Partial<ScheduleInput>): ScheduleInput {
  return { rollout, rings, hosts: {}, cordoned: new Set(), running: new Set(), gates: {}, now, ...overrides };
}

describe('scheduleRollout', () => {
  it('starts with the first ring only, within its concurrency', () => {
    const decision = scheduleRollout(input({}));
    assert.deepEqual(decision.start, ['c1']);
    assert.equal(decision.currentRing, 'canary');
    assert.equal(decision.rollout.ringRecords['canary']?.startedAt, now.toISOString());
  });

  it('waits for the soak of a completed ring before the next one', () => {
    const completedAt = new Date(now.getTime() - 20_000).toISOString();
    const soaking = { ...rollout, ringRecords: { canary: { completedAt } } };
    const decision = scheduleRollout(input({ rollout: soaking, hosts: { c1: done('c1', 'canary') } }));
    assert.equal(decision.phase, 'waiting');
    assert.deepEqual(decision.start, []);
    assert.equal(decision.waitUntil, new Date(Date.parse(completedAt) + 60_000).toISOString());
    const later = scheduleRollout(input({ rollout: soaking, hosts: { c1: done('c1', 'canary') }, now: new Date(now.getTime() + 60_000) }));
    assert.deepEqual(later.start, ['e1', 'e2']);
  });

  it('never exceeds maxConcurrent, counting hosts a crash left in progress and hosts running', () => {
    const complete = {
      ...rollout,
      ringRecords: { canary: { completedAt: '2026-12-01T00:00:00Z' }, early: { completedAt: '2026-12-01T00:00:00Z' } },
    };
    const base = { c1: done('c1', 'canary'), e1: done('e1', 'early'), e2: done('e2', 'early') };
    const crashed = beginAttempt(newHostProgress('b4', 'broad'), now);
    const decision = scheduleRollout(input({ rollout: complete, hosts: { ...base, b4: crashed } }));
    assert.deepEqual(decision.start, ['b4', 'b1'], 'the host in progress resumes first, then one new host');
    const busy = scheduleRollout(input({ rollout: complete, hosts: { ...base, b4: crashed }, running: new Set(['b4', 'b1']) }));
    assert.deepEqual(busy.start, []);
    assert.equal(busy.phase, 'progressing');
  });

  it('halts when failures exceed the budget, and stays halted', () => {
    const decision = scheduleRollout(input({ hosts: { c1: done('c1', 'canary', 'failed') } }));
    assert.equal(decision.phase, 'halted');
    assert.equal(decision.rollout.halt?.reason, 'FailureBudgetExceeded');
    assert.equal(decision.rollout.halt?.ring, 'canary');
    const again = scheduleRollout(input({ rollout: decision.rollout, hosts: { c1: done('c1', 'canary') } }));
    assert.equal(again.phase, 'halted');
    assert.deepEqual(again.start, []);
  });

  it('tolerates failures within the budget', () => {
    const complete = {
      ...rollout,
      ringRecords: { canary: { completedAt: '2026-12-01T00:00:00Z' }, early: { completedAt: '2026-12-01T00:00:00Z' } },
    };
    const hosts = {
      c1: done('c1', 'canary'),
      e1: done('e1', 'early'),
      e2: done('e2', 'early'),
      b1: done('b1', 'broad', 'failed'),
      b2: done('b2', 'broad'),
      b3: done('b3', 'broad'),
      b4: done('b4', 'broad'),
      b5: done('b5', 'broad'),
    };
    const decision = scheduleRollout(input({ rollout: complete, hosts }));
    assert.equal(decision.phase, 'complete');
    assert.equal(decision.rollout.completedAt, now.toISOString());
  });

  it('a pending host waiting to be retried keeps its ring incomplete', () => {
    const retry = { ...newHostProgress('c1', 'canary'), attempts: 1, retryAt: '2026-12-02T10:00:30Z' };
    const decision = scheduleRollout(input({ hosts: { c1: retry } }));
    assert.equal(decision.phase, 'waiting');
    assert.equal(decision.waitUntil, '2026-12-02T10:00:30Z');
    assert.equal(decision.rollout.ringRecords['canary']?.completedAt, undefined);
  });

  it('starts no new host while the window is closed, but resumes one in progress', () => {
    const gates = { canary: { canStart: false, opensAt: '2026-12-02T22:00:00.000Z' } };
    const closed = scheduleRollout(input({ gates }));
    assert.equal(closed.phase, 'waiting');
    assert.equal(closed.waitUntil, '2026-12-02T22:00:00.000Z');
    const crashed = beginAttempt(newHostProgress('c1', 'canary'), now);
    assert.deepEqual(scheduleRollout(input({ gates, hosts: { c1: crashed } })).start, ['c1']);
  });

  it('leaves cordoned hosts out', () => {
    const decision = scheduleRollout(input({ cordoned: new Set(['c1']) }));
    assert.deepEqual(decision.leftOut, [{ host: 'c1', reason: 'cordoned' }]);
    assert.deepEqual(decision.start, []);
    assert.equal(decision.phase, 'waiting', 'the empty canary completes and soaks');
  });

  it('a paused rollout starts nothing', () => {
    const paused = { ...rollout, pause: { time: now.toISOString(), reason: 'by hand' } };
    assert.equal(scheduleRollout(input({ rollout: paused })).phase, 'paused');
  });

  it('reads counts and percentages', () => {
    assert.equal(countOrPercent('25%', 5, 1, 1), 1);
    assert.equal(countOrPercent('50%', 10, 1, 1), 5);
    assert.equal(countOrPercent(3, 10, 1, 1), 3);
    assert.equal(countOrPercent(undefined, 10, 1, 1), 1);
    assert.equal(countOrPercent('10%', 5, 0, 0), 0);
  });
});
