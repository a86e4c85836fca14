/**
 * `Forge` on Gitea/Forgejo over REST `/api/v1` (tested against a real Gitea v1.25.4).
 * Mapping tables (ours ↔ Gitea's) are at the top; policy is never decided here.
 */
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
import { forgeHttp, type HttpForgeOptions, ownerAndName } from '../http/forge-http.js';
import { GiteaApi, GiteaStatusError } from './gitea-api.js';
import {
  DRAFT_PREFIX_WRITTEN,
  failedList,
  MERGE_STYLE,
  mergeRefusal,
  pendingList,
  STATUS_FROM_GITEA,
  segments,
  toIssue,
  toPullRequest,
} from './gitea-mapping.js';
import { GITEA_SCHEMAS, type GiteaBranchProtection, type GiteaIssue, type GiteaLabel, type GiteaPull, type GiteaStatus } from './schema.js';

export interface GiteaForgeOptions extends HttpForgeOptions {
  readonly apiUrl: string;
  /** Polling of Gitea's asynchronous mergeability check (default 15 × 1 s). */
  readonly mergeCheck?: { readonly attempts: number; readonly delayMs: number };
}

export class GiteaForge implements Forge {
  readonly kind = 'gitea' as const;
  readonly repository: string;
  private readonly api: GiteaApi;
  private readonly v: Validators<keyof typeof GITEA_SCHEMAS>;
  private readonly repoPath: string;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly mergeCheck: { readonly attempts: number; readonly delayMs: number };
  private readonly log: Logger;

