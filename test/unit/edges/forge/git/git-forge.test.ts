/**
 * The plain-Git forge against real Git: a bare repository on disk is the remote, a second clone
 * plays the person who merges, declines (deletes the branch) or ticks a dashboard box.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { GitForge } from '../../../../../controller/edges/forge/git/git-forge.js';
import { GitWorkspace } from '../../../../../controller/edges/git/git-workspace.js';
import type { Forge } from '../../../../../controller/ports/forge.js';

const AUTHOR = { name: 'patchward', email: 'patchward@example.invalid' };

describe('GitForge (plain Git: branches, notes, refs/patchward)', () => {
  let root: string;
  let remote: string;
  let person: string;
  let ticks = 0;
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=A Person', '-c', 'user.email=person@example.invalid', ...args], {
      cwd,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: cwd },
    });
  const now = () => new Date(Date.UTC(2026, 11, 2, 12, 0, ticks++));

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pw-gitforge-'));
    remote = join(root, 'remote.git');
    person = join(root, 'person');
    execFileSync('git', ['init', '-q', '--bare', '--initial-branch=main', remote]);
    execFileSync('git', ['init', '-q', '--initial-branch=main', person]);
    writeFileSync(join(person, 'baseline.yaml'), 'approvals: []\n');
    writeFileSync(join(person, 'README.md'), 'policies\n');
    git(person, 'add', '.');
    git(person, 'commit', '-qm', 'init');
    git(person, 'remote', 'add', 'origin', remote);
    git(person, 'push', '-q', 'origin', 'main');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  let n = 0;
  const forge = async () => {
    const workspace = await GitWorkspace.open({
      remoteUrl: remote,
      workDir: join(root, `ws${n++}`),
      author: AUTHOR,
      logger: pino({ level: 'silent' }),
    });
    return { workspace, forge: new GitForge({ workspace, branchPrefix: 'patchward/', logger: pino({ level: 'silent' }), now }) };
  };
  const propose = async (ws: GitWorkspace, branch: string, content: string) => {
    await ws.commitToBranch({ branch, base: 'main', files: [{ path: 'baseline.yaml', content }], message: branch });
    await ws.pushBranch(branch);
  };
  const mainSha = () => git(remote, 'rev-parse', 'main').trim();

  it('a proposal: recorded once, unchanged, updated in place, commented; no merge method', async () => {
    const before = mainSha();
    const { workspace, forge: f } = await forge();
    const port: Forge = f;
    assert.equal(port.mergePullRequest, undefined, 'a person merging is the approval: no merge here');
    assert.equal(port.requestReviewers, undefined);
    const branch = 'patchward/web/DSA-1-1';
    await propose(workspace, branch, 'approvals: [openssl]\n');
    const spec = { branch, base: 'main', title: 'Approve DSA-1-1', body: 'v1', labels: ['security'], draft: false };
    const created = await f.ensurePullRequest(spec);
    assert.ok(created.outcome === 'created');
    assert.deepEqual(
      [created.value.id, created.value.state, created.value.body, created.value.labels],
      [branch, 'open', 'v1', ['security']],
    );
    assert.equal(git(remote, 'rev-parse', `refs/patchward/proposals/${branch}`).trim(), created.value.headSha);
    const again = await (await forge()).forge.ensurePullRequest(spec);
    assert.equal(again.outcome, 'unchanged', 'found again from the remote alone');
    const updated = await f.ensurePullRequest({ ...spec, body: 'v2' });
    assert.ok(updated.outcome === 'updated' && updated.value.body === 'v2');
    assert.deepEqual(updated.changed, ['body']);
    assert.equal(updated.value.createdAt, created.value.createdAt);
    assert.equal((await f.ensureComment(branch, 'hello')).outcome, 'created');
    assert.equal((await f.ensureComment(branch, 'hello')).outcome, 'unchanged');
    assert.deepEqual(
      (await f.listPullRequests({ branchPrefix: 'patchward/web/' })).map((p) => p.id),
      [branch],
    );
    assert.deepEqual(await f.listPullRequests({ label: 'other' }), []);
    assert.equal(mainSha(), before, 'the default branch is never pushed');
  });

  it('statuses are notes under refs/notes/patchward, shown by git log --notes=patchward', async () => {
    const { workspace, forge: f } = await forge();
    const branch = 'patchward/web/DSA-2-1';
    await propose(workspace, branch, 'approvals: [curl]\n');
    const sha = (await workspace.branchSha(branch)) as string;
    assert.equal((await f.getCombinedStatus(sha)).state, 'none');
    assert.equal((await f.setCommitStatus(sha, { context: 'ci/test', state: 'pending', description: 'running' })).outcome, 'created');
    assert.equal((await f.setCommitStatus(sha, { context: 'ci/test', state: 'pending', description: 'running' })).outcome, 'unchanged');
    await f.setCommitStatus(sha, { context: 'ci/test', state: 'success', description: 'all green', targetUrl: 'https://ci.example/7' });
    await f.setCommitStatus(sha, { context: 'patchward/plan', state: 'success', description: 'plan ok' });
    const log = git(remote, 'log', '--notes=patchward', '-1', sha);
    assert.match(log, /success ci\/test: all green <https:\/\/ci\.example\/7>/);
    assert.match(log, /success patchward\/plan: plan ok/);
    const combined = await (await forge()).forge.getCombinedStatus(sha, ['ci/test', 'ci/lint']);
    assert.deepEqual([combined.state, combined.missing], ['pending', ['ci/lint']]);
    assert.deepEqual(
      combined.statuses.find((s) => s.context === 'ci/test'),
      { state: 'success', context: 'ci/test', description: 'all green', targetUrl: 'https://ci.example/7' },
    );
  });

  it('merged by a person (with or without deleting the branch) reads as merged', async () => {
    const { workspace, forge: f } = await forge();
    const branch = 'patchward/web/DSA-3-1';
    await propose(workspace, branch, 'approvals: [bash]\n');
    await f.ensurePullRequest({ branch, base: 'main', title: 't', body: 'b', labels: [], draft: false });
    git(person, 'fetch', '-q', 'origin');
    git(person, 'merge', '-q', '--no-edit', `origin/${branch}`);
    git(person, 'push', '-q', 'origin', 'main');
    assert.equal((await f.findPullRequest(branch))?.state, 'merged');
    git(person, 'push', '-q', 'origin', '--delete', branch);
    assert.equal((await (await forge()).forge.findPullRequest(branch))?.state, 'merged');
  });

  it('declined: the branch deleted without merge is closed; a later proposal on the branch is new', async () => {
    const { workspace, forge: f } = await forge();
    const branch = 'patchward/web/DSA-4-1';
    await propose(workspace, branch, 'approvals: [zlib]\n');
    await f.ensurePullRequest({ branch, base: 'main', title: 't', body: 'b', labels: [], draft: false });
    git(person, 'push', '-q', 'origin', '--delete', branch);
    const declined = await f.findPullRequest(branch);
    assert.equal(declined?.state, 'closed');
    assert.equal((await f.closePullRequest(branch)).outcome, 'unchanged');
    await propose(workspace, branch, 'approvals: [zlib-new]\n');
    const renewed = await f.ensurePullRequest({ branch, base: 'main', title: 't2', body: 'b2', labels: [], draft: false });
    assert.ok(renewed.outcome === 'created' && renewed.value.state === 'open');
    assert.notEqual(renewed.value.createdAt, declined?.createdAt);
  });

  it('patchward closes a superseded proposal with a comment: branch gone, record kept, closedAt set', async () => {
    const { workspace, forge: f } = await forge();
    const branch = 'patchward/web/DSA-5-1';
    await propose(workspace, branch, 'approvals: [glibc]\n');
    await f.ensurePullRequest({ branch, base: 'main', title: 't', body: 'b', labels: [], draft: false });
    const closed = await f.closePullRequest(branch, { comment: 'Superseded by patchward/web/DSA-5-2' });
    assert.ok(closed.outcome === 'updated' && closed.value.state === 'closed' && closed.value.closedAt !== undefined);
    assert.throws(() => git(remote, 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}`));
    assert.match(
      git(remote, 'notes', '--ref=patchward-proposals', 'show', `refs/patchward/proposals/${branch}`),
      /Superseded by patchward\/web\/DSA-5-2/,
    );
  });

  it('freshness: behind and conflicted after a person changes main', async () => {
    const { workspace, forge: f } = await forge();
    const branch = 'patchward/web/DSA-6-1';
    await propose(workspace, branch, 'approvals: [sudo]\n');
    assert.deepEqual(await f.getBranchFreshness(branch, 'main'), { behind: false, conflicted: false });
    git(person, 'pull', '-q', '--no-rebase', 'origin', 'main');
    writeFileSync(join(person, 'baseline.yaml'), 'approvals: [something-else]\n');
    git(person, 'commit', '-qam', 'edit');
    git(person, 'push', '-q', 'origin', 'main');
    assert.deepEqual(await f.getBranchFreshness(branch, 'main'), { behind: true, conflicted: true });
  });

  it('the dashboard is a Markdown file on <prefix>_dashboard; a ticked box is read back and kept in history', async () => {
    const { forge: f } = await forge();
    assert.equal(f.dashboardBranch, 'patchward/_dashboard');
    const created = await f.ensureIssue({ title: 'Patch dashboard', body: '- [ ] reconsider DSA-4-1\n', labels: ['patchward'] });
    assert.ok(created.outcome === 'created' && created.value.id === 'patch-dashboard.md');
    assert.equal((await f.ensureIssue({ title: 'Patch dashboard', body: '- [ ] reconsider DSA-4-1\n', labels: [] })).outcome, 'unchanged');
    git(person, 'fetch', '-q', 'origin');
    git(person, 'checkout', '-q', '-b', 'dash', 'origin/patchward/_dashboard');
    writeFileSync(join(person, 'patch-dashboard.md'), '- [x] reconsider DSA-4-1\n');
    git(person, 'commit', '-qam', 'tick');
    git(person, 'push', '-q', 'origin', 'dash:patchward/_dashboard');
    git(person, 'checkout', '-q', 'main');
    assert.equal((await f.findIssue('Patch dashboard'))?.body, '- [x] reconsider DSA-4-1\n');
    const updated = await f.ensureIssue({
      title: 'Patch dashboard',
      body: '- [x] reconsider DSA-4-1\n- [ ] reconsider DSA-7-1\n',
      labels: [],
    });
    assert.equal(updated.outcome, 'updated');
    assert.match(git(remote, 'log', '--format=%s', 'patchward/_dashboard'), /^Update Patch dashboard\ntick\nUpdate Patch dashboard\n/);
  });
});
