import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostInventory } from '../../../../controller/core/inventory/host-inventory.js';
import { planRollout, type RolloutPlan } from '../../../../controller/core/plan/index.js';
import type { HostProgress } from '../../../../controller/core/plan/rollout-progress.js';
import { debianInventory, host, input, oldGlibcFleet, progress, ring, simplePolicy, unreachable } from './plan-fixtures.js';

const NOW = new Date('2027-01-04T12:00:00Z');
const EARLIER = '2027-01-04T10:00:00Z';

const done = (finishedAt = EARLIER): HostProgress => ({ outcome: 'succeeded', attempts: 1, startedAt: '2027-01-04T09:00:00Z', finishedAt });
const running = (startedAt = '2027-01-04T11:00:00Z'): HostProgress => ({ outcome: 'in-progress', attempts: 1, startedAt });
const failed = (): HostProgress => ({ outcome: 'failed', attempts: 1, finishedAt: EARLIER, reason: 'health check systemd failed' });

function started(plan: RolloutPlan): string[] {
  return plan.start.map((entry) => `${entry.resume ? 'resume ' : ''}${entry.host}`);
}

const ringPhase = (plan: RolloutPlan, name: string) => plan.rings.find((entry) => entry.name === name)?.phase;

/** Two rings: canary (c1) and broad (b1..b5). */
function twoRings(options: { canary?: Parameters<typeof ring>[2]; broad?: Parameters<typeof ring>[2] } = {}) {
  const hosts = [host('c1', 'canary'), ...[1, 2, 3, 4, 5].map((n) => host(`b${n}`, 'broad'))];
  return { hosts, policy: simplePolicy([ring('canary', 0, options.canary), ring('broad', 10, options.broad)], hosts) };
}

