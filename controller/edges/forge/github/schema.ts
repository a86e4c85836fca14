/**
 * GitHub REST responses, only the fields the GitHub forge reads (checked in the tests against the
 * examples of the OpenAPI description in `@octokit/openapi` and the recorded traffic of
 * `@octokit/fixtures`).
 */
const text = { type: 'string' } as const;
const nullableText = { type: ['string', 'null'] } as const;
const labelRef = { type: 'object', required: ['name'], properties: { name: text } } as const;
const branchRef = { type: 'object', required: ['ref', 'sha'], properties: { ref: text, sha: text } } as const;

const pull = {
  type: 'object',
  required: ['number', 'title', 'state', 'head', 'base', 'labels', 'created_at'],
  properties: {
    number: { type: 'integer' },
    html_url: text,
    title: text,
    body: nullableText,
    state: { enum: ['open', 'closed'] },
    draft: { type: 'boolean' },
    merged: { type: 'boolean' },
    merged_at: nullableText,
    closed_at: nullableText,
    mergeable: { type: ['boolean', 'null'] },
    mergeable_state: text,
    labels: { type: 'array', items: labelRef },
    head: branchRef,
    base: branchRef,
    created_at: text,
  },
} as const;

const issue = {
  type: 'object',
  required: ['number', 'title', 'state', 'labels'],
  properties: {
    number: { type: 'integer' },
    html_url: text,
    title: text,
    body: nullableText,
    state: text,
    pull_request: { type: 'object' },
    // GitHub lists labels as objects (or bare names for some legacy payloads)
    labels: { type: 'array', items: { anyOf: [text, labelRef] } },
  },
} as const;

const status = {
  type: 'object',
  required: ['context', 'state'],
  properties: { context: text, state: text, description: nullableText, target_url: nullableText },
} as const;

export const GITHUB_SCHEMAS = {
  repository: { type: 'object', required: ['default_branch'], properties: { default_branch: text } },
  pull,
  pulls: { type: 'array', items: pull },
  labels: { type: 'array', items: labelRef },
  comments: { type: 'array', items: { type: 'object', required: ['id', 'body'], properties: { id: { type: 'integer' }, body: text } } },
  comment: { type: 'object', required: ['id'], properties: { id: { type: 'integer' }, body: text } },
  combinedStatus: { type: 'object', required: ['sha', 'statuses'], properties: { sha: text, statuses: { type: 'array', items: status } } },
  status,
  checkRuns: {
    type: 'object',
    required: ['check_runs'],
    properties: {
      check_runs: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'status'],
          properties: { name: text, status: text, conclusion: nullableText, html_url: nullableText },
        },
      },
    },
  },
  comparison: { type: 'object', required: ['behind_by', 'status'], properties: { behind_by: { type: 'integer' }, status: text } },
  issue,
  issues: { type: 'array', items: issue },
  reviewRequests: {
    type: 'object',
    required: ['users', 'teams'],
    properties: {
      users: { type: 'array', items: { type: 'object', required: ['login'], properties: { login: text } } },
      teams: { type: 'array', items: { type: 'object', required: ['slug'], properties: { slug: text } } },
    },
  },
  mergeResult: { type: 'object', required: ['merged'], properties: { merged: { type: 'boolean' }, sha: text, message: text } },
  protection: {
    type: 'object',
    properties: {
      required_status_checks: {
        type: ['object', 'null'],
        properties: {
          contexts: { type: 'array', items: text },
          checks: { type: 'array', items: { type: 'object', required: ['context'], properties: { context: text } } },
        },
      },
    },
  },
} as const;

export interface GithubPull {
  readonly number: number;
  readonly html_url?: string;
  readonly title: string;
  readonly body?: string | null;
  readonly state: 'open' | 'closed';
  readonly draft?: boolean;
  readonly merged?: boolean;
  readonly merged_at?: string | null;
  readonly closed_at?: string | null;
  readonly mergeable?: boolean | null;
  readonly mergeable_state?: string;
  readonly labels: readonly { readonly name: string }[];
  readonly head: { readonly ref: string; readonly sha: string };
  readonly base: { readonly ref: string; readonly sha: string };
  readonly created_at: string;
}
export interface GithubIssue {
  readonly number: number;
  readonly html_url?: string;
  readonly title: string;
  readonly body?: string | null;
  readonly state: string;
  readonly pull_request?: object;
  readonly labels: readonly (string | { readonly name: string })[];
}
export interface GithubStatus {
  readonly context: string;
  readonly state: string;
  readonly description?: string | null;
  readonly target_url?: string | null;
}
export interface GithubCheckRun {
  readonly name: string;
  readonly status: string;
  readonly conclusion?: string | null;
  readonly html_url?: string | null;
}
