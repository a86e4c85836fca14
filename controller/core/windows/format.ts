/** Instants for people and scripts: RFC 3339 with the offset of the zone they belong to. */
import { DateTime } from 'luxon';

/** `2026-03-29T03:30:00+02:00` (seconds always, no milliseconds; `Z` only in UTC). */
export function formatInstant(instant: Date, zone: string): string {
  const text = DateTime.fromJSDate(instant, { zone }).toISO({ suppressMilliseconds: true, includeOffset: true });
  return text ?? instant.toISOString();
}
