/**
 * `Forge` on GitHub (github.com or GitHub Enterprise Server) with `@octokit/rest`. Every request
 * goes through the forge fetch layer (Octokit's `request.fetch`), so retries, rate limits and token
 * scrubbing are the same as on the other forges. Routes are written out (`octokit.request('GET
 * /repos/…')`) so that each call can be found in the OpenAPI description; test/README.md lists
 * which recorded or documented response covers each.
 */
import { Octokit } from '@octokit/rest';
import type { Logger } from '../../../log.js';
import type {
  BranchFreshness,
  CombinedStatus,
  Comment,
  CommitStatus,
  EnsureOutcome,
  Forge,
  Issue,
  IssueSpec,
  MergeMethod,
  MergeOutcome,
  PullRequest,
  PullRequestQuery,
  PullRequestSpec,
  ReviewerRequest,
} from '../../../ports/forge.js';
import { combineStatuses, labelColour, sameSet } from '../common.js';
import { compileSchemas, type Validators } from '../http/checked.js';
import { errorForStatus } from '../http/classify.js';
import { forgeHttp, type HttpForgeOptions, ownerAndName } from '../http/forge-http.js';
import { GithubCalls } from './github-calls.js';
import { fromCheckRun, fromStatus, mergeRefusal, toIssue, toPullRequest } from './github-mapping.js';
import { GITHUB_SCHEMAS, type GithubCheckRun, type GithubIssue, type GithubPull, type GithubStatus } from './schema.js';

export interface GithubForgeOptions extends HttpForgeOptions {
  /** `https://api.github.com` (default) or `https://HOST/api/v3`. */
  readonly apiUrl?: string;
}

export class GithubForge implements Forge {
  readonly kind = 'github' as const;
  readonly maxBodyLength = 65_536;
  readonly repository: string;
  private readonly owner: string;
  private readonly calls: GithubCalls;
  private readonly v: Validators<keyof typeof GITHUB_SCHEMAS>;
  private readonly log: Logger;

  constructor(options: GithubForgeOptions) {
    const [owner, repo] = ownerAndName(options.repository);
    this.repository = options.repository;
    this.owner = owner;
    const { log, fetch } = forgeHttp('github', options);
    this.log = log;
    const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
    const octokit = new Octokit({
      auth: options.token,
      baseUrl: options.apiUrl ?? 'https://api.github.com',
      userAgent: 'patchward',
      request: { fetch },
      log: quiet,
    });
    this.calls = new GithubCalls(octokit, { owner, repo }, [options.token]);
    this.v = compileSchemas(GITHUB_SCHEMAS);
  }

  async getDefaultBranch(): Promise<string> {
    const repo = await this.calls.one<{ default_branch: string }>(
      'read the repository',
      'GET /repos/{owner}/{repo}',
      {},
      this.v.repository,
    );
    return repo.default_branch;
  }

  async findPullRequest(branch: string): Promise<PullRequest | undefined> {
    const all = await this.pullsOf(branch, 'all');
    const chosen = all.find((p) => p.state === 'open') ?? [...all].sort((a, b) => b.number - a.number)[0];
    return chosen && toPullRequest(chosen);
  }

  async listPullRequests(query: PullRequestQuery): Promise<readonly PullRequest[]> {
    const state = query.state ?? 'open';
    const raw = await this.calls.all<GithubPull>(
      'list pull requests',
      'GET /repos/{owner}/{repo}/pulls',
      { state: state === 'open' ? 'open' : state === 'any' ? 'all' : 'closed' },
      this.v.pulls,
    );
    return raw
      .map(toPullRequest)
      .filter(
        (p) => (state === 'any' || p.state === state) && (query.branchPrefix === undefined || p.branch.startsWith(query.branchPrefix)),
      )
      .filter((p) => query.label === undefined || p.labels.includes(query.label))
      .sort((a, b) => (b.number ?? 0) - (a.number ?? 0));
  }

