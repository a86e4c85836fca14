/** Small parsers for command-line option values shared by the commands. */

/** A positive number from an option value; `fallback` when the option is absent, undefined when invalid. */
export function positiveNumber(raw: string | undefined, fallback: number): number | undefined {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Ranges of the numeric options (a timer longer than 2^31-1 ms overflows Node's timers). */
export const OPTION_RANGES = {
  /** Seconds: per-host, per-read and whole-download deadlines. */
  timeoutSeconds: { min: 0.001, max: 86_400 },
  /** Hosts or commands at once. */
  concurrency: { min: 1, max: 10_000 },
} as const;

/**
 * A number within [min, max] from an option value (`fallback` when absent), or the message that
 * names the option, the value and the range.
 */
export function numberInRange(
  raw: string | undefined,
  fallback: number,
  flag: string,
  range: { readonly min: number; readonly max: number; readonly integer?: boolean },
): number | string {
  if (raw === undefined) return fallback;
  const value = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(value) || value < range.min || value > range.max || (range.integer === true && !Number.isInteger(value)))
    return `${flag} must be ${range.integer === true ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}, not ${JSON.stringify(raw)}`;
  return value;
}
