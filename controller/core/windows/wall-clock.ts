/**
 * Wall-clock times in a zone and the one daylight-saving rule every schedule and blackout uses
 * (docs/maintenance-windows.md):
 * - a wall time that does not exist (clocks spring forward) moves forward by the gap: 02:30 on
 *   the Berlin spring-forward night is 03:30 CEST, 02:00 on a Lord Howe 30-minute night is 02:30;
 * - a wall time that happens twice (clocks fall back) is its first instant;
 * - everything else is the one instant that shows that wall time.
 * A "floating" time is a wall time written as milliseconds as if the zone were UTC.
 */
import type { IANAZone } from 'luxon';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** Offsets seen within a day either side of `floating`: the candidates for the wall time. */
function nearbyOffsets(zone: IANAZone, floating: number): number[] {
  const offsets = new Set<number>();
  for (const probe of [floating - DAY_MS, floating - DAY_MS / 2, floating, floating + DAY_MS / 2, floating + DAY_MS])
    offsets.add(zone.offset(probe));
  return [...offsets];
}

/** The instant (epoch ms) of a floating wall time in `zone`, by the rule above. */
export function floatingToInstant(zone: IANAZone, floating: number): number {
  const offsets = nearbyOffsets(zone, floating);
  let earliest: number | undefined;
  for (const offset of offsets) {
    const instant = floating - offset * MINUTE_MS;
    if (zone.offset(instant) === offset && (earliest === undefined || instant < earliest)) earliest = instant;
  }
  if (earliest !== undefined) return earliest;
  // In a gap (w - after < change <= w - before): read the wall time with the offset in force
  // before the change; the instant then shows as the wall time plus the gap.
  const before = zone.offset(floating - Math.max(...offsets) * MINUTE_MS);
  return floating - before * MINUTE_MS;
}

/** The floating wall time that `instant` shows in `zone`. */
export function instantToFloating(zone: IANAZone, instant: number): number {
  return instant + zone.offset(instant) * MINUTE_MS;
}

/** Floating ms of a calendar date and time (month 1-12). */
export function floatingOf(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute, second);
}
