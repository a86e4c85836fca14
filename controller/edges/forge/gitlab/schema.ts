/**
 * GitLab REST v4 responses, only the fields the GitLab forge reads (checked in the tests against
 * the example responses of GitLab's API documentation, stored under test/fixtures/forge/gitlab/).
 */
const text = { type: 'string' } as const;
const nullableText = { type: ['string', 'null'] } as const;
const user = { type: 'object', required: ['id', 'username'], properties: { id: { type: 'integer' }, username: text } } as const;

const mergeRequest = {
  type: 'object',
  required: ['iid', 'title', 'state', 'source_branch', 'target_branch', 'labels', 'created_at'],
  properties: {
    iid: { type: 'integer' },
    web_url: text,
    title: text,
    description: nullableText,
    state: { enum: ['opened', 'closed', 'merged', 'locked'] },
    draft: { type: 'boolean' },
    work_in_progress: { type: 'boolean' },
    source_branch: text,
    target_branch: text,
    sha: nullableText,
    labels: { type: 'array', items: text },
    created_at: text,
    merged_at: nullableText,
    closed_at: nullableText,
    has_conflicts: { type: 'boolean' },
    detailed_merge_status: text,
    diverged_commits_count: { type: ['integer', 'null'] },
    merge_commit_sha: nullableText,
    reviewers: { type: 'array', items: user },
  },
} as const;

const issue = {
  type: 'object',
  required: ['iid', 'title', 'state', 'labels'],
  properties: {
    iid: { type: 'integer' },
    web_url: text,
    title: text,
    description: nullableText,
    state: text,
    labels: { type: 'array', items: text },
  },
} as const;

const status = {
  type: 'object',
  required: ['name', 'status'],
  properties: { name: text, status: text, description: nullableText, target_url: nullableText },
} as const;

export const GITLAB_SCHEMAS = {
  project: { type: 'object', required: ['default_branch'], properties: { default_branch: text } },
  mergeRequest,
  mergeRequests: { type: 'array', items: mergeRequest },
  notes: { type: 'array', items: { type: 'object', required: ['id', 'body'], properties: { id: { type: 'integer' }, body: text } } },
  note: { type: 'object', required: ['id', 'body'], properties: { id: { type: 'integer' }, body: text } },
  status,
  statuses: { type: 'array', items: status },
  labels: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: text } } },
  label: { type: 'object', required: ['name'], properties: { name: text } },
  issue,
  issues: { type: 'array', items: issue },
  users: { type: 'array', items: user },
} as const;

export interface GitlabMergeRequest {
  readonly iid: number;
  readonly web_url?: string;
  readonly title: string;
  readonly description?: string | null;
  readonly state: 'opened' | 'closed' | 'merged' | 'locked';
  readonly draft?: boolean;
  readonly work_in_progress?: boolean;
  readonly source_branch: string;
  readonly target_branch: string;
  readonly sha?: string | null;
  readonly labels: readonly string[];
  readonly created_at: string;
  readonly merged_at?: string | null;
  readonly closed_at?: string | null;
  readonly has_conflicts?: boolean;
  readonly detailed_merge_status?: string;
  readonly diverged_commits_count?: number | null;
  readonly merge_commit_sha?: string | null;
  readonly reviewers?: readonly { readonly id: number; readonly username: string }[];
}
export interface GitlabIssue {
  readonly iid: number;
  readonly web_url?: string;
  readonly title: string;
  readonly description?: string | null;
  readonly state: string;
  readonly labels: readonly string[];
}
export interface GitlabStatus {
  readonly name: string;
  readonly status: string;
  readonly description?: string | null;
  readonly target_url?: string | null;
}
