/**
 * `Forge` on GitLab (gitlab.com or self-managed) with `@gitbeaker/rest`, its requests sent through
 * the forge fetch layer (`forgeRequester`). Merge requests are our pull requests; the project is
 * addressed by its path (`group/sub/project`).
 */
import { Gitlab } from '@gitbeaker/rest';
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
import { forgeHttp, type HttpForgeOptions } from '../http/forge-http.js';
import { GitlabCalls, type GitlabClient } from './gitlab-calls.js';
import {
  DRAFT_PREFIX_WRITTEN,
  fromStatus,
  mergeBlocker,
  mergeRefusal,
  STATUS_TO_GITLAB,
  toIssue,
  toPullRequest,
} from './gitlab-mapping.js';
import { forgeRequester } from './gitlab-requester.js';
import { GITLAB_SCHEMAS, type GitlabIssue, type GitlabMergeRequest, type GitlabStatus } from './schema.js';

export interface GitlabForgeOptions extends HttpForgeOptions {
  /** `https://gitlab.com` (default) or the instance's URL, without `/api/v4`. */
  readonly apiUrl?: string;
}

export class GitlabForge implements Forge {
  readonly kind = 'gitlab' as const;
  readonly maxBodyLength = 1_000_000;
  readonly repository: string;
  private readonly calls: GitlabCalls;
  private readonly v: Validators<keyof typeof GITLAB_SCHEMAS>;
  private readonly log: Logger;

  constructor(options: GitlabForgeOptions) {
    if (!/^[^/]+(\/[^/]+)+$/.test(options.repository))
      throw new TypeError(`repository must be group/project, got ${JSON.stringify(options.repository)}`);
    this.repository = options.repository;
    const { log, fetch } = forgeHttp('gitlab', options);
    this.log = log;
    const api = new Gitlab({
      host: (options.apiUrl ?? 'https://gitlab.com').replace(/\/+$/, ''),
      token: options.token,
      requesterFn: forgeRequester(fetch),
    });
    this.calls = new GitlabCalls(api as unknown as GitlabClient, options.repository, [options.token]);
    this.v = compileSchemas(GITLAB_SCHEMAS);
  }

  async getDefaultBranch(): Promise<string> {
    return (
      await this.calls.run<{ default_branch: string }>('read the project', this.v.project, (api, project) => api.Projects.show(project))
    ).default_branch;
  }

  async findPullRequest(branch: string): Promise<PullRequest | undefined> {
    const all = await this.mergeRequests({ sourceBranch: branch, state: 'all' });
    const chosen = all.find((mr) => mr.state === 'opened' || mr.state === 'locked') ?? [...all].sort((a, b) => b.iid - a.iid)[0];
    return chosen && toPullRequest(chosen);
  }

  async listPullRequests(query: PullRequestQuery): Promise<readonly PullRequest[]> {
    const state = query.state ?? 'open';
    const gitlabState = state === 'open' ? 'opened' : state === 'any' ? 'all' : state;
    const raw = await this.mergeRequests({ state: gitlabState, ...(query.label ? { labels: query.label } : {}) });
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
    const title = spec.draft ? `${DRAFT_PREFIX_WRITTEN}${spec.title}` : spec.title;
    const open = (await this.mergeRequests({ sourceBranch: spec.branch, state: 'opened' }))[0];
    if (open === undefined) {
      const created = await this.calls.run<GitlabMergeRequest>(
        `create a merge request for ${spec.branch}`,
        this.v.mergeRequest,
        (api, project) =>
          api.MergeRequests.create(project, spec.branch, spec.base, title, { description: spec.body, labels: spec.labels.join(',') }),
      );
      this.log.info({ branch: spec.branch, pr: created.iid }, 'merge request created');
      return { outcome: 'created', value: toPullRequest(created) };
    }
    const current = toPullRequest(open);
    const changed: string[] = [];
    if (current.title !== spec.title || current.draft !== spec.draft) changed.push('title');
    if (current.body !== spec.body) changed.push('body');
    if (current.base !== spec.base) changed.push('base');
    if (!sameSet(current.labels, spec.labels)) changed.push('labels');
    if (changed.length === 0) return { outcome: 'unchanged', value: current };
    const updated = await this.calls.run<GitlabMergeRequest>(`update merge request !${open.iid}`, this.v.mergeRequest, (api, project) =>
      api.MergeRequests.edit(project, open.iid, { title, description: spec.body, targetBranch: spec.base, labels: spec.labels.join(',') }),
    );
    this.log.info({ branch: spec.branch, pr: open.iid, changed }, 'merge request updated');
    return { outcome: 'updated', value: toPullRequest(updated), changed };
  }

