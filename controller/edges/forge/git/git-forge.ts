/**
 * `Forge` on a plain Git remote (no forge API): the proposal is a branch, a person merging it into
 * its base is the approval, and patchward never pushes the default branch (so there is no merge
 * method here). Layout on the remote (ADR 0005):
 *
 * - `refs/heads/<branch>`                   the proposal (pushed by `GitWorkspace`);
 * - `refs/patchward/proposals/<branch>`     the proposal record: the head commit patchward last
 *   proposed. It outlives the branch, which is how "closed without merge" is represented: record
 *   present, branch gone, record commit not reachable from the base;
 * - `refs/notes/patchward-proposals`        on the record commit: title, body, labels, draft, base,
 *   createdAt, closedAt, comments (JSON);
 * - `refs/notes/patchward`                  commit statuses, one line each, so that
 *   `git log --notes=patchward` shows them;
 * - `refs/heads/<branchPrefix>_dashboard`   the "issues": one Markdown file per title. Policy names
 *   are DNS-1123 names and never start with `_`, so no `<branchPrefix><policy>/<key>` can collide.
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
  PullRequest,
  PullRequestQuery,
  PullRequestSpec,
} from '../../../ports/forge.js';
import type { GitWorkspace } from '../../git/git-workspace.js';
import { combineStatuses, sameSet } from '../common.js';
import { formatStatuses, issueFileName, type ProposalRecord, parseRecord, parseStatuses } from './git-records.js';

export const STATUS_NOTES = 'patchward';
export const RECORD_NOTES = 'patchward-proposals';
export const RECORD_PREFIX = 'refs/patchward/proposals/';

export interface GitForgeOptions {
  readonly workspace: GitWorkspace;
  /** The proposals' branch prefix (`spec.pullRequests.branchPrefix`); the dashboard branch derives from it. */
  readonly branchPrefix: string;
  readonly logger: Logger;
  /** The wall clock, for createdAt/closedAt (injected in tests). */
  readonly now?: () => Date;
}

/** The dashboard branch for a branch prefix: `<prefix>_dashboard`. */
export function dashboardBranchFor(branchPrefix: string): string {
  return `${branchPrefix}_dashboard`;
}

export class GitForge implements Forge {
  readonly kind = 'git' as const;
  readonly repository: string;
  readonly dashboardBranch: string;
  private readonly ws: GitWorkspace;
  private readonly log: Logger;
  private readonly now: () => Date;

  constructor(options: GitForgeOptions) {
    this.ws = options.workspace;
    this.repository = options.workspace.remoteUrl;
    this.dashboardBranch = dashboardBranchFor(options.branchPrefix);
    this.log = options.logger.child({ component: 'forge', forge: 'git', repository: this.repository });
    this.now = options.now ?? (() => new Date());
  }

  getDefaultBranch(): Promise<string> {
    return this.ws.defaultBranch();
  }

  async findPullRequest(branch: string): Promise<PullRequest | undefined> {
    await this.sync();
    const recordSha = (await this.ws.remoteRefs(`${RECORD_PREFIX}${branch}`)).get(`${RECORD_PREFIX}${branch}`);
    return recordSha === undefined ? undefined : this.derive(branch, recordSha);
  }

