import { commandAttempt } from './command-check.js';
import type { AttemptResult, HealthCheckInput, HealthOutcome, HealthTarget } from './health-types.js';
import { httpAttempt, substituteAddress } from './http-check.js';
import { createPrometheusValidators, type PrometheusValidators, prometheusAttempt, substituteQuery } from './prometheus-check.js';
import { tcpAttempt } from './tcp-check.js';

export interface HealthRunOptions {
  /** Waits between attempts (injected by tests; default a real timer). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Validators of Prometheus answers (default: compiled on the first Prometheus check of the process). */
  readonly validators?: PrometheusValidators;
}

let compiled: PrometheusValidators | undefined;

/**
 * The Prometheus answer validators, compiled by ajv once per process and only when a Prometheus
 * check runs: compiling them took ~20 ms of CPU, which every host paid at its health step even
 * with no check at all.
 */
function prometheusValidators(): PrometheusValidators {
  compiled ??= createPrometheusValidators();
  return compiled;
}

const realSleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

function attempt(check: HealthCheckInput, target: HealthTarget, validators: PrometheusValidators | undefined): Promise<AttemptResult> {
  if (check.command !== undefined) return commandAttempt(check.command, target, check.timeoutMs);
  if (check.tcp !== undefined) return tcpAttempt(target.address, check.tcp.port, check.timeoutMs);
  if (check.http !== undefined)
    return httpAttempt(substituteAddress(check.http.url, target.address), check.http.expectStatus ?? 200, check.timeoutMs);
  if (check.prometheus !== undefined)
    return prometheusAttempt(
      { ...check.prometheus, query: substituteQuery(check.prometheus.query, target.name, target.address) },
      validators ?? prometheusValidators(),
      check.timeoutMs,
    );
  return Promise.resolve({ status: 'fail', signal: { kind: 'command', detail: 'the check has no command, http, tcp or prometheus' } });
}

/**
 * Runs one check against one host: up to 1 + `retries` attempts, `interval` apart, each bounded
 * by `timeout`, stopping at the first pass. The outcome is the last attempt's: `timed-out` when it
 * ran out of time, `failed` otherwise. No decision: the engine applies `onFailure`/`onTimeout`.
 */
export async function runHealthCheck(
  check: HealthCheckInput,
  target: HealthTarget,
  options: HealthRunOptions = {},
): Promise<HealthOutcome> {
  const sleep = options.sleep ?? realSleep;
  const validators = options.validators;
  const total = 1 + Math.max(0, Math.floor(check.retries ?? 0));
  let last: AttemptResult | undefined;
  for (let attempts = 1; attempts <= total; attempts++) {
    last = await attempt(check, target, validators);
    if (last.status === 'pass')
      return { check: check.name, outcome: 'passed', attempts, signal: last.signal, message: `check ${check.name}: ${last.signal.detail}` };
    if (attempts < total) await sleep(check.intervalMs ?? 10_000);
  }
  const final = last as AttemptResult;
  return {
    check: check.name,
    outcome: final.status === 'timeout' ? 'timed-out' : 'failed',
    attempts: total,
    signal: final.signal,
    message: `check ${check.name}: ${final.signal.detail}`,
  };
}

/** Runs a Ring's checks one after the other and returns every outcome (all must pass). */
export async function runHealthChecks(
  checks: readonly HealthCheckInput[],
  target: HealthTarget,
  options: HealthRunOptions = {},
): Promise<readonly HealthOutcome[]> {
  const outcomes: HealthOutcome[] = [];
  for (const check of checks) outcomes.push(await runHealthCheck(check, target, options));
  return outcomes;
}