  async closePullRequest(id: string, options: { comment?: string } = {}): Promise<EnsureOutcome<PullRequest>> {
    const pr = toPullRequest(await this.mergeRequest(Number(id)));
    if (pr.state === 'merged') return { outcome: 'blocked', reason: 'not-open', detail: `!${id} is merged` };
    if (pr.state === 'closed') return { outcome: 'unchanged', value: pr };
    if (options.comment !== undefined) await this.ensureComment(id, options.comment);
    const closed = await this.calls.run<GitlabMergeRequest>(`close merge request !${id}`, this.v.mergeRequest, (api, project) =>
      api.MergeRequests.edit(project, Number(id), { stateEvent: 'close' }),
    );
    return { outcome: 'updated', value: toPullRequest(closed), changed: ['state'] };
  }

  async ensureComment(pullRequestId: string, body: string): Promise<EnsureOutcome<Comment>> {
    const iid = Number(pullRequestId);
    const notes = await this.calls.run<{ id: number; body: string }[]>(`read the notes of !${iid}`, this.v.notes, (api, project) =>
      api.MergeRequestNotes.all(project, iid, { perPage: 100, maxPages: 10 }),
    );
    const same = notes.find((n) => n.body === body);
    if (same) return { outcome: 'unchanged', value: { id: String(same.id), body } };
    const created = await this.calls.run<{ id: number }>(`comment on !${iid}`, this.v.note, (api, project) =>
      api.MergeRequestNotes.create(project, iid, body),
    );
    return { outcome: 'created', value: { id: String(created.id), body } };
  }

  async setCommitStatus(sha: string, status: CommitStatus): Promise<EnsureOutcome<CommitStatus>> {
    const current = (await this.statuses(sha)).find((s) => s.context === status.context);
    if (current && current.state === status.state && current.description === status.description)
      return { outcome: 'unchanged', value: current };
    await this.calls.run('set a commit status', this.v.status, (api, project) =>
      api.Commits.editStatus(project, sha, STATUS_TO_GITLAB[status.state], {
        name: status.context,
        description: status.description,
        ...(status.targetUrl ? { targetUrl: status.targetUrl } : {}),
      }),
    );
    return current ? { outcome: 'updated', value: status, changed: ['state'] } : { outcome: 'created', value: status };
  }

  async getCombinedStatus(sha: string, required: readonly string[] = []): Promise<CombinedStatus> {
    return combineStatuses(sha, await this.statuses(sha), required);
  }

  async getBranchFreshness(branch: string, base: string): Promise<BranchFreshness> {
    const open = (await this.mergeRequests({ sourceBranch: branch, state: 'opened' })).find((mr) => mr.target_branch === base);
    if (open === undefined) return { behind: 'unknown', conflicted: 'unknown' };
    const mr = await this.mergeRequest(open.iid, true);
    const checking = mr.detailed_merge_status === 'checking' || mr.detailed_merge_status === 'unchecked';
    const behind =
      mr.detailed_merge_status === 'need_rebase' ||
      (typeof mr.diverged_commits_count === 'number' ? mr.diverged_commits_count > 0 : 'unknown');
    return { behind, conflicted: checking ? 'unknown' : mr.has_conflicts === true || mr.detailed_merge_status === 'conflict' };
  }

  async ensureLabels(names: readonly string[]): Promise<EnsureOutcome<readonly string[]>> {
    const existing = await this.calls.run<{ name: string }[]>('list labels', this.v.labels, (api, project) =>
      api.ProjectLabels.all(project, { perPage: 100, maxPages: 10 }),
    );
    const missing = [...new Set(names)].filter((n) => !existing.some((l) => l.name === n));
    for (const name of missing)
      await this.calls.run(`create label ${name}`, this.v.label, (api, project) =>
        api.ProjectLabels.create(project, name, `#${labelColour(name)}`),
      );
    return missing.length === 0 ? { outcome: 'unchanged', value: names } : { outcome: 'created', value: names };
  }

  async findIssue(title: string, label?: string): Promise<Issue | undefined> {
    const issues = await this.calls.run<GitlabIssue[]>('list issues', this.v.issues, (api, project) =>
      api.Issues.all({ projectId: project, state: 'opened', ...(label ? { labels: label } : {}), perPage: 100, maxPages: 10 }),
    );
    const found = issues.filter((i) => i.title === title).sort((a, b) => a.iid - b.iid)[0];
    return found && toIssue(found);
  }

  async ensureIssue(spec: IssueSpec): Promise<EnsureOutcome<Issue>> {
    if (spec.labels.length > 0) await this.ensureLabels(spec.labels);
    const current = await this.findIssue(spec.title);
    if (current === undefined) {
      const created = await this.calls.run<GitlabIssue>(`create issue ${spec.title}`, this.v.issue, (api, project) =>
        api.Issues.create(project, spec.title, { description: spec.body, labels: spec.labels.join(',') }),
      );
      return { outcome: 'created', value: toIssue(created) };
    }
    const changed = [...(current.body !== spec.body ? ['body'] : []), ...(sameSet(current.labels, spec.labels) ? [] : ['labels'])];
    if (changed.length === 0) return { outcome: 'unchanged', value: current };
    const updated = await this.calls.run<GitlabIssue>(`update issue #${current.id}`, this.v.issue, (api, project) =>
      api.Issues.edit(project, Number(current.id), { description: spec.body, labels: spec.labels.join(',') }),
    );
    return { outcome: 'updated', value: toIssue(updated), changed };
  }