  async ensurePullRequest(spec: PullRequestSpec): Promise<EnsureOutcome<PullRequest>> {
    if (spec.labels.length > 0) await this.ensureLabels(spec.labels);
    const open = (await this.pullsOf(spec.branch, 'open'))[0];
    if (open === undefined) {
      const created = await this.createPull(spec);
      let value = toPullRequest(created);
      if (spec.labels.length > 0) value = { ...value, labels: await this.setLabels(created.number, spec.labels) };
      this.log.info({ branch: spec.branch, pr: created.number }, 'pull request created');
      return { outcome: 'created', value };
    }
    const current = toPullRequest(open);
    const changed: string[] = [];
    if (current.title !== spec.title) changed.push('title');
    if (current.body !== spec.body) changed.push('body');
    if (current.base !== spec.base) changed.push('base');
    if (!sameSet(current.labels, spec.labels)) changed.push('labels');
    // GitHub's REST API cannot turn a PR into a draft or back (GraphQL only): draft is set at creation.
    if (current.draft !== spec.draft) this.log.warn({ pr: open.number, draft: spec.draft }, 'github draft state not changed (REST cannot)');
    if (changed.length === 0) return { outcome: 'unchanged', value: current };
    let value = current;
    if (changed.some((c) => c !== 'labels')) {
      const updated = await this.calls.one<GithubPull>(
        `update pull request #${open.number}`,
        'PATCH /repos/{owner}/{repo}/pulls/{pull_number}',
        {
          pull_number: open.number,
          title: spec.title,
          body: spec.body,
          base: spec.base,
        },
        this.v.pull,
      );
      value = toPullRequest(updated);
    }
    if (changed.includes('labels')) value = { ...value, labels: await this.setLabels(open.number, spec.labels) };
    this.log.info({ branch: spec.branch, pr: open.number, changed }, 'pull request updated');
    return { outcome: 'updated', value, changed };
  }

  async closePullRequest(id: string, options: { comment?: string } = {}): Promise<EnsureOutcome<PullRequest>> {
    const pr = toPullRequest(await this.pull(Number(id)));
    if (pr.state === 'merged') return { outcome: 'blocked', reason: 'not-open', detail: `#${id} is merged` };
    if (pr.state === 'closed') return { outcome: 'unchanged', value: pr };
    if (options.comment !== undefined) await this.ensureComment(id, options.comment);
    const closed = await this.calls.one<GithubPull>(
      `close pull request #${id}`,
      'PATCH /repos/{owner}/{repo}/pulls/{pull_number}',
      { pull_number: Number(id), state: 'closed' },
      this.v.pull,
    );
    return { outcome: 'updated', value: toPullRequest(closed), changed: ['state'] };
  }

  async ensureComment(pullRequestId: string, body: string): Promise<EnsureOutcome<Comment>> {
    const issue_number = Number(pullRequestId);
    const existing = await this.calls.all<{ id: number; body: string }>(
      `read the comments of #${pullRequestId}`,
      'GET /repos/{owner}/{repo}/issues/{issue_number}/comments',
      { issue_number },
      this.v.comments,
    );
    const same = existing.find((c) => c.body === body);
    if (same) return { outcome: 'unchanged', value: { id: String(same.id), body } };
    const created = await this.calls.one<{ id: number }>(
      `comment on #${pullRequestId}`,
      'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
      { issue_number, body },
      this.v.comment,
    );
    return { outcome: 'created', value: { id: String(created.id), body } };
  }

  async setCommitStatus(sha: string, status: CommitStatus): Promise<EnsureOutcome<CommitStatus>> {
    const current = (await this.statuses(sha)).find((s) => s.context === status.context);
    if (current && current.state === status.state && current.description === status.description)
      return { outcome: 'unchanged', value: current };
    await this.calls.one(
      'create a commit status',
      'POST /repos/{owner}/{repo}/statuses/{sha}',
      {
        sha,
        state: status.state,
        context: status.context,
        description: status.description,
        ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
      },
      this.v.status,
    );
    return current ? { outcome: 'updated', value: status, changed: ['state'] } : { outcome: 'created', value: status };
  }

  /** Commit statuses AND check runs (GitHub Actions report as check runs), newest first per name. */
  async getCombinedStatus(sha: string, required: readonly string[] = []): Promise<CombinedStatus> {
    // A token without `checks: read` (fine-grained PATs) gets 403: statuses alone then, and a required
    // context reported only as a check run stays `missing` (pending), never green by accident.
    const runs = await this.calls.maybe<{ check_runs: GithubCheckRun[] }>(
      `read the check runs of ${sha}`,
      'GET /repos/{owner}/{repo}/commits/{ref}/check-runs',
      { ref: sha, per_page: 100 },
      this.v.checkRuns,
      [403, 404],
    );
    return combineStatuses(sha, [...(await this.statuses(sha)), ...(runs?.check_runs ?? []).map(fromCheckRun)], required);
  }