  async listPullRequests(query: PullRequestQuery): Promise<readonly PullRequest[]> {
    await this.sync();
    const state = query.state ?? 'open';
    const all: PullRequest[] = [];
    for (const [ref, sha] of await this.ws.remoteRefs(RECORD_PREFIX)) {
      const pr = await this.derive(ref.slice(RECORD_PREFIX.length), sha);
      if (pr && (state === 'any' || pr.state === state)) all.push(pr);
    }
    return all
      .filter(
        (p) =>
          (query.branchPrefix === undefined || p.branch.startsWith(query.branchPrefix)) &&
          (query.label === undefined || p.labels.includes(query.label)),
      )
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** The branch must have been pushed. A closed (declined) record is replaced by a new proposal. */
  async ensurePullRequest(spec: PullRequestSpec): Promise<EnsureOutcome<PullRequest>> {
    await this.sync();
    const head = await this.ws.branchSha(spec.branch);
    if (head === undefined) return { outcome: 'blocked', reason: 'refused', detail: `branch ${spec.branch} does not exist: push it first` };
    const recordRef = `${RECORD_PREFIX}${spec.branch}`;
    const recordSha = (await this.ws.remoteRefs(recordRef)).get(recordRef);
    const current = recordSha === undefined ? undefined : await this.derive(spec.branch, recordSha);
    const old = recordSha === undefined ? undefined : parseRecord(await this.ws.readNote(RECORD_NOTES, recordSha));
    const fresh = current === undefined || current.state !== 'open';
    const record: ProposalRecord = {
      title: spec.title,
      body: spec.body,
      labels: [...spec.labels],
      draft: spec.draft,
      base: spec.base,
      createdAt: fresh || !old ? this.now().toISOString() : old.createdAt,
      comments: fresh || !old ? [] : old.comments,
    };
    const changed = fresh ? [] : recordChanges(old, record, recordSha !== head);
    if (!fresh && changed.length === 0 && current) return { outcome: 'unchanged', value: current };
    await this.writeRecord(spec.branch, head, record, recordSha);
    const value = (await this.derive(spec.branch, head)) as PullRequest;
    this.log.info({ branch: spec.branch, outcome: fresh ? 'created' : 'updated' }, 'proposal recorded');
    return fresh ? { outcome: 'created', value } : { outcome: 'updated', value, changed };
  }

  /** Closes without merging: records closedAt (and the comment), then deletes the branch. */
  async closePullRequest(id: string, options: { comment?: string } = {}): Promise<EnsureOutcome<PullRequest>> {
    const pr = await this.findPullRequest(id);
    if (pr === undefined) return { outcome: 'blocked', reason: 'not-open', detail: `no proposal for ${id}` };
    if (pr.state === 'merged') return { outcome: 'blocked', reason: 'not-open', detail: `${id} is merged` };
    if (pr.state === 'closed') return { outcome: 'unchanged', value: pr };
    const recordRef = `${RECORD_PREFIX}${id}`;
    const recordSha = (await this.ws.remoteRefs(recordRef)).get(recordRef) as string;
    const record = parseRecord(await this.ws.readNote(RECORD_NOTES, recordSha));
    if (record) {
      const comments =
        options.comment === undefined || record.comments.some((c) => c.body === options.comment)
          ? record.comments
          : [...record.comments, { id: String(record.comments.length + 1), body: options.comment }];
      // The record follows the head one last time, so that the closed proposal keeps its last commit.
      await this.writeRecord(id, pr.headSha, { ...record, comments, closedAt: this.now().toISOString() }, recordSha);
    }
    await this.ws.deleteRemoteBranch(id);
    this.log.info({ branch: id }, 'proposal closed');
    return { outcome: 'updated', value: (await this.findPullRequest(id)) as PullRequest, changed: ['state'] };
  }

  async ensureComment(pullRequestId: string, body: string): Promise<EnsureOutcome<Comment>> {
    await this.sync();
    const recordRef = `${RECORD_PREFIX}${pullRequestId}`;
    const recordSha = (await this.ws.remoteRefs(recordRef)).get(recordRef);
    const record = recordSha === undefined ? undefined : parseRecord(await this.ws.readNote(RECORD_NOTES, recordSha));
    if (recordSha === undefined || record === undefined)
      return { outcome: 'blocked', reason: 'not-open', detail: `no proposal for ${pullRequestId}` };
    const same = record.comments.find((c) => c.body === body);
    if (same) return { outcome: 'unchanged', value: same };
    const comment = { id: String(record.comments.length + 1), body };
    await this.writeRecord(pullRequestId, recordSha, { ...record, comments: [...record.comments, comment] }, recordSha);
    return { outcome: 'created', value: comment };
  }

  async setCommitStatus(sha: string, status: CommitStatus): Promise<EnsureOutcome<CommitStatus>> {
    if (/\s/.test(status.context) || status.context === '')
      throw new TypeError(`a status context on plain Git has no whitespace: ${JSON.stringify(status.context)}`);
    await this.sync();
    const statuses = parseStatuses(await this.ws.readNote(STATUS_NOTES, sha));
    const current = statuses.find((s) => s.context === status.context);
    if (current && current.state === status.state && current.description === status.description && current.targetUrl === status.targetUrl)
      return { outcome: 'unchanged', value: current };
    const next = [status, ...statuses.filter((s) => s.context !== status.context)];
    const expected = await this.ws.resolve(`refs/notes/${STATUS_NOTES}`);
    await this.ws.writeNote(STATUS_NOTES, sha, formatStatuses(next));
    await this.ws.pushRef(`refs/notes/${STATUS_NOTES}`, `refs/notes/${STATUS_NOTES}`, expected);
    return current ? { outcome: 'updated', value: status, changed: ['state'] } : { outcome: 'created', value: status };
  }

  async getCombinedStatus(sha: string, required: readonly string[] = []): Promise<CombinedStatus> {
    await this.sync();
    return combineStatuses(sha, parseStatuses(await this.ws.readNote(STATUS_NOTES, sha)), required);
  }

  async getBranchFreshness(branch: string, base: string): Promise<BranchFreshness> {
    await this.sync();
    return this.ws.freshness(branch, base);
  }

  /** Labels live in the proposal record only: nothing to create. */
  async ensureLabels(names: readonly string[]): Promise<EnsureOutcome<readonly string[]>> {
    return { outcome: 'unchanged', value: names };
  }

  async findIssue(title: string): Promise<Issue | undefined> {
    await this.sync();
    const path = issueFileName(title);
    const body = await this.ws.readFile(this.dashboardBranch, path);
    return body === undefined ? undefined : { id: path, title, body, state: 'open', labels: [] };
  }

  /** Writes the file on the dashboard branch (ONE commit on top of it, or of the default branch the first time). */
  async ensureIssue(spec: IssueSpec): Promise<EnsureOutcome<Issue>> {
    const current = await this.findIssue(spec.title);
    const issue: Issue = { id: issueFileName(spec.title), title: spec.title, body: spec.body, state: 'open', labels: [] };
    if (current?.body === spec.body) return { outcome: 'unchanged', value: current };
    const base = (await this.ws.branchSha(this.dashboardBranch)) === undefined ? await this.ws.defaultBranch() : this.dashboardBranch;
    await this.ws.commitToBranch({
      branch: this.dashboardBranch,
      base,
      files: [{ path: issue.id, content: spec.body }],
      message: `Update ${spec.title}`,
    });
    await this.ws.pushBranch(this.dashboardBranch);
    return current ? { outcome: 'updated', value: issue, changed: ['body'] } : { outcome: 'created', value: issue };
  }

  private async sync(): Promise<void> {
    // Globs, not exact refs: a fetch of a ref the remote does not have yet would fail.
    await this.ws.fetch(['+refs/notes/*:refs/notes/*', '+refs/patchward/*:refs/patchward/*']);
  }

  /**
   * merged: the head (or, once the branch is gone, the recorded commit) is reachable from the base;
   * closed: the record has closedAt, or the branch is gone without being merged (a person declined
   * by deleting it: the first run that sees this records closedAt, so that a later push of the same
   * branch is a NEW proposal and not the declined one reopened); open otherwise.
   */
  private async derive(branch: string, recordSha: string): Promise<PullRequest | undefined> {
    let record = parseRecord(await this.ws.readNote(RECORD_NOTES, recordSha));
    if (record === undefined) return undefined;
    const head = await this.ws.branchSha(branch);
    const baseSha = await this.ws.branchSha(record.base);
    const tip = record.closedAt !== undefined || head === undefined ? recordSha : head;
    const merged = baseSha !== undefined && (await this.ws.isAncestor(tip, baseSha));
    const closed = !merged && (record.closedAt !== undefined || head === undefined);
    if (closed && record.closedAt === undefined) {
      record = { ...record, closedAt: this.now().toISOString() };
      await this.writeRecord(branch, recordSha, record, recordSha);
      this.log.info({ branch }, 'proposal declined (branch deleted without merge)');
    }
    const state = merged ? 'merged' : closed ? 'closed' : 'open';
    return {
      id: branch,
      branch,
      base: record.base,
      state,
      title: record.title,
      body: record.body,
      labels: record.labels,
      draft: record.draft,
      headSha: tip,
      createdAt: record.createdAt,
      ...(record.closedAt && state === 'closed' ? { closedAt: record.closedAt } : {}),
    };
  }

  private async writeRecord(branch: string, sha: string, record: ProposalRecord, expected: string | undefined): Promise<void> {
    const notesBefore = await this.ws.resolve(`refs/notes/${RECORD_NOTES}`);
    await this.ws.writeNote(RECORD_NOTES, sha, JSON.stringify(record, null, 2));
    await this.ws.pushRef(`refs/notes/${RECORD_NOTES}`, `refs/notes/${RECORD_NOTES}`, notesBefore);
    if (expected !== sha) await this.ws.pushRef(sha, `${RECORD_PREFIX}${branch}`, expected);
  }
}

function recordChanges(old: ProposalRecord | undefined, next: ProposalRecord, headMoved: boolean): string[] {
  if (old === undefined) return ['record'];
  const changed: string[] = [];
  if (old.title !== next.title || old.draft !== next.draft) changed.push('title');
  if (old.body !== next.body) changed.push('body');
  if (old.base !== next.base) changed.push('base');
  if (!sameSet(old.labels, next.labels)) changed.push('labels');
  if (headMoved) changed.push('head');
  return changed;
}
