import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  beginAttempt,
  beginStep,
  failHost,
  finishStep,
  hasTargets,
  nextStep,
  rearmHost,
  recoveryFor,
  succeedHost,
} from '../../../../controller/core/rollout/host-sequence.js';
import { newHostProgress } from '../../../../controller/core/rollout/rollout-state.js';

const now = new Date('2026-12-02T10:00:00Z');
const limits = { maxAttempts: 3, retryDelayMs: 30_000 };

describe('host sequence transitions', () => {
  it('walks the steps in order and records an intent before each', () => {
    let progress = beginAttempt(newHostProgress('h1', 'canary'), now);
    assert.equal(progress.phase, 'in-progress');
    assert.equal(progress.attempts, 1);
    const seen: string[] = [];
    for (let step = nextStep(progress); step !== undefined; step = nextStep(progress)) {
      progress = beginStep(progress, step, now);
      assert.equal(progress.intent?.step, step);
      seen.push(step);
      progress = finishStep(progress, step);
      assert.equal(progress.intent, undefined);
    }
    assert.deepEqual(seen, ['observe', 'pre-hook', 'apply', 'verify', 'reboot', 'health']);
    assert.equal(succeedHost({ ...progress, targets: { a: '1' } }, now).result, 'patched');
    assert.equal(succeedHost({ ...progress, targets: {} }, now).result, 'compliant');
  });

  it('asks the host after a crash inside apply or reboot, redoes the other steps', () => {
    const started = beginAttempt(newHostProgress('h1', 'canary'), now);
    assert.deepEqual(recoveryFor(started), { kind: 'none' });
    assert.deepEqual(recoveryFor(beginStep(started, 'apply', now)), { kind: 'ask-host', step: 'apply' });
    assert.deepEqual(recoveryFor(beginStep(started, 'reboot', now, 'boot-1')), {
      kind: 'ask-host',
      step: 'reboot',
      bootIdBefore: 'boot-1',
    });
    assert.deepEqual(recoveryFor(beginStep(started, 'health', now)), { kind: 'redo', step: 'health' });
  });

  it('an unreachable host is retried until maxAttempts, then counts as failed', () => {
    const failure = { step: 'observe' as const, reason: 'connection refused', retriable: true };
    let progress = newHostProgress('h1', 'canary');
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      progress = failHost(beginAttempt(progress, now), failure, now, limits);
      assert.equal(progress.phase, 'pending');
      assert.equal(progress.retryAt, '2026-12-02T10:00:30.000Z');
    }
    progress = failHost(beginAttempt(progress, now), failure, now, limits);
    assert.equal(progress.phase, 'failed');
    assert.equal(progress.attempts, 3);
    const rearmed = rearmHost(progress);
    assert.equal(rearmed.phase, 'pending');
    assert.equal(rearmed.attempts, 0);
  });

  it('a failed apply or health check fails the host at once', () => {
    const progress = failHost(
      beginAttempt(newHostProgress('h1', 'canary'), now),
      { step: 'health', reason: 'x', retriable: false },
      now,
      limits,
    );
    assert.equal(progress.phase, 'failed');
  });

  it('compares target versions exactly', () => {
    assert.equal(hasTargets({ a: '1.0-2', b: '2' }, { a: '1.0-2', b: '2' }), true);
    assert.equal(hasTargets({ a: '1.0-2' }, { a: '1.0-3' }), false);
    assert.equal(hasTargets({ a: '1.0-2' }, {}), false);
  });
});
