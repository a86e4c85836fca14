/** Small parsers for command-line option values shared by the commands. */

/** A positive number from an option value; `fallback` when the option is absent, undefined when invalid. */
export function positiveNumber(raw: string | undefined, fallback: number): number | undefined {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