describe('planner: ring gating and soak', () => {
  const cases: {
    name: string;
    canary?: Parameters<typeof ring>[2];
    broad?: Parameters<typeof ring>[2];
    hosts: Record<string, HostProgress>;
    inventory?: (fleet: HostInventory[]) => HostInventory[];
    expect: { start: string[]; state: RolloutPlan['state']; nextAt?: string; canary?: string; broad?: string };
  }[] = [
    {
      name: 'a fresh rollout starts the canary only',
      hosts: {},
      expect: { start: ['c1'], state: 'active', nextAt: NOW.toISOString(), canary: 'progressing', broad: 'waiting' },
    },
    {
      name: 'ring 2 waits while ring 1 runs; the running host is resumed',
      hosts: { c1: running() },
      expect: { start: ['resume c1'], state: 'active', canary: 'progressing', broad: 'waiting' },
    },
    {
      name: 'ring 2 waits for the soak of ring 1; the soak end is the next instant',
      canary: { soakTime: '3h' },
      hosts: { c1: done('2027-01-04T10:00:00Z') },
      expect: { start: [], state: 'waiting', nextAt: '2027-01-04T13:00:00.000Z', canary: 'complete', broad: 'waiting' },
    },
    {
      name: 'ring 2 starts once the soak has passed',
      canary: { soakTime: '2h' },
      hosts: { c1: done('2027-01-04T10:00:00Z') },
      expect: { start: ['b2'], state: 'active', canary: 'complete', broad: 'progressing' },
    },
    {
      name: 'the recorded ring completion, not the last host finish, starts the soak',
      canary: { soakTime: '2h' },
      hosts: { c1: done('2027-01-04T09:00:00Z') },
      expect: { start: [], state: 'waiting', nextAt: '2027-01-04T13:00:00.000Z', canary: 'complete', broad: 'waiting' },
    },
    {
      name: 'a ring with nothing to do needs no soak',
      canary: { soakTime: '30d' },
      hosts: {},
      inventory: (fleet) => fleet.map((entry) => (entry.host === 'c1' ? debianInventory('c1', [], []) : entry)),
      expect: { start: ['b2'], state: 'active', canary: 'idle', broad: 'progressing' },
    },
    {
      name: 'a down canary keeps ring 1 incomplete: ring 2 does not start, the canary is attempted',
      hosts: {},
      inventory: (fleet) => fleet.map((entry) => (entry.host === 'c1' ? unreachable('c1') : entry)),
      expect: { start: ['c1'], state: 'active', canary: 'progressing', broad: 'waiting' },
    },
    {
      name: 'a down canary with attempts left and a back-off waits for the back-off',
      hosts: { c1: { outcome: 'retryable', attempts: 2, finishedAt: EARLIER, retryAfter: '2027-01-04T12:30:00Z', reason: 'unreachable' } },
      inventory: (fleet) => fleet.map((entry) => (entry.host === 'c1' ? unreachable('c1') : entry)),
      expect: { start: [], state: 'waiting', nextAt: '2027-01-04T12:30:00.000Z', canary: 'ready', broad: 'waiting' },
    },
    {
      name: 'a canary out of attempts counts as failed: budget 0 halts',
      hosts: { c1: { outcome: 'retryable', attempts: 3, finishedAt: EARLIER, reason: 'unreachable' } },
      inventory: (fleet) => fleet.map((entry) => (entry.host === 'c1' ? unreachable('c1') : entry)),
      expect: { start: [], state: 'halted', canary: 'complete', broad: 'halted' },
    },
    {
      name: 'out of attempts within the budget completes the ring and ring 2 starts',
      canary: { failureBudget: 1, maxAttempts: 2 },
      hosts: { c1: { outcome: 'retryable', attempts: 2, finishedAt: EARLIER, reason: 'package database locked' } },
      expect: { start: ['b2'], state: 'active', canary: 'complete', broad: 'progressing' },
    },
    {
      name: 'every ring done: complete, nothing next',
      hosts: Object.fromEntries(['c1', 'b1', 'b2', 'b3', 'b4', 'b5'].map((name) => [name, done()])),
      expect: { start: [], state: 'complete', canary: 'complete', broad: 'complete' },
    },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const { policy } = twoRings({ canary: testCase.canary, broad: testCase.broad });
      const fleet = oldGlibcFleet(policy.hosts as never);
      const recordedCompletion: Record<string, { completedAt: string }> = testCase.name.startsWith('the recorded')
        ? { canary: { completedAt: '2027-01-04T11:00:00Z' } }
        : {};
      const plan = planRollout(
        input(policy, testCase.inventory?.(fleet) ?? fleet, { progress: progress(testCase.hosts, { rings: recordedCompletion }) }),
        NOW,
      );
      assert.deepEqual(started(plan), testCase.expect.start, plan.summary);
      assert.equal(plan.state, testCase.expect.state, plan.summary);
      if (testCase.expect.nextAt !== undefined) assert.equal(plan.nextAt, testCase.expect.nextAt);
      if (testCase.expect.canary !== undefined) assert.equal(ringPhase(plan, 'canary'), testCase.expect.canary);
      if (testCase.expect.broad !== undefined) assert.equal(ringPhase(plan, 'broad'), testCase.expect.broad);
    });
  }

  it('the soak end is reported on the ring', () => {
    const { policy } = twoRings({ canary: { soakTime: '1d' } });
    const plan = planRollout(
      input(policy, oldGlibcFleet(policy.hosts as never), { progress: progress({ c1: done('2027-01-04T10:00:00Z') }) }),
      NOW,
    );
    const canary = plan.rings[0];
    assert.equal(canary?.completedAt, '2027-01-04T10:00:00.000Z');
    assert.equal(canary?.soakUntil, '2027-01-05T10:00:00.000Z');
    assert.equal(plan.rings[1]?.earliestStart, '2027-01-05T10:00:00.000Z');
    assert.equal(plan.rings[1]?.estimated, false);
  });
});

