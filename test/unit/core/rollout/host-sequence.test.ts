import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyRolloutProgress } from '../../../../controller/core/plan/rollout-progress.js';
import {
  beginAttempt,
  beginStep,
  failHost,
  finishStep,
  hasTargets,
  missingTargets,
  nextStep,
  recoveryFor,
  reopenAtFailure,
  succeedHost,
} from '../../../../controller/core/rollout/host-sequence.js';
import {
  progressFinished,
  progressHalted,
  progressResumed,
  progressStarted,
} from '../../../../controller/core/rollout/progress-updates.js';
import { newHostSequence } from '../../../../controller/core/rollout/rollout-state.js';

const now = new Date('2026-12-02T10:00:00Z');
const fresh = () => newHostSequence('prod@abc', 'h1', 'canary');

describe('host sequence transitions', () => {
  it('walks the steps in order and records an intent before each', () => {
    let sequence = beginAttempt(fresh(), 1, now);
    assert.equal(sequence.phase, 'in-progress');
    const seen: string[] = [];
    for (let step = nextStep(sequence); step !== undefined; step = nextStep(sequence)) {
      sequence = beginStep(sequence, step, now);
      assert.equal(sequence.intent?.step, step);
      seen.push(step);
      sequence = finishStep(sequence, step);
      assert.equal(sequence.intent, undefined);
    }
    assert.deepEqual(seen, ['observe', 'pre-hook', 'apply', 'verify', 'reboot', 'health']);
    assert.equal(succeedHost(sequence, now).phase, 'succeeded');
  });

  it('asks the host after a crash inside apply or reboot, redoes the other steps', () => {
    const started = beginAttempt(fresh(), 1, now);
    assert.deepEqual(recoveryFor(started), { kind: 'none' });
    assert.deepEqual(recoveryFor(beginStep(started, 'apply', now)), { kind: 'ask-host', step: 'apply' });
    assert.deepEqual(recoveryFor(beginStep(started, 'reboot', now, 'boot-1')), {
      kind: 'ask-host',
      step: 'reboot',
      bootIdBefore: 'boot-1',
    });
    assert.deepEqual(recoveryFor(beginStep(started, 'health', now)), { kind: 'redo', step: 'health' });
  });

  it('an unreachable host ends its attempt retryable, a failed gate fails it', () => {
    const started = beginAttempt(fresh(), 2, now);
    assert.equal(failHost(started, { step: 'observe', reason: 'refused', retriable: true }, now).phase, 'retryable');
    assert.equal(failHost(started, { step: 'health', reason: 'x', retriable: false }, now).phase, 'failed');
  });

  it('resume reopens a failed host at the failed step, keeping the apply done', () => {
    let sequence = beginAttempt(fresh(), 1, now);
    for (const step of ['observe', 'pre-hook', 'apply', 'verify', 'reboot'] as const) sequence = finishStep(sequence, step);
    const failed = failHost(sequence, { step: 'health', reason: 'app down', retriable: false }, now);
    const reopened = reopenAtFailure(failed);
    assert.equal(reopened.phase, 'in-progress');
    assert.equal(nextStep(reopened), 'health');
    assert.equal(reopened.done.includes('apply'), true);
  });

  it('compares target versions exactly', () => {
    assert.equal(hasTargets({ a: '1.0-2', b: '2' }, { a: '1.0-2', b: '2' }), true);
    assert.equal(hasTargets({ a: '1.0-2' }, { a: '1.0-3' }), false);
    assert.deepEqual(missingTargets({ a: '1.0-2', b: '2' }, { a: '1.0-2' }), { b: '2' });
  });
});

describe("mapping onto the planner's RolloutProgress", () => {
  it('records starts, retryable ends with a back-off, halts and resumes', () => {
    const sequence = beginAttempt(fresh(), 1, now);
    let progress = progressStarted(emptyRolloutProgress('prod@abc', 'abc'), sequence, now);
    assert.equal(progress.hosts['h1']?.outcome, 'in-progress');
    const retry = failHost(sequence, { step: 'observe', reason: 'connection refused', retriable: true }, now);
    progress = progressFinished(progress, retry, now, 30_000);
    assert.deepEqual(progress.hosts['h1'], {
      outcome: 'retryable',
      attempts: 1,
      startedAt: now.toISOString(),
      finishedAt: now.toISOString(),
      retryAfter: '2026-12-02T10:00:30.000Z',
      reason: 'connection refused',
      step: 'observe',
    });
    progress = progressHalted(progress, { at: now.toISOString(), reason: 'FailureBudgetExceeded', ring: 'canary', by: 'patchward' });
    assert.equal(progress.halted?.ring, 'canary');
    const failed = failHost(sequence, { step: 'health', reason: 'down', retriable: false }, now);
    const resumed = progressResumed(progress, [failed]);
    assert.equal(resumed.halted, undefined);
    assert.equal(resumed.hosts['h1']?.outcome, 'in-progress');
  });
});