  /** Users by username; GitLab has no team reviewers (that part is `blocked`/`unsupported`). */
  async requestReviewers(pullRequestId: string, reviewers: ReviewerRequest): Promise<EnsureOutcome<ReviewerRequest>> {
    const iid = Number(pullRequestId);
    const mr = await this.mergeRequest(iid);
    const have = mr.reviewers ?? [];
    const wanted = reviewers.users.filter((u) => !have.some((r) => r.username === u));
    if (wanted.length > 0) {
      const ids: number[] = [];
      for (const username of wanted) {
        const users = await this.calls.run<{ id: number; username: string }[]>(`find user ${username}`, this.v.users, (api) =>
          api.Users.all({ username }),
        );
        const user = users.find((u) => u.username === username);
        if (user) ids.push(user.id);
        else this.log.warn({ pr: iid, reviewer: username }, 'gitlab reviewer not found');
      }
      await this.calls.run(`request reviews on !${iid}`, this.v.mergeRequest, (api, project) =>
        api.MergeRequests.edit(project, iid, { reviewerIds: [...have.map((r) => r.id), ...ids] }),
      );
    }
    if (reviewers.teams.length > 0)
      return {
        outcome: 'blocked',
        reason: 'unsupported',
        detail: `GitLab has no team reviewers (${reviewers.teams.join(', ')}); users were requested`,
      };
    return wanted.length === 0
      ? { outcome: 'unchanged', value: reviewers }
      : { outcome: 'updated', value: reviewers, changed: wanted.map((u) => `user:${u}`) };
  }

  /** `method: 'rebase'` is not a GitLab merge option: the project's merge method applies; `squash` squashes. */
  async mergePullRequest(id: string, options: { headSha: string; method?: MergeMethod }): Promise<MergeOutcome> {
    const mr = await this.mergeRequest(Number(id));
    const pr = toPullRequest(mr);
    if (pr.state === 'merged') return { outcome: 'unchanged' };
    if (pr.state === 'closed') return { outcome: 'blocked', reason: 'not-open', detail: `!${id} is closed` };
    if (pr.headSha !== options.headSha)
      return { outcome: 'blocked', reason: 'head-moved', detail: `!${id} head is ${pr.headSha}, not ${options.headSha}` };
    const checks = await this.getCombinedStatus(options.headSha);
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
        detail: `waiting for ${checks.statuses
          .filter((s) => s.state === 'pending')
          .map((s) => s.context)
          .join(', ')}`,
      };
    const blocker = mergeBlocker(mr.detailed_merge_status);
    if (blocker) return { outcome: 'blocked', ...blocker };
    const result = await this.calls.refusable<GitlabMergeRequest>(
      `merge !${id}`,
      this.v.mergeRequest,
      [405, 406, 409, 422],
      (api, project) =>
        api.MergeRequests.accept(project, Number(id), { sha: options.headSha, ...(options.method === 'squash' ? { squash: true } : {}) }),
    );
    if (!result.ok) return { outcome: 'blocked', ...mergeRefusal(result.error.status, result.error.detail) };
    this.log.info({ pr: id, sha: result.value.merge_commit_sha }, 'merge request merged');
    return result.value.merge_commit_sha ? { outcome: 'merged', sha: result.value.merge_commit_sha } : { outcome: 'merged' };
  }

  private async statuses(sha: string): Promise<CommitStatus[]> {
    const list = await this.calls.run<GitlabStatus[]>(`read the statuses of ${sha}`, this.v.statuses, (api, project) =>
      api.Commits.allStatuses(project, sha, { perPage: 100, maxPages: 5 }),
    );
    return list.map(fromStatus);
  }

  private mergeRequests(filter: Record<string, string>): Promise<GitlabMergeRequest[]> {
    return this.calls.run<GitlabMergeRequest[]>('list merge requests', this.v.mergeRequests, (api, project) =>
      api.MergeRequests.all({ projectId: project, ...filter, perPage: 100, maxPages: 10 }),
    );
  }

  private mergeRequest(iid: number, divergence = false): Promise<GitlabMergeRequest> {
    return this.calls.run<GitlabMergeRequest>(`read merge request !${iid}`, this.v.mergeRequest, (api, project) =>
      api.MergeRequests.show(project, iid, divergence ? { includeDivergedCommitsCount: true } : {}),
    );
  }
}