describe('planner: concurrency and order', () => {
  const broadOnly = (maxConcurrent: number | string, hosts: Record<string, HostProgress>) => {
    const { policy } = twoRings({ broad: { maxConcurrent, failureBudget: 1 } });
    return planRollout(input(policy, oldGlibcFleet(policy.hosts as never), { progress: progress({ c1: done(), ...hosts }) }), NOW);
  };
  const cases: { name: string; maxConcurrent: number | string; hosts: Record<string, HostProgress>; start: string[] }[] = [
    // The stable order of b1..b5 for rollout production@abc123 is b2, b4, b5, b3, b1.
    { name: 'a count', maxConcurrent: 2, hosts: {}, start: ['b2', 'b4'] },
    { name: 'a percentage of the ring, rounded down (40% of 5 = 2)', maxConcurrent: '40%', hosts: {}, start: ['b2', 'b4'] },
    { name: 'a percentage rounds to at least 1 (10% of 5)', maxConcurrent: '10%', hosts: {}, start: ['b2'] },
    { name: 'hosts in progress come first and use slots', maxConcurrent: 2, hosts: { b1: running() }, start: ['resume b1', 'b2'] },
    {
      name: 'in-progress hosts by start time',
      maxConcurrent: 3,
      hosts: { b5: running('2027-01-04T11:30:00Z'), b1: running('2027-01-04T11:00:00Z') },
      start: ['resume b1', 'resume b5', 'b2'],
    },
    { name: 'full: nothing new starts', maxConcurrent: 1, hosts: { b1: running() }, start: ['resume b1'] },
    { name: 'finished hosts free their slots', maxConcurrent: 2, hosts: { b2: done(), b4: done() }, start: ['b5', 'b3'] },
    {
      name: 'a retryable host with attempts left is tried again, in its place',
      maxConcurrent: 1,
      hosts: { b2: { outcome: 'retryable', attempts: 1, finishedAt: EARLIER } },
      start: ['b2'],
    },
    { name: 'a failed host within the budget frees its slot', maxConcurrent: 1, hosts: { b2: failed() }, start: ['b4'] },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => assert.deepEqual(started(broadOnly(testCase.maxConcurrent, testCase.hosts)), testCase.start));
  }

  it('the order is stable for a seed and differs between seeds', () => {
    const { policy } = twoRings({ broad: { maxConcurrent: 5 } });
    const order = (seed: string) =>
      planRollout(
        input(policy, oldGlibcFleet(policy.hosts as never), { progress: progress({ c1: done() }), orderSeed: seed }),
        NOW,
      ).start.map((entry) => entry.host);
    assert.deepEqual(order('rollout-a'), order('rollout-a'));
    assert.equal(order('rollout-a').length, 5);
    const seeds = ['rollout-a', 'rollout-b', 'rollout-c', 'rollout-d'].map((seed) => order(seed).join(','));
    assert.ok(new Set(seeds).size > 1, `all seeds gave the same order: ${seeds[0]}`);
  });

  it('a retry keeps counting attempts', () => {
    const plan = broadOnly(5, { b1: { outcome: 'retryable', attempts: 2, finishedAt: EARLIER } });
    assert.equal(plan.start.find((entry) => entry.host === 'b1')?.attempt, 3);
    assert.equal(plan.start.find((entry) => entry.host === 'b2')?.attempt, 1);
  });
});

describe('planner: halts and pauses', () => {
  it('failures beyond the budget halt: a new halt is reported and nothing starts, resumes included', () => {
    const { policy } = twoRings({ broad: { maxConcurrent: 5, failureBudget: 1 } });
    const plan = planRollout(
      input(policy, oldGlibcFleet(policy.hosts as never), {
        progress: progress({ c1: done(), b1: failed(), b2: failed(), b3: running() }),
      }),
      NOW,
    );
    assert.equal(plan.state, 'halted');
    assert.deepEqual(plan.start, []);
    assert.deepEqual(plan.halt, {
      ring: 'broad',
      failed: 2,
      failureBudget: 1,
      reason: 'ring broad: 2 failed host(s) exceed the failure budget of 1',
    });
    assert.equal(plan.nextAt, undefined);
  });

  it('failures equal to the budget do not halt', () => {
    const { policy } = twoRings({ broad: { maxConcurrent: 5, failureBudget: '20%' } });
    const plan = planRollout(
      input(policy, oldGlibcFleet(policy.hosts as never), { progress: progress({ c1: done(), b1: failed() }) }),
      NOW,
    );
    assert.equal(plan.state, 'active');
    assert.equal(plan.halt, undefined);
    assert.equal(plan.start.length, 4);
  });

  it('a recorded halt is not reported again and stops everything until resumed', () => {
    const { policy } = twoRings();
    const halted = { at: EARLIER, reason: 'health check http failed on c1', ring: 'canary', by: 'patchward' };
    const plan = planRollout(
      input(policy, oldGlibcFleet(policy.hosts as never), { progress: progress({ c1: failed() }, { halted }) }),
      NOW,
    );
    assert.equal(plan.state, 'halted');
    assert.equal(plan.halt, undefined);
    assert.match(plan.summary, /health check http failed on c1/);
    assert.deepEqual(plan.start, []);
  });

  it('a pause stops every start', () => {
    const { policy } = twoRings();
    const paused = { at: EARLIER, reason: 'change freeze', by: 'alice' };
    const plan = planRollout(
      input(policy, oldGlibcFleet(policy.hosts as never), { progress: progress({ c1: running() }, { paused }) }),
      NOW,
    );
    assert.equal(plan.state, 'paused');
    assert.deepEqual(plan.start, []);
    assert.equal(ringPhase(plan, 'canary'), 'halted');
  });
});
