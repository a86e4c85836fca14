/** Gitea ↔ our vocabulary: the Gitea edge's mapping tables. */
import type { CombinedStatus, Issue, MergeMethod, PullRequest, StatusState } from '../../../ports/forge.js';
import type { GiteaIssue, GiteaPull } from './schema.js';

/** Gitea marks drafts by a title prefix (`[repository.pull-request] WORK_IN_PROGRESS_PREFIXES`, default `WIP:,[WIP]`). */
const DRAFT_PREFIXES = ['WIP:', '[WIP]'] as const;
export const DRAFT_PREFIX_WRITTEN = 'WIP: ';

/** Gitea commit status → ours. `warning` is not green: it counts as failure. `skipped` counts as success. */
export const STATUS_FROM_GITEA: Readonly<Record<string, StatusState>> = {
  pending: 'pending',
  success: 'success',
  error: 'error',
  failure: 'failure',
  warning: 'failure',
  skipped: 'success',
};

export const MERGE_STYLE: Readonly<Record<MergeMethod, string>> = { merge: 'merge', squash: 'squash', rebase: 'rebase' };

/** A branch name in a path: each segment escaped, the slashes kept (Gitea's `compare/*` route). */
export function segments(name: string): string {
  return name.split('/').map(encodeURIComponent).join('/');
}

export function toPullRequest(p: GiteaPull): PullRequest {
  const prefix = DRAFT_PREFIXES.find((x) => p.title.startsWith(x));
  const title = prefix ? p.title.slice(prefix.length).trimStart() : p.title;
  const closedAt = p.merged_at ?? p.closed_at ?? undefined;
  return {
    id: String(p.number),
    number: p.number,
    ...(p.html_url ? { url: p.html_url } : {}),
    branch: p.head.ref,
    base: p.base.ref,
    state: p.merged ? 'merged' : p.state,
    title,
    body: p.body ?? '',
    labels: (p.labels ?? []).map((l) => l.name),
    draft: prefix !== undefined || p.draft === true,
    headSha: p.head.sha,
    createdAt: p.created_at,
    ...(closedAt ? { closedAt } : {}),
  };
}

export function toIssue(i: GiteaIssue): Issue {
  return {
    id: String(i.number),
    number: i.number,
    ...(i.html_url ? { url: i.html_url } : {}),
    title: i.title,
    body: i.body ?? '',
    state: i.state,
    labels: (i.labels ?? []).map((l) => l.name),
  };
}

export function mergeRefusal(error: { readonly status: number; readonly detail: string }): {
  reason: 'conflicted' | 'head-moved' | 'checks-pending' | 'refused';
  detail: string;
} {
  const detail = `HTTP ${error.status}: ${error.detail}`.slice(0, 300);
  if (error.status === 409) return { reason: /head out of date|wrong commit/i.test(error.detail) ? 'head-moved' : 'conflicted', detail };
  if (/status check|try again later/i.test(error.detail)) return { reason: 'checks-pending', detail };
  return { reason: 'refused', detail };
}

export function failedList(c: CombinedStatus): string {
  return c.statuses
    .filter((s) => s.state === 'failure' || s.state === 'error')
    .map((s) => `${s.context}: ${s.state}`)
    .join(', ');
}

export function pendingList(c: CombinedStatus): string {
  return [...c.statuses.filter((s) => s.state === 'pending').map((s) => s.context), ...c.missing].join(', ');
}
