import type { HealthCheck, Hook, RebootSettings } from '../../core/model/generated/kinds.js';
import { parseDurationSeconds } from '../../core/model/duration.js';
import type { HealthCheckInput } from '../health/health-types.js';
import type { PreHookInput } from './pre-hook.js';
import { DEFAULT_REBOOT_COMMAND } from './reboot-host.js';

/** Defaults of the Ring CRD (crds/patchward.io_rings.yaml) that running a step needs. */
export const RING_STEP_DEFAULTS = Object.freeze({ rebootTimeout: '15m', healthInterval: '10s', healthRetries: 0 });

function ms(duration: string, field: string): number {
  const seconds = parseDurationSeconds(duration);
  // The loader validates durations against the CRD pattern; reaching this is a programming error.
  if (seconds === undefined) throw new RangeError(`${field}: not a duration: ${JSON.stringify(duration)}`);
  return seconds * 1000;
}

/** A Ring's `preHook` → what `runPreHook` takes. */
export function preHookInputOf(hook: Hook, sudo: boolean): PreHookInput {
  return { command: hook.command, timeoutMs: ms(hook.timeout, 'preHook.timeout'), sudo };
}

/** A Ring's `reboot` → the command and timeout `rebootHost` takes. */
export function rebootInputOf(reboot: RebootSettings | undefined): { readonly command: readonly string[]; readonly timeoutMs: number } {
  return {
    command: reboot?.command ?? DEFAULT_REBOOT_COMMAND,
    timeoutMs: ms(reboot?.timeout ?? RING_STEP_DEFAULTS.rebootTimeout, 'reboot.timeout'),
  };
}

/** A Ring's health check → what `runHealthCheck` takes. */
export function healthCheckInputOf(check: HealthCheck): HealthCheckInput {
  return {
    name: check.name,
    ...(check.command === undefined ? {} : { command: check.command }),
    ...(check.http === undefined ? {} : { http: check.http }),
    ...(check.tcp === undefined ? {} : { tcp: check.tcp }),
    ...(check.prometheus === undefined ? {} : { prometheus: check.prometheus }),
    timeoutMs: ms(check.timeout, `healthChecks[${check.name}].timeout`),
    retries: check.retries ?? RING_STEP_DEFAULTS.healthRetries,
    intervalMs: ms(check.interval ?? RING_STEP_DEFAULTS.healthInterval, `healthChecks[${check.name}].interval`),
  };
}
