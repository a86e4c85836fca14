/**
 * Whether a ring may start a host now: any of its MaintenanceWindows open and before its cutoff
 * (blackouts win), and otherwise the next start of any of its schedules (a blackout then is seen
 * when that instant comes). Pure.
 */
import type { MaintenanceWindow, Ring } from '../model/generated/kinds.js';
import { compileSchedule, isWindowOpen, nextOccurrences } from '../windows/schedule.js';
import type { WindowGate } from './schedule-rollout.js';

export function windowGate(ring: Ring, windows: readonly MaintenanceWindow[], now: Date): WindowGate {
  const mine = windows.filter((window) => ring.spec.windows.includes(window.metadata.name));
  const states = mine.map((window) => ({ window, state: isWindowOpen(window, now) }));
  if (states.some(({ state }) => state.canStart)) return { canStart: true };
  let opensAt: Date | undefined;
  for (const window of mine) {
    for (const schedule of window.spec.schedules) {
      const compiled = compileSchedule(schedule, window.spec);
      if (!compiled.ok) continue;
      const [next] = nextOccurrences(compiled.value, new Date(now.getTime() + 1000), 1);
      if (next !== undefined && (opensAt === undefined || next.start < opensAt)) opensAt = next.start;
    }
  }
  const blackout = states.find(({ state }) => state.blackout !== undefined)?.state.blackout;
  const reason =
    blackout !== undefined
      ? `blackout ${blackout}`
      : states.some(({ state }) => state.open)
        ? 'past the cutoff'
        : `${ring.spec.windows.join(', ')} closed`;
  return { canStart: false, ...(opensAt === undefined ? {} : { opensAt: opensAt.toISOString() }), reason };
}