  constructor(options: GiteaForgeOptions) {
    const [owner, name] = ownerAndName(options.repository);
    this.repository = options.repository;
    this.repoPath = `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
    const { log, fetch } = forgeHttp('gitea', options);
    this.log = log;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.api = new GiteaApi({ apiUrl: options.apiUrl, token: options.token, fetch });
    this.v = compileSchemas(GITEA_SCHEMAS);
    this.mergeCheck = options.mergeCheck ?? { attempts: 15, delayMs: 1000 };
  }

  async getDefaultBranch(): Promise<string> {
    const repo = await this.api.call<{ default_branch: string }>('read the repository', 'GET', this.repoPath, this.v.repository);
    return repo?.default_branch ?? '';
  }

  async findPullRequest(branch: string): Promise<PullRequest | undefined> {
    const all = (await this.pulls('all')).filter((p) => p.head.ref === branch);
    const open = all.find((p) => p.state === 'open');
    const chosen = open ?? all.sort((a, b) => b.number - a.number)[0];
    return chosen && toPullRequest(chosen);
  }

  async listPullRequests(query: PullRequestQuery): Promise<readonly PullRequest[]> {
    const state = query.state ?? 'open';
    const raw = await this.pulls(state === 'open' ? 'open' : state === 'any' ? 'all' : 'closed');
    return raw
      .map(toPullRequest)
      .filter(
        (p) => (state === 'any' || p.state === state) && (query.branchPrefix === undefined || p.branch.startsWith(query.branchPrefix)),
      )
      .filter((p) => query.label === undefined || p.labels.includes(query.label))
      .sort((a, b) => (b.number ?? 0) - (a.number ?? 0));
  }

  async ensurePullRequest(spec: PullRequestSpec): Promise<EnsureOutcome<PullRequest>> {
    const ids = await this.labelIds(spec.labels);
    const title = spec.draft ? `${DRAFT_PREFIX_WRITTEN}${spec.title}` : spec.title;
    const open = (await this.pulls('open')).find((p) => p.head.ref === spec.branch);
    if (open === undefined) {
      const created = await this.api.call<GiteaPull>(
        `create a pull request for ${spec.branch}`,
        'POST',
        `${this.repoPath}/pulls`,
        this.v.pull,
        {
          body: { head: spec.branch, base: spec.base, title, body: spec.body, labels: ids },
        },
      );
      this.log.info({ branch: spec.branch, pr: created?.number }, 'pull request created');
      return { outcome: 'created', value: toPullRequest(created as GiteaPull) };
    }
    const current = toPullRequest(open);
    const changed: string[] = [];
    if (current.title !== spec.title || current.draft !== spec.draft) changed.push('title');
    if (current.body !== spec.body) changed.push('body');
    if (current.base !== spec.base) changed.push('base');
    if (!sameSet(current.labels, spec.labels)) changed.push('labels');
    if (changed.length === 0) return { outcome: 'unchanged', value: current };
    const n = open.number;
    if (changed.some((c) => c !== 'labels')) {
      await this.api.call(`update pull request #${n}`, 'PATCH', `${this.repoPath}/pulls/${n}`, this.v.pull, {
        body: { title, body: spec.body, base: spec.base },
      });
    }
    if (changed.includes('labels')) {
      await this.api.call(`set the labels of #${n}`, 'PUT', `${this.repoPath}/issues/${n}/labels`, this.v.labels, {
        body: { labels: ids },
      });
    }
    this.log.info({ branch: spec.branch, pr: n, changed }, 'pull request updated');
    return { outcome: 'updated', value: toPullRequest(await this.pull(n)), changed };
  }

  async closePullRequest(id: string, options: { comment?: string } = {}): Promise<EnsureOutcome<PullRequest>> {
    const pr = toPullRequest(await this.pull(Number(id)));
    if (pr.state === 'merged') return { outcome: 'blocked', reason: 'not-open', detail: `#${id} is merged` };
    if (pr.state === 'closed') return { outcome: 'unchanged', value: pr };
    if (options.comment !== undefined) await this.ensureComment(id, options.comment);
    await this.api.call(`close pull request #${id}`, 'PATCH', `${this.repoPath}/pulls/${id}`, this.v.pull, { body: { state: 'closed' } });
    this.log.info({ pr: id }, 'pull request closed');
    return { outcome: 'updated', value: toPullRequest(await this.pull(Number(id))), changed: ['state'] };
  }

  async ensureComment(pullRequestId: string, body: string): Promise<EnsureOutcome<Comment>> {
    const path = `${this.repoPath}/issues/${pullRequestId}/comments`;
    const existing = await this.api.all<{ id: number; body: string }>(`read the comments of #${pullRequestId}`, path, this.v.comments);
    const same = existing.find((c) => c.body === body);
    if (same) return { outcome: 'unchanged', value: { id: String(same.id), body } };
    const created = await this.api.call<{ id: number; body: string }>(`comment on #${pullRequestId}`, 'POST', path, this.v.comment, {
      body: { body },
    });
    return { outcome: 'created', value: { id: String(created?.id), body } };
  }

  async setCommitStatus(sha: string, status: CommitStatus): Promise<EnsureOutcome<CommitStatus>> {
    const current = (await this.getCombinedStatus(sha)).statuses.find((s) => s.context === status.context);
    if (current && current.state === status.state && current.description === status.description)
      return { outcome: 'unchanged', value: current };
    await this.api.call(`set status ${status.context} on ${sha}`, 'POST', `${this.repoPath}/statuses/${sha}`, this.v.status, {
      body: { context: status.context, state: status.state, description: status.description, target_url: status.targetUrl ?? '' },
    });
    return current ? { outcome: 'updated', value: status, changed: ['state'] } : { outcome: 'created', value: status };
  }

  async getCombinedStatus(sha: string, required: readonly string[] = []): Promise<CombinedStatus> {
    const combined = await this.api.call<{ sha: string; statuses: GiteaStatus[] | null }>(
      `read the statuses of ${sha}`,
      'GET',
      `${this.repoPath}/commits/${sha}/status`,
      this.v.combinedStatus,
    );
    const statuses = (combined?.statuses ?? []).map(
      (s): CommitStatus => ({
        context: s.context,
        state: STATUS_FROM_GITEA[s.status] ?? 'failure',
        description: s.description ?? '',
        ...(s.target_url ? { targetUrl: s.target_url } : {}),
      }),
    );
    return combineStatuses(sha, statuses, required);
  }

  async getBranchFreshness(branch: string, base: string): Promise<BranchFreshness> {
    const open = (await this.pulls('open')).find((p) => p.head.ref === branch && p.base.ref === base);
    if (open === undefined) {
      // No PR to ask about conflicts; the comparison still says whether the base has commits the branch lacks.
      const comparison = await this.api.call<{ total_commits: number }>(
        `compare ${branch} with ${base}`,
        'GET',
        `${this.repoPath}/compare/${segments(branch)}...${segments(base)}`,
        this.v.comparison,
      );
      return { behind: (comparison?.total_commits ?? 0) > 0, conflicted: 'unknown' };
    }
    const settled = await this.settledMergeable(open.number);
    return {
      behind: settled.merge_base === undefined ? 'unknown' : settled.merge_base !== settled.base.sha,
      conflicted: !settled.mergeable,
    };
  }

  async ensureLabels(names: readonly string[]): Promise<EnsureOutcome<readonly string[]>> {
    const existing = await this.api.all<GiteaLabel>('list labels', `${this.repoPath}/labels`, this.v.labels);
    const missing = [...new Set(names)].filter((n) => !existing.some((l) => l.name === n));
    for (const name of missing) {
      await this.api.call(`create label ${name}`, 'POST', `${this.repoPath}/labels`, this.v.label, {
        body: { name, color: `#${labelColour(name)}` },
      });
    }
    return missing.length === 0 ? { outcome: 'unchanged', value: names } : { outcome: 'created', value: names };
  }

  async findIssue(title: string, label?: string): Promise<Issue | undefined> {
    const issues = await this.api.all<GiteaIssue>('list issues', `${this.repoPath}/issues`, this.v.issues, {
      state: 'open',
      type: 'issues',
      labels: label,
    });
    const found = issues.filter((i) => i.title === title).sort((a, b) => a.number - b.number)[0];
    return found && toIssue(found);
  }

  async ensureIssue(spec: IssueSpec): Promise<EnsureOutcome<Issue>> {
    const ids = await this.labelIds(spec.labels);
    const current = await this.findIssue(spec.title);
    if (current === undefined) {
      const created = await this.api.call<GiteaIssue>(`create issue ${spec.title}`, 'POST', `${this.repoPath}/issues`, this.v.issue, {
        body: { title: spec.title, body: spec.body, labels: ids },
      });
      return { outcome: 'created', value: toIssue(created as GiteaIssue) };
    }
    const changed: string[] = [];
    if (current.body !== spec.body) {
      changed.push('body');
      await this.api.call(`update issue #${current.id}`, 'PATCH', `${this.repoPath}/issues/${current.id}`, this.v.issue, {
        body: { body: spec.body },
      });
    }
    if (!sameSet(current.labels, spec.labels)) {
      changed.push('labels');
      await this.api.call(`set the labels of #${current.id}`, 'PUT', `${this.repoPath}/issues/${current.id}/labels`, this.v.labels, {
        body: { labels: ids },
      });
    }
    if (changed.length === 0) return { outcome: 'unchanged', value: current };
    return { outcome: 'updated', value: { ...current, body: spec.body, labels: spec.labels }, changed };
  }

  async requestReviewers(pullRequestId: string, reviewers: ReviewerRequest): Promise<EnsureOutcome<ReviewerRequest>> {
    if (reviewers.users.length === 0 && reviewers.teams.length === 0) return { outcome: 'unchanged', value: reviewers };
    const pr = (await this.api.call<{
      requested_reviewers?: { login: string }[] | null;
      requested_reviewers_teams?: { name: string }[] | null;
    }>(`read pull request #${pullRequestId}`, 'GET', `${this.repoPath}/pulls/${pullRequestId}`, this.v.reviewers)) ?? {
      requested_reviewers: [],
    };
    const users = reviewers.users.filter((u) => !(pr.requested_reviewers ?? []).some((r) => r.login === u));
    const teams = reviewers.teams.filter((t) => !(pr.requested_reviewers_teams ?? []).some((r) => r.name === t));
    if (users.length === 0 && teams.length === 0) return { outcome: 'unchanged', value: reviewers };
    await this.api.call(
      `request reviews on #${pullRequestId}`,
      'POST',
      `${this.repoPath}/pulls/${pullRequestId}/requested_reviewers`,
      undefined,
      {
        body: { reviewers: users, team_reviewers: teams },
      },
    );
    return { outcome: 'updated', value: reviewers, changed: [...users.map((u) => `user:${u}`), ...teams.map((t) => `team:${t}`)] };
  }

  async mergePullRequest(id: string, options: { headSha: string; method?: MergeMethod }): Promise<MergeOutcome> {
    const pr = toPullRequest(await this.pull(Number(id)));
    if (pr.state === 'merged') return { outcome: 'unchanged' };
    if (pr.state === 'closed') return { outcome: 'blocked', reason: 'not-open', detail: `#${id} is closed` };
    if (pr.headSha !== options.headSha)
      return { outcome: 'blocked', reason: 'head-moved', detail: `#${id} head is ${pr.headSha}, not ${options.headSha}` };
    const required = await this.getRequiredStatusContexts(pr.base);
    const checks = await this.getCombinedStatus(options.headSha, required);
    if (checks.state === 'failure') return { outcome: 'blocked', reason: 'checks-failed', detail: failedList(checks) };
    if (checks.state === 'pending') return { outcome: 'blocked', reason: 'checks-pending', detail: `waiting for ${pendingList(checks)}` };
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.api.callRaw(`merge pull request #${id}`, 'POST', `${this.repoPath}/pulls/${id}/merge`, [405, 409], {
          body: { Do: MERGE_STYLE[options.method ?? 'merge'], head_commit_id: options.headSha },
        });
        const merged = await this.pull(Number(id));
        this.log.info({ pr: id, sha: merged.merge_commit_sha }, 'pull request merged');
        return merged.merge_commit_sha ? { outcome: 'merged', sha: merged.merge_commit_sha } : { outcome: 'merged' };
      } catch (error) {
        if (!(error instanceof GiteaStatusError)) throw error;
        // 405 "Please try again later": the conflict check started by the last push is still running.
        if (error.status === 405 && /try again later/i.test(error.detail) && attempt < this.mergeCheck.attempts) {
          await this.sleep(this.mergeCheck.delayMs);
          continue;
        }
        return { outcome: 'blocked', ...mergeRefusal(error) };
      }
    }
  }

  async getRequiredStatusContexts(base: string): Promise<readonly string[]> {
    const rules =
      (await this.api.call<GiteaBranchProtection[]>(
        'read branch protections',
        'GET',
        `${this.repoPath}/branch_protections`,
        this.v.branchProtections,
        {
          allowMissing: true,
        },
      )) ?? [];
    const rule = rules.find((r) => (r.rule_name || r.branch_name) === base);
    return rule?.enable_status_check ? [...(rule.status_check_contexts ?? [])] : [];
  }

  private async pulls(state: 'open' | 'closed' | 'all'): Promise<GiteaPull[]> {
    return this.api.all<GiteaPull>('list pull requests', `${this.repoPath}/pulls`, this.v.pulls, { state, sort: 'newest' });
  }

  private async pull(n: number): Promise<GiteaPull & { merge_commit_sha?: string | null }> {
    return (await this.api.call<GiteaPull>(`read pull request #${n}`, 'GET', `${this.repoPath}/pulls/${n}`, this.v.pull)) as GiteaPull;
  }

  /** Re-reads the PR while Gitea's asynchronous conflict check says "not mergeable". */
  private async settledMergeable(n: number): Promise<GiteaPull> {
    let pr = await this.pull(n);
    for (let attempt = 1; !pr.mergeable && attempt < this.mergeCheck.attempts; attempt += 1) {
      await this.sleep(this.mergeCheck.delayMs);
      pr = await this.pull(n);
    }
    return pr;
  }

  private async labelIds(names: readonly string[]): Promise<number[]> {
    if (names.length === 0) return [];
    await this.ensureLabels(names);
    const all = await this.api.all<GiteaLabel>('list labels', `${this.repoPath}/labels`, this.v.labels);
    return names.map((n) => all.find((l) => l.name === n)?.id).filter((id): id is number => id !== undefined);
  }
}
