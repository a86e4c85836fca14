/**
 * `Forge`: where proposals become visible to people — pull requests (merge requests on GitLab),
 * labels, reviewers, comments, commit statuses and one issue kept up to date (the patch dashboard).
 * Modelled on Renovate's platform layer (`lib/modules/platform/types.ts`), in our vocabulary.
 *
 * Implementations: `controller/edges/forge/{gitea,github,gitlab,git}/`. Git plumbing (clone,
 * commit, push) is NOT here: it is the one shared module `controller/edges/git/` (`GitWorkspace`);
 * a caller first pushes the proposal branch with it, then asks the forge for the pull request.
 *
 * Rules for callers (core and reconcile code):
 * - Never branch on `forge.kind`. What only some forges can do is an optional method: test for the
 *   method (`if (forge.mergePullRequest)`), not for the forge.
 * - Idempotent operations are `ensure…` and return an `EnsureOutcome`; calling them twice with the
 *   same input gives `unchanged` the second time and makes no write.
 * - Failures are thrown as `PatchwardError`s classified at the edge (see "Errors" below). A forge
 *   that is down or rate-limited after retries is `ExternalError('forge', …)`: `isForgeUnavailable`
 *   tells the propose step to record it and go on; nothing else in the loop depends on the forge.
 */
import { ExternalError, type PatchwardError, isPatchwardError } from '../errors.js';

/** For logs and reports only; never branch on it (STYLE.md §2). */
export type ForgeKind = 'gitea' | 'github' | 'gitlab' | 'git';

/** Our states. Edges map theirs (GitLab `opened`/`locked`, GitHub `closed`+`merged_at`, …). */
export type PullRequestState = 'open' | 'closed' | 'merged';

export interface PullRequest {
  /**
   * Opaque handle to pass back to this forge (the PR number as text on Gitea/GitHub, the MR iid
   * on GitLab, the branch name on plain Git). Show `number` or `url` to people instead.
   */
  readonly id: string;
  /** PR number / MR iid; absent on plain Git. */
  readonly number?: number;
  readonly url?: string;
  /** Head (source) branch name, without `refs/heads/`. */
  readonly branch: string;
  /** Base (target) branch name. */
  readonly base: string;
  readonly state: PullRequestState;
  /** Title as people see it, WITHOUT the forge's draft prefix (edges strip `WIP:`/`Draft:`). */
  readonly title: string;
  /** Body as stored by the forge ('' when empty). Carries the proposals' hidden marker. */
  readonly body: string;
  readonly labels: readonly string[];
  readonly draft: boolean;
  /** SHA of the head commit the forge knows for this PR. */
  readonly headSha: string;
  /** RFC 3339, when the PR was opened (the `after` delay of auto-merge counts from here). */
  readonly createdAt: string;
  /** RFC 3339, when it was closed or merged; absent while open. */
  readonly closedAt?: string;
}

/** The desired state of the (single) open pull request of a branch. */
export interface PullRequestSpec {
  readonly branch: string;
  readonly base: string;
  readonly title: string;
  readonly body: string;
  /** Exactly these labels on the PR (labels patchward did not list are removed; see `ensureLabels`). */
  readonly labels: readonly string[];
  readonly draft: boolean;
}

export interface ReviewerRequest {
  /** User logins (usernames on GitLab). */
  readonly users: readonly string[];
  /** Team slugs (`org/team` on GitHub: the slug only, the owner is the repository's). */
  readonly teams: readonly string[];
}

/** Why an `ensure…` did not do what was asked. Expected outcomes, not errors (STYLE.md §5). */
export type BlockedReason =
  | 'unsupported' // the forge cannot do it (team reviewers on GitLab, reviewers on plain Git)
  | 'not-open' // the target PR/issue is closed or merged
  | 'checks-pending' // required statuses are not all reported yet
  | 'checks-failed' // a required status is failure/error
  | 'conflicted' // the branch conflicts with its base
  | 'behind' // the forge requires an up-to-date branch and it is behind its base
  | 'head-moved' // the head SHA is not the one the caller decided on
  | 'refused'; // the forge refused for another reason (branch protection, approvals); see detail

