/** Maintenance windows, evaluated (pure: the instant is always a parameter). See docs/maintenance-windows.md. */
export { type BlackoutInterval, blackoutIntervals } from './blackouts.js';
export { formatInstant } from './format.js';
export {
  type CompiledSchedule,
  type CompileResult,
  compileSchedule,
  isValidTimeZone,
  LIFETIME_HORIZON_MS,
  nextOccurrences,
  type Occurrence,
  SEARCH_HORIZON_MS,
} from './schedule.js';
export { floatingToInstant, instantToFloating } from './wall-clock.js';
export {
  isOpen,
  nextStartAllowed,
  type OpenPiecesOptions,
  openPieces,
  type StartAllowed,
  scheduleLabel,
  type WindowPiece,
  type WindowState,
  windowsNeverOpenAgain,
} from './window.js';
