/** GitLab ↔ our vocabulary: the GitLab edge's mapping tables. */
import type { BlockedReason, CommitStatus, Issue, PullRequest, StatusState } from '../../../ports/forge.js';
import type { GitlabIssue, GitlabMergeRequest, GitlabStatus } from './schema.js';

/** GitLab marks drafts by a title prefix; `Draft: ` is what GitLab itself writes today. */
const DRAFT_PREFIXES = ['Draft:', '[Draft]', '(Draft)', 'WIP:', '[WIP]'] as const;
export const DRAFT_PREFIX_WRITTEN = 'Draft: ';

/** Ours → GitLab commit status (`POST /projects/:id/statuses/:sha` `state`). */
export const STATUS_TO_GITLAB: Readonly<Record<StatusState, string>> = {
  pending: 'pending',
  success: 'success',
  failure: 'failed',
  error: 'canceled',
};

/** GitLab job/status states → ours. Anything still to run is pending; `skipped` does not block. */
const STATUS_FROM_GITLAB: Readonly<Record<string, StatusState>> = {
  success: 'success',
  skipped: 'success',
  failed: 'failure',
  canceled: 'error',
  pending: 'pending',
  running: 'pending',
  created: 'pending',
  preparing: 'pending',
  waiting_for_resource: 'pending',
  scheduled: 'pending',
  manual: 'pending',
};

/** `detailed_merge_status` values that say why a merge cannot happen now. */
const MERGE_BLOCKERS: Readonly<Record<string, BlockedReason>> = {
  checking: 'checks-pending',
  unchecked: 'checks-pending',
  preparing: 'checks-pending',
  approvals_syncing: 'checks-pending',
  ci_must_pass: 'checks-pending',
  ci_still_running: 'checks-pending',
  conflict: 'conflicted',
  need_rebase: 'behind',
  not_open: 'not-open',
};

export function fromStatus(s: GitlabStatus): CommitStatus {
  return {
    context: s.name,
    state: STATUS_FROM_GITLAB[s.status] ?? 'failure',
    description: s.description ?? '',
    ...(s.target_url ? { targetUrl: s.target_url } : {}),
  };
}

export function toPullRequest(mr: GitlabMergeRequest): PullRequest {
  const prefix = DRAFT_PREFIXES.find((p) => mr.title.startsWith(p));
  const closedAt = mr.merged_at ?? mr.closed_at ?? undefined;
  return {
    id: String(mr.iid),
    number: mr.iid,
    ...(mr.web_url ? { url: mr.web_url } : {}),
    branch: mr.source_branch,
    base: mr.target_branch,
    state: mr.state === 'merged' ? 'merged' : mr.state === 'closed' ? 'closed' : 'open',
    title: prefix ? mr.title.slice(prefix.length).trimStart() : mr.title,
    body: mr.description ?? '',
    labels: [...mr.labels],
    draft: mr.draft === true || mr.work_in_progress === true || prefix !== undefined,
    headSha: mr.sha ?? '',
    createdAt: mr.created_at,
    ...(closedAt ? { closedAt } : {}),
  };
}

export function toIssue(i: GitlabIssue): Issue {
  return {
    id: String(i.iid),
    number: i.iid,
    ...(i.web_url ? { url: i.web_url } : {}),
    title: i.title,
    body: i.description ?? '',
    state: i.state === 'closed' ? 'closed' : 'open',
    labels: [...i.labels],
  };
}

/** Why GitLab's `detailed_merge_status` blocks a merge, or undefined when it says `mergeable`. */
export function mergeBlocker(detailed: string | undefined): { reason: BlockedReason; detail: string } | undefined {
  if (detailed === undefined || detailed === 'mergeable') return undefined;
  return { reason: MERGE_BLOCKERS[detailed] ?? 'refused', detail: `detailed_merge_status ${detailed}` };
}

/** Documented refusals of `PUT …/merge`: 405 cannot be accepted, 406 conflicts, 409 sha mismatch, 422 cannot be merged. */
export function mergeRefusal(status: number, message: string): { reason: BlockedReason; detail: string } {
  const detail = `HTTP ${status}: ${message}`.slice(0, 300);
  if (status === 409) return { reason: 'head-moved', detail };
  if (status === 406) return { reason: 'conflicted', detail };
  return { reason: 'refused', detail };
}
