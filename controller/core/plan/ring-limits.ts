/** A Ring's numbers resolved against its size: concurrency, failure budget, attempts, soak. */
import { parseDurationSeconds } from '../model/duration.js';
import type { Ring } from '../model/generated/kinds.js';

export const DEFAULT_MAX_CONCURRENT = 1;
export const DEFAULT_FAILURE_BUDGET = 0;
export const DEFAULT_MAX_ATTEMPTS = 3;

export interface RingLimits {
  readonly maxConcurrent: number;
  readonly failureBudget: number;
  readonly maxAttempts: number;
  readonly soakSeconds: number;
}

function percentOf(value: number | string, size: number): number | undefined {
  if (typeof value === 'number') return value;
  const match = /^([0-9]+)%$/.exec(value);
  if (match === null) return /^[0-9]+$/.test(value) ? Number(value) : undefined;
  return Math.floor((size * Number(match[1])) / 100);
}

/** `maxConcurrent` a count or a percentage of the ring (rounded down, at least 1); `failureBudget` likewise (may be 0). */
export function ringLimits(ring: Ring, size: number): RingLimits {
  const spec = ring.spec;
  const concurrent =
    spec.maxConcurrent === undefined ? DEFAULT_MAX_CONCURRENT : (percentOf(spec.maxConcurrent, size) ?? DEFAULT_MAX_CONCURRENT);
  const budget =
    spec.failureBudget === undefined ? DEFAULT_FAILURE_BUDGET : (percentOf(spec.failureBudget, size) ?? DEFAULT_FAILURE_BUDGET);
  return {
    maxConcurrent: Math.max(1, concurrent),
    failureBudget: Math.max(0, budget),
    maxAttempts: Math.max(1, spec.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
    soakSeconds: spec.soakTime === undefined ? 0 : (parseDurationSeconds(spec.soakTime) ?? 0),
  };
}