export type EnsureOutcome<T> =
  | { readonly outcome: 'created'; readonly value: T }
  | { readonly outcome: 'updated'; readonly value: T; readonly changed: readonly string[] }
  | { readonly outcome: 'unchanged'; readonly value: T }
  | { readonly outcome: 'blocked'; readonly reason: BlockedReason; readonly detail: string };

export type MergeMethod = 'merge' | 'squash' | 'rebase';

export type MergeOutcome =
  | { readonly outcome: 'merged'; readonly sha?: string }
  | { readonly outcome: 'unchanged' } // it was already merged
  | { readonly outcome: 'blocked'; readonly reason: BlockedReason; readonly detail: string };

/** Commit status states, ours. Edges map (Gitea/GitHub `error`, GitLab `running`/`canceled`…). */
export type StatusState = 'pending' | 'success' | 'failure' | 'error';

export interface CommitStatus {
  /** The check's name (`context` on Gitea/GitHub, `name` on GitLab, the note key on plain Git). */
  readonly context: string;
  readonly state: StatusState;
  readonly description: string;
  readonly targetUrl?: string;
}

/**
 * The combined status of a commit: `failure` if any status is failure/error, else `pending` if any
 * is pending or a `required` context has not reported, else `success`; `none` when there are no
 * statuses at all and none is required.
 */
export interface CombinedStatus {
  readonly sha: string;
  readonly state: 'success' | 'pending' | 'failure' | 'none';
  readonly statuses: readonly CommitStatus[];
  /** Required contexts (from the call, or the forge's branch protection) that have not reported. */
  readonly missing: readonly string[];
}

/** How a branch stands against its base. `unknown` while the forge is still computing it. */
export interface BranchFreshness {
  readonly behind: boolean | 'unknown';
  readonly conflicted: boolean | 'unknown';
}

export interface Issue {
  /** Opaque handle for this forge (issue number as text; the file path on plain Git). */
  readonly id: string;
  readonly number?: number;
  readonly url?: string;
  readonly title: string;
  /** The body as stored now: read it back to see which checkboxes a person ticked. */
  readonly body: string;
  readonly state: 'open' | 'closed';
  readonly labels: readonly string[];
}

export interface IssueSpec {
  /** The issue is found by exact title (and, when given, by having `label`). */
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
}

export interface Comment {
  readonly id: string;
  readonly body: string;
}

export interface PullRequestQuery {
  /** Only PRs whose head branch starts with this prefix. */
  readonly branchPrefix?: string;
  /** Only PRs carrying this label. */
  readonly label?: string;
  /** Default `open`. */
  readonly state?: PullRequestState | 'any';
}

export interface Forge {
  readonly kind: ForgeKind;
  /** `owner/name` (or the remote's path on plain Git) for logs and PR texts. */
  readonly repository: string;

  /** The repository's default branch name. Never pushed to by patchward. */
  getDefaultBranch(): Promise<string>;

  /**
   * The pull request whose head is `branch`, in any state: the open one if there is one, else the
   * most recently created closed/merged one. `undefined` when the branch never had a PR.
   */
  findPullRequest(branch: string): Promise<PullRequest | undefined>;

  /** Pull requests by state (default open), head-branch prefix and/or label; newest first. */
  listPullRequests(query: PullRequestQuery): Promise<readonly PullRequest[]>;

  /**
   * Creates the open PR for `spec.branch`, or updates the open one in place (title, body, labels,
   * draft, base) when any differs; `unchanged` when none does. A closed/merged PR of the same
   * branch is never reopened: a new PR is created (the branch must have been pushed first).
   * Ensures the labels exist first.
   */
  ensurePullRequest(spec: PullRequestSpec): Promise<EnsureOutcome<PullRequest>>;

  /**
   * Closes an open PR without merging; with `comment`, posts it first (e.g. naming the successor).
   * `unchanged` when it is already closed, `blocked`/`not-open` when it was merged.
   */
  closePullRequest(id: string, options?: { comment?: string }): Promise<EnsureOutcome<PullRequest>>;