  async getBranchFreshness(branch: string, base: string): Promise<BranchFreshness> {
    const comparison = await this.calls.one<{ behind_by: number }>(
      `compare ${branch} with ${base}`,
      'GET /repos/{owner}/{repo}/compare/{basehead}',
      { basehead: `${base}...${branch}`, per_page: 1 },
      this.v.comparison,
    );
    const open = (await this.pullsOf(branch, 'open')).find((p) => p.base.ref === base);
    // `mergeable` is computed in the background: null until GitHub knows; read the PR itself.
    const pr = open && (await this.pull(open.number));
    const conflicted =
      pr === undefined || pr.mergeable === null || pr.mergeable === undefined
        ? 'unknown'
        : pr.mergeable === false && pr.mergeable_state === 'dirty';
    return { behind: comparison.behind_by > 0, conflicted };
  }

  async ensureLabels(names: readonly string[]): Promise<EnsureOutcome<readonly string[]>> {
    const existing = await this.calls.all<{ name: string }>('list labels', 'GET /repos/{owner}/{repo}/labels', {}, this.v.labels);
    const missing = [...new Set(names)].filter((n) => !existing.some((l) => l.name === n));
    for (const name of missing)
      await this.calls.one(`create label ${name}`, 'POST /repos/{owner}/{repo}/labels', { name, color: labelColour(name) }, undefined);
    return missing.length === 0 ? { outcome: 'unchanged', value: names } : { outcome: 'created', value: names };
  }

  async findIssue(title: string, label?: string): Promise<Issue | undefined> {
    const issues = await this.calls.all<GithubIssue>(
      'list issues',
      'GET /repos/{owner}/{repo}/issues',
      { state: 'open', ...(label ? { labels: label } : {}) },
      this.v.issues,
    );
    const found = issues.filter((i) => i.pull_request === undefined && i.title === title).sort((a, b) => a.number - b.number)[0];
    return found && toIssue(found);
  }

  async ensureIssue(spec: IssueSpec): Promise<EnsureOutcome<Issue>> {
    if (spec.labels.length > 0) await this.ensureLabels(spec.labels);
    const current = await this.findIssue(spec.title);
    if (current === undefined) {
      const created = await this.calls.one<GithubIssue>(
        `create issue ${spec.title}`,
        'POST /repos/{owner}/{repo}/issues',
        { title: spec.title, body: spec.body, labels: [...spec.labels] },
        this.v.issue,
      );
      return { outcome: 'created', value: toIssue(created) };
    }
    const changed = [...(current.body !== spec.body ? ['body'] : []), ...(sameSet(current.labels, spec.labels) ? [] : ['labels'])];
    if (changed.length === 0) return { outcome: 'unchanged', value: current };
    const updated = await this.calls.one<GithubIssue>(
      `update issue #${current.id}`,
      'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
      {
        issue_number: Number(current.id),
        body: spec.body,
        labels: [...spec.labels],
      },
      this.v.issue,
    );
    return { outcome: 'updated', value: toIssue(updated), changed };
  }

  async requestReviewers(pullRequestId: string, reviewers: ReviewerRequest): Promise<EnsureOutcome<ReviewerRequest>> {
    const pull_number = Number(pullRequestId);
    const asked = await this.calls.one<{ users: { login: string }[]; teams: { slug: string }[] }>(
      `read review requests of #${pullRequestId}`,
      'GET /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
      { pull_number },
      this.v.reviewRequests,
    );
    const users = reviewers.users.filter((u) => !asked.users.some((x) => x.login.toLowerCase() === u.toLowerCase()));
    const teams = reviewers.teams.filter((t) => !asked.teams.some((x) => x.slug === t));
    if (users.length === 0 && teams.length === 0) return { outcome: 'unchanged', value: reviewers };
    await this.calls.one(
      `request reviews on #${pullRequestId}`,
      'POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
      { pull_number, reviewers: users, team_reviewers: teams },
      undefined,
    );
    return { outcome: 'updated', value: reviewers, changed: [...users.map((u) => `user:${u}`), ...teams.map((t) => `team:${t}`)] };
  }

