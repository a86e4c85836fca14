/** Text helpers shared by the plan renderers: inert text for terminals and Markdown, readable instants. */
import { DateTime } from 'luxon';
import { formatDuration } from '../model/duration.js';
import type { PackageChange, WindowPiece } from './plan-types.js';

/** Control characters (C0, DEL, C1) and bidirectional overrides: never reach a terminal or a PR body. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Plain text for a terminal: control characters shown as `?`, so no escape sequence runs. */
export function terminalText(text: string): string {
  return text.replace(CONTROL, '?');
}

const MARKDOWN_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '|': '&#124;',
  '\\': '&#92;',
  '`': '&#96;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '#': '&#35;',
  '@': '&#64;',
  '~': '&#126;',
};

/**
 * Text made inert for a Markdown table cell (GitHub, GitLab, Gitea): no HTML, no emphasis, links,
 * autolinks, mentions, issue references or images (`[` is an entity, so `[..](..)` and `![..]` are
 * plain text); control characters dropped, lines joined.
 */
export function markdownText(text: string): string {
  return (
    text
      .replace(CONTROL, ' ')
      .replace(/[&<>"|\\`*_[\]#@~]/g, (character) => MARKDOWN_ENTITIES[character] ?? character)
      // Autolinks: `scheme://` and `www.` stop being links once their punctuation is an entity.
      .replace(/:\/\//g, '&#58;//')
      .replace(/www\./gi, (match) => `${match.slice(0, 3)}&#46;`)
      .trim()
  );
}

/** `2027-01-05 02:00 UTC` (seconds only when not zero). */
export function utcTime(iso: string): string {
  const time = DateTime.fromISO(iso, { zone: 'UTC' });
  if (!time.isValid) return iso;
  return time.toFormat(time.second === 0 ? "yyyy-LL-dd HH:mm 'UTC'" : "yyyy-LL-dd HH:mm:ss 'UTC'");
}

/** `Sat 2027-01-09 02:00–04:00 Europe/Berlin (01:00–03:00 UTC), new hosts until 03:30`. */
export function pieceText(piece: WindowPiece): string {
  const zone = piece.timeZone;
  const start = DateTime.fromISO(piece.start, { zone });
  const end = DateTime.fromISO(piece.end, { zone });
  const lastStart = DateTime.fromISO(piece.lastStart, { zone });
  if (!start.isValid || !end.isValid || !lastStart.isValid) return `${piece.window} ${piece.start} to ${piece.end}`;
  const sameDay = start.toISODate() === end.toISODate();
  const endText = sameDay ? end.toFormat('HH:mm') : end.toFormat('ccc yyyy-LL-dd HH:mm');
  const local = `${start.toFormat('ccc yyyy-LL-dd HH:mm')}–${endText} ${zone}`;
  const utc = zone === 'UTC' ? '' : ` (${utcTime(piece.start)})`;
  const cutoff = piece.lastStart === piece.end ? '' : `, new hosts until ${lastStart.toFormat('HH:mm')}`;
  return `${piece.window}: ${local}${utc}${cutoff}`;
}

export function durationText(seconds: number): string {
  return formatDuration(seconds);
}

/** `libc6:amd64 2.36-9+deb12u1 → 2.36-9+deb12u3`. */
export function changeText(change: PackageChange): string {
  return `${change.name}${change.arch === undefined ? '' : `:${change.arch}`} ${change.from} → ${change.to}`;
}