  /** Adds `body` as a comment unless a comment with exactly this body already exists. */
  ensureComment(pullRequestId: string, body: string): Promise<EnsureOutcome<Comment>>;

  /** Sets the status `status.context` on `sha`; `unchanged` when it already has that state and description. */
  setCommitStatus(sha: string, status: CommitStatus): Promise<EnsureOutcome<CommitStatus>>;

  /** Combined status of `sha`; `required` adds contexts that count as pending until reported. */
  getCombinedStatus(sha: string, required?: readonly string[]): Promise<CombinedStatus>;

  /** Whether `branch` is behind `base` and whether merging it would conflict. */
  getBranchFreshness(branch: string, base: string): Promise<BranchFreshness>;

  /** Creates missing labels (name and colour). Forges that create labels on use report `unchanged`. */
  ensureLabels(names: readonly string[]): Promise<EnsureOutcome<readonly string[]>>;

  /** The open issue with this exact title (and label, when given), with its current body. */
  findIssue(title: string, label?: string): Promise<Issue | undefined>;

  /** Creates the issue, or updates body/labels of the open one with this title; reopens nothing. */
  ensureIssue(spec: IssueSpec): Promise<EnsureOutcome<Issue>>;

  // ---- capabilities only some forges have (test for the method, never for `kind`) ----

  /** Requests reviews. `blocked`/`unsupported` for the part a forge cannot do (GitLab teams). */
  requestReviewers?(pullRequestId: string, reviewers: ReviewerRequest): Promise<EnsureOutcome<ReviewerRequest>>;

  /**
   * Merges the PR only if its head is still `headSha` (the commit whose checks the caller saw).
   * Blocked outcomes, not errors, for everything a later run may resolve (checks, conflicts,
   * head moved, branch protection). Absent on plain Git: a person's merge is the approval there.
   */
  mergePullRequest?(id: string, options: { headSha: string; method?: MergeMethod }): Promise<MergeOutcome>;

  /** Contexts the base branch's protection requires (empty when none or not readable). */
  getRequiredStatusContexts?(base: string): Promise<readonly string[]>;
}

// ---- Errors -------------------------------------------------------------------------------------
//
// Edges classify every failure before it leaves them (STYLE.md §5). Codes, by HTTP status:
// - 401 → Stalled `forge-unauthorized`, 403 → Stalled `forge-forbidden` (a person must fix the token
//   or its scopes; no retry storm);
// - 404 → Stalled `forge-not-found` (repository, branch or PR that must exist does not; lookups
//   that may miss return `undefined` instead of throwing);
// - 409 → Transient `forge-conflict` (the forge's state moved under us; the next run sees it);
// - 422 → Stalled `forge-unprocessable` (the forge refuses the request: unknown reviewer, …);
// - 429 and 5xx, timeouts, refused connections → retried with backoff and jitter (honouring
//   `Retry-After` and rate-limit reset headers), then External('forge') `forge-rate-limited` /
//   `forge-unavailable`;
// - a 2xx whose body fails the edge schema → External('forge') `forge-bad-response`.
// Messages and contexts never contain a token: the edges strip credentials from URLs and never
// put request headers into errors.

export type ForgeErrorCode =
  | 'forge-unauthorized'
  | 'forge-forbidden'
  | 'forge-not-found'
  | 'forge-conflict'
  | 'forge-unprocessable'
  | 'forge-rate-limited'
  | 'forge-unavailable'
  | 'forge-bad-response';

export function isForgeError(value: unknown, code?: ForgeErrorCode): value is PatchwardError {
  if (!isPatchwardError(value) || !value.code.startsWith('forge-')) return false;
  return code === undefined || value.code === code;
}

/**
 * True for failures of the forge as a system (down, rate-limited, answering garbage): the propose
 * step records them and the loop goes on (inventory, assessment and rollout never wait on a forge).
 */
export function isForgeUnavailable(value: unknown): value is ExternalError {
  return value instanceof ExternalError && value.system === 'forge';
}
