/**
 * Grouping candidates into proposals (one pull request each), per the policy's `grouping`.
 *
 * Keys (each advisory belongs to exactly one group):
 * - `advisory` (default): the advisory id as the feed writes it, e.g. `ALSA-2024:1234`.
 * - `package`: the smallest (code-point order) package name the advisory's fixes name: the source
 *   package for Debian/Ubuntu, the rpm name for the RHEL family (`openssh` for an advisory fixing
 *   `openssh`, `openssh-clients`, `openssh-server`).
 * - `daily`: the UTC calendar day of the advisory's `published` time (else `modified`), ISO 8601
 *   `2026-12-02`. The advisory's own date, not the day patchward first saw it, so the key does
 *   not depend on when a run happens (no state is kept; a new host affected by an old advisory
 *   joins that advisory's day).
 * - `weekly`: the ISO 8601 week (weeks start on Monday, week 1 holds the year's first Thursday)
 *   of the same UTC day, written `2026-W49`; the year is the ISO week-numbering year.
 * An advisory with neither date goes to the key `undated` (daily and weekly).
 *
 * `maxAdvisories` (default 50) splits a group: its advisories sorted by (published or modified,
 * id) are cut into consecutive chunks of at most `maxAdvisories`; the first chunk keeps the key,
 * the n-th gets `<key>-part-<n>`. New advisories are usually published later, so they land in the
 * last chunk and the earlier chunks (and their PRs) stay as they were. Deterministic for the same
 * input whatever the input order.
 */
import type { Candidate, Proposal } from './candidate.js';
import { proposalBranch } from './ref-name.js';

export type GroupingBy = 'advisory' | 'package' | 'daily' | 'weekly';

export const DEFAULT_MAX_ADVISORIES = 50;

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function dayOf(candidate: Candidate): Date | undefined {
  const stamp = candidate.published ?? candidate.modified;
  if (stamp === undefined) return undefined;
  const time = Date.parse(stamp);
  return Number.isNaN(time) ? undefined : new Date(time);
}

export function utcDayKey(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** ISO 8601 week of the UTC day of `date`: `YYYY-Www`. */
export function isoWeekKey(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const year = day.getUTCFullYear();
  const week = Math.floor((day.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function groupKey(by: GroupingBy, candidate: Candidate): string {
  switch (by) {
    case 'advisory':
      return candidate.advisory;
    case 'package':
      return [...candidate.fixes.map((fix) => fix.package)].sort(byString)[0] ?? candidate.advisory;
    case 'daily': {
      const day = dayOf(candidate);
      return day === undefined ? 'undated' : utcDayKey(day);
    }
    case 'weekly': {
      const day = dayOf(candidate);
      return day === undefined ? 'undated' : isoWeekKey(day);
    }
  }
}

function chronological(a: Candidate, b: Candidate): number {
  return byString(a.published ?? a.modified ?? '', b.published ?? b.modified ?? '') || byString(a.advisory, b.advisory);
}

export interface GroupingSettings {
  readonly policy: string;
  readonly by?: GroupingBy;
  readonly maxAdvisories?: number;
  readonly branchPrefix?: string;
}

/** Proposals sorted by key; candidates within a proposal sorted by advisory id. */
export function groupProposals(candidates: readonly Candidate[], settings: GroupingSettings): Proposal[] {
  const by = settings.by ?? 'advisory';
  const max = Math.max(1, settings.maxAdvisories ?? DEFAULT_MAX_ADVISORIES);
  const groups = new Map<string, Candidate[]>();
  for (const candidate of candidates) {
    const key = groupKey(by, candidate);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [candidate]);
    else group.push(candidate);
  }
  const proposals: Proposal[] = [];
  for (const [key, group] of groups) {
    const ordered = [...group].sort(chronological);
    for (let start = 0, part = 1; start < ordered.length; start += max, part++) {
      const chunk = ordered.slice(start, start + max).sort((a, b) => byString(a.advisory, b.advisory));
      const chunkKey = part === 1 ? key : `${key}-part-${part}`;
      proposals.push({
        policy: settings.policy,
        key: chunkKey,
        branch: proposalBranch(settings.branchPrefix, settings.policy, chunkKey),
        candidates: chunk,
        urgent: chunk.some((candidate) => candidate.urgent),
      });
    }
  }
  return proposals.sort((a, b) => byString(a.key, b.key));
}
