/**
 * Whether a ring may start a host now (any of its MaintenanceWindows open, before its cutoff, not
 * in a blackout), and otherwise the next instant one may (`nextStartAllowed` of core/windows).
 * Pure.
 */
import type { MaintenanceWindow, Ring } from '../model/generated/kinds.js';
import { isOpen, nextStartAllowed } from '../windows/index.js';
import type { WindowGate } from './schedule-rollout.js';

export function windowGate(ring: Ring, windows: readonly MaintenanceWindow[], now: Date): WindowGate {
  const mine = windows.filter((window) => ring.spec.windows.includes(window.metadata.name));
  const next = nextStartAllowed(mine, now);
  if (next !== undefined && next.at.getTime() <= now.getTime()) return { canStart: true };
  const states = mine.map((window) => isOpen(window, now));
  const blackout = states.find((state) => state.blackout !== undefined)?.blackout;
  const reason =
    blackout !== undefined
      ? `blackout ${blackout.label}`
      : states.some((state) => state.open)
        ? 'past the cutoff'
        : `${ring.spec.windows.join(', ')} closed`;
  return { canStart: false, ...(next === undefined ? {} : { opensAt: next.at.toISOString() }), reason };
}
