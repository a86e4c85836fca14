/** GitHub ↔ our vocabulary: the GitHub edge's mapping tables. */
import type { BlockedReason, CommitStatus, Issue, PullRequest, StatusState } from '../../../ports/forge.js';
import type { GithubCheckRun, GithubIssue, GithubPull, GithubStatus } from './schema.js';

/** Commit status states: GitHub's are ours. */
const STATUS_FROM_GITHUB: Readonly<Record<string, StatusState>> = {
  pending: 'pending',
  success: 'success',
  failure: 'failure',
  error: 'error',
};

/** Check-run conclusions. `neutral` and `skipped` do not block (as GitHub's own required checks treat them). */
const CHECK_CONCLUSION: Readonly<Record<string, StatusState>> = {
  success: 'success',
  neutral: 'success',
  skipped: 'success',
  failure: 'failure',
  cancelled: 'failure',
  timed_out: 'failure',
  action_required: 'failure',
  startup_failure: 'failure',
  stale: 'pending',
};

export function fromStatus(s: GithubStatus): CommitStatus {
  return {
    context: s.context,
    state: STATUS_FROM_GITHUB[s.state] ?? 'failure',
    description: s.description ?? '',
    ...(s.target_url ? { targetUrl: s.target_url } : {}),
  };
}

export function fromCheckRun(run: GithubCheckRun): CommitStatus {
  const state: StatusState = run.status !== 'completed' ? 'pending' : (CHECK_CONCLUSION[run.conclusion ?? ''] ?? 'failure');
  return { context: run.name, state, description: run.conclusion ?? run.status, ...(run.html_url ? { targetUrl: run.html_url } : {}) };
}

export function toPullRequest(p: GithubPull): PullRequest {
  // `merged` on a single PR; list items only carry `merged_at`. An open PR is never merged.
  const merged = p.state === 'closed' && (p.merged ?? (p.merged_at !== null && p.merged_at !== undefined));
  const closedAt = p.merged_at ?? p.closed_at ?? undefined;
  return {
    id: String(p.number),
    number: p.number,
    ...(p.html_url ? { url: p.html_url } : {}),
    branch: p.head.ref,
    base: p.base.ref,
    state: merged ? 'merged' : p.state,
    title: p.title,
    body: p.body ?? '',
    labels: p.labels.map((l) => l.name),
    draft: p.draft === true,
    headSha: p.head.sha,
    createdAt: p.created_at,
    ...(closedAt ? { closedAt } : {}),
  };
}

export function toIssue(i: GithubIssue): Issue {
  return {
    id: String(i.number),
    number: i.number,
    ...(i.html_url ? { url: i.html_url } : {}),
    title: i.title,
    body: i.body ?? '',
    state: i.state === 'closed' ? 'closed' : 'open',
    labels: i.labels.map((l) => (typeof l === 'string' ? l : l.name)),
  };
}

/** 405 "Pull Request is not mergeable" (conflicts, protection), 409 "Head branch was modified". */
export function mergeRefusal(status: number, message: string): { reason: BlockedReason; detail: string } {
  const detail = `HTTP ${status}: ${message}`.slice(0, 300);
  if (status === 409) return { reason: 'head-moved', detail };
  if (/required status check|expected/i.test(message)) return { reason: 'checks-pending', detail };
  if (/conflict/i.test(message)) return { reason: 'conflicted', detail };
  return { reason: 'refused', detail };
}
