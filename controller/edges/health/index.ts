/** Health checks after a host is patched: command, TCP, HTTP and Prometheus query gates. */
export type { AttemptResult, HealthCheckInput, HealthOutcome, HealthSignal, HealthTarget, SeriesValue } from './health-types.js';
export { createPrometheusValidators, substituteQuery } from './prometheus-check.js';
export { substituteAddress } from './http-check.js';
export { type HealthRunOptions, runHealthCheck, runHealthChecks } from './run-health-checks.js';