  async mergePullRequest(id: string, options: { headSha: string; method?: MergeMethod }): Promise<MergeOutcome> {
    const pr = toPullRequest(await this.pull(Number(id)));
    if (pr.state === 'merged') return { outcome: 'unchanged' };
    if (pr.state === 'closed') return { outcome: 'blocked', reason: 'not-open', detail: `#${id} is closed` };
    if (pr.headSha !== options.headSha)
      return { outcome: 'blocked', reason: 'head-moved', detail: `#${id} head is ${pr.headSha}, not ${options.headSha}` };
    const checks = await this.getCombinedStatus(options.headSha, await this.getRequiredStatusContexts(pr.base));
    if (checks.state === 'failure')
      return {
        outcome: 'blocked',
        reason: 'checks-failed',
        detail: checks.statuses
          .filter((s) => s.state === 'failure' || s.state === 'error')
          .map((s) => s.context)
          .join(', '),
      };
    if (checks.state === 'pending')
      return {
        outcome: 'blocked',
        reason: 'checks-pending',
        detail: `waiting for ${[...checks.statuses.filter((s) => s.state === 'pending').map((s) => s.context), ...checks.missing].join(', ')}`,
      };
    const result = await this.calls.status<{ merged: boolean; sha?: string; message?: string }>(
      `merge pull request #${id}`,
      'PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge',
      { pull_number: Number(id), sha: options.headSha, merge_method: options.method ?? 'merge' },
      this.v.mergeResult,
      [405, 409],
    );
    if (result.ok) {
      this.log.info({ pr: id, sha: result.value.sha }, 'pull request merged');
      return result.value.sha ? { outcome: 'merged', sha: result.value.sha } : { outcome: 'merged' };
    }
    return { outcome: 'blocked', ...mergeRefusal(result.error.status, result.error.message) };
  }

  async getRequiredStatusContexts(base: string): Promise<readonly string[]> {
    // 404 "Branch not protected"; 403 when the token may not read protection: GitHub still enforces it at merge.
    const protection = await this.calls.maybe<{ required_status_checks?: { contexts?: string[]; checks?: { context: string }[] } | null }>(
      `read the protection of ${base}`,
      'GET /repos/{owner}/{repo}/branches/{branch}/protection',
      { branch: base },
      this.v.protection,
      [403, 404],
    );
    const checks = protection?.required_status_checks;
    return [...new Set([...(checks?.contexts ?? []), ...(checks?.checks ?? []).map((c) => c.context)])];
  }

  /** Repositories whose plan has no draft PRs answer 422 to `draft: true`: then it is opened as a normal PR. */
  private async createPull(spec: PullRequestSpec): Promise<GithubPull> {
    const route = 'POST /repos/{owner}/{repo}/pulls';
    const params = { head: spec.branch, base: spec.base, title: spec.title, body: spec.body };
    const operation = `create a pull request for ${spec.branch}`;
    if (!spec.draft) return this.calls.one<GithubPull>(operation, route, { ...params, draft: false }, this.v.pull);
    const first = await this.calls.status<GithubPull>(operation, route, { ...params, draft: true }, this.v.pull, [422]);
    if (first.ok) return first.value;
    if (!/draft/i.test(first.error.message))
      throw errorForStatus({ operation, status: 422, detail: first.error.message, forge: 'github', secrets: [] });
    this.log.warn({ branch: spec.branch }, 'github refused a draft pull request; opened as ready for review');
    return this.calls.one<GithubPull>(operation, route, { ...params, draft: false }, this.v.pull);
  }

  private async statuses(sha: string): Promise<CommitStatus[]> {
    const combined = await this.calls.one<{ statuses: GithubStatus[] }>(
      `read the statuses of ${sha}`,
      'GET /repos/{owner}/{repo}/commits/{ref}/status',
      { ref: sha },
      this.v.combinedStatus,
    );
    return combined.statuses.map(fromStatus);
  }

  private pullsOf(branch: string, state: 'open' | 'all'): Promise<GithubPull[]> {
    return this.calls.all<GithubPull>(
      `find pull requests of ${branch}`,
      'GET /repos/{owner}/{repo}/pulls',
      { state, head: `${this.owner}:${branch}` },
      this.v.pulls,
    );
  }

  private pull(n: number): Promise<GithubPull> {
    return this.calls.one<GithubPull>(
      `read pull request #${n}`,
      'GET /repos/{owner}/{repo}/pulls/{pull_number}',
      { pull_number: n },
      this.v.pull,
    );
  }

  private async setLabels(n: number, labels: readonly string[]): Promise<string[]> {
    const set = await this.calls.one<{ name: string }[]>(
      `set the labels of #${n}`,
      'PUT /repos/{owner}/{repo}/issues/{issue_number}/labels',
      { issue_number: n, labels: [...labels] },
      this.v.labels,
    );
    return set.map((l) => l.name);
  }
}
