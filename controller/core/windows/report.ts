/** What `patchward windows` shows, as data: per window whether it is open and its next openings. */
import type { MaintenanceWindow } from '../model/generated/kinds.js';
import { formatInstant } from './format.js';
import { isOpen, openPieces } from './window.js';

export interface OpeningReport {
  readonly schedule: string;
  /** RFC 3339 with the offset of the schedule's zone. */
  readonly start: string;
  readonly end: string;
  readonly lastStart: string;
}

export interface WindowReport {
  readonly name: string;
  readonly timeZone: string;
  readonly openNow: boolean;
  readonly openings: readonly OpeningReport[];
}

export interface WindowsReport {
  /** The instant asked about, RFC 3339 UTC. */
  readonly at: string;
  readonly windows: readonly WindowReport[];
}

/** Windows in the order given (the CLI sorts them by name); `count` openings each. */
export function windowsReport(windows: readonly MaintenanceWindow[], at: Date, count: number): WindowsReport {
  return {
    at: formatInstant(at, 'UTC'),
    windows: windows.map((window) => ({
      name: window.metadata.name,
      timeZone: window.spec.timeZone,
      openNow: isOpen(window, at).open,
      openings: openPieces(window, at, count).map((piece) => ({
        schedule: piece.schedule,
        start: formatInstant(piece.start, piece.timeZone),
        end: formatInstant(piece.end, piece.timeZone),
        lastStart: formatInstant(piece.lastStart, piece.timeZone),
      })),
    })),
  };
}
