/**
 * Gitea/Forgejo `/api/v1` responses, only the fields the Gitea forge reads (checked against
 * `modules/structs/{pull,issue,status,repo_branch}.go` of Gitea v1.25.4).
 */
const text = { type: 'string' } as const;
const nullableText = { type: ['string', 'null'] } as const;
const label = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: text } } as const;
const branchInfo = { type: 'object', required: ['ref', 'sha'], properties: { ref: text, sha: text } } as const;
const comment = { type: 'object', required: ['id', 'body'], properties: { id: { type: 'integer' }, body: text } } as const;
const issue = {
  type: 'object',
  required: ['number', 'title', 'state', 'labels'],
  properties: {
    number: { type: 'integer' },
    html_url: text,
    title: text,
    body: nullableText,
    state: { enum: ['open', 'closed'] },
    labels: { type: ['array', 'null'], items: label },
  },
} as const;

export const pull = {
  type: 'object',
  required: ['number', 'title', 'state', 'head', 'base', 'labels', 'merged', 'mergeable', 'created_at'],
  properties: {
    number: { type: 'integer' },
    html_url: text,
    title: text,
    body: nullableText,
    state: { enum: ['open', 'closed'] },
    draft: { type: 'boolean' },
    merged: { type: 'boolean' },
    mergeable: { type: 'boolean' },
    merge_base: text,
    labels: { type: ['array', 'null'], items: label },
    head: branchInfo,
    base: branchInfo,
    created_at: text,
    closed_at: nullableText,
    merged_at: nullableText,
  },
} as const;

export const GITEA_SCHEMAS = {
  repository: { type: 'object', required: ['default_branch'], properties: { default_branch: text } },
  pull,
  pulls: { type: 'array', items: pull },
  label,
  labels: { type: 'array', items: label },
  comment,
  comments: { type: 'array', items: comment },
  status: {
    type: 'object',
    required: ['context', 'status'],
    properties: { context: text, status: text, description: nullableText, target_url: nullableText },
  },
  combinedStatus: {
    type: 'object',
    required: ['sha', 'statuses'],
    properties: {
      sha: text,
      statuses: {
        type: ['array', 'null'],
        items: {
          type: 'object',
          required: ['context', 'status'],
          properties: { context: text, status: text, description: nullableText, target_url: nullableText },
        },
      },
    },
  },
  issue,
  issues: { type: 'array', items: issue },
  comparison: { type: 'object', required: ['total_commits'], properties: { total_commits: { type: 'integer' } } },
  reviewers: {
    type: 'object',
    properties: {
      requested_reviewers: { type: ['array', 'null'], items: { type: 'object', required: ['login'], properties: { login: text } } },
      requested_reviewers_teams: { type: ['array', 'null'], items: { type: 'object', required: ['name'], properties: { name: text } } },
    },
  },
  branchProtections: {
    type: 'array',
    items: {
      type: 'object',
      required: ['rule_name', 'enable_status_check'],
      properties: {
        rule_name: text,
        branch_name: text,
        enable_status_check: { type: 'boolean' },
        status_check_contexts: { type: ['array', 'null'], items: text },
      },
    },
  },
} as const;

export interface GiteaLabel {
  readonly id: number;
  readonly name: string;
}
export interface GiteaPull {
  readonly number: number;
  readonly html_url?: string;
  readonly title: string;
  readonly body?: string | null;
  readonly state: 'open' | 'closed';
  readonly draft?: boolean;
  readonly merged: boolean;
  readonly mergeable: boolean;
  readonly merge_base?: string;
  readonly labels: readonly GiteaLabel[] | null;
  readonly head: { readonly ref: string; readonly sha: string };
  readonly base: { readonly ref: string; readonly sha: string };
  readonly created_at: string;
  readonly closed_at?: string | null;
  readonly merged_at?: string | null;
}
export interface GiteaStatus {
  readonly context: string;
  readonly status: string;
  readonly description?: string | null;
  readonly target_url?: string | null;
}
export interface GiteaIssue {
  readonly number: number;
  readonly html_url?: string;
  readonly title: string;
  readonly body?: string | null;
  readonly state: 'open' | 'closed';
  readonly labels: readonly GiteaLabel[] | null;
}
export interface GiteaBranchProtection {
  readonly rule_name: string;
  readonly branch_name?: string;
  readonly enable_status_check: boolean;
  readonly status_check_contexts?: readonly string[] | null;
}
