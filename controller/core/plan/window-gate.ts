/** When a new host may start in a set of windows, memoised per plan (many hosts share windows and gate). */
import type { MaintenanceWindow } from '../model/generated/kinds.js';
import { nextStartAllowed } from '../windows/index.js';
import type { WindowPiece } from './plan-types.js';

export interface StartSlot {
  readonly at: Date;
  readonly piece: WindowPiece;
}

export interface WindowGate {
  /** The earliest instant at or after `at` when one of the named windows lets a new host start. */
  nextStart(names: readonly string[], at: Date): StartSlot | undefined;
}

export function windowGate(windows: readonly MaintenanceWindow[]): WindowGate {
  const byName = new Map(windows.map((window) => [window.metadata.name, window] as const));
  const memo = new Map<string, StartSlot | null>();
  const windowsNamed = (names: readonly string[]): MaintenanceWindow[] =>
    names.map((name) => byName.get(name)).filter((window): window is MaintenanceWindow => window !== undefined);
  return {
    nextStart(names, at) {
      const key = `${names.join(',')}@${at.getTime()}`;
      const cached = memo.get(key);
      if (cached !== undefined) return cached ?? undefined;
      const found = nextStartAllowed(windowsNamed(names), at);
      const slot =
        found === undefined
          ? null
          : {
              at: found.at,
              piece: {
                window: found.piece.window,
                schedule: found.piece.schedule,
                timeZone: found.piece.timeZone,
                start: found.piece.start.toISOString(),
                end: found.piece.end.toISOString(),
                lastStart: found.piece.lastStart.toISOString(),
              },
            };
      memo.set(key, slot);
      return slot ?? undefined;
    },
  };
}
