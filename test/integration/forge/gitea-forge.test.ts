/**
 * GiteaForge + GitWorkspace against the REAL Gitea that test/servers builds: proposal branch, PR
 * lifecycle, labels, reviewers (user and team), comments, statuses gated by branch protection,
 * merge with head guard, freshness after a person moves `main`, the dashboard issue, and errors
 * (401, 404, a forge that is down) with the token never in logs or messages.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { GiteaForge } from '../../../controller/edges/forge/gitea/gitea-forge.js';
import { cloneUrlFor, gitCredentialsFor } from '../../../controller/edges/forge/registry.js';
import { GitWorkspace } from '../../../controller/edges/git/git-workspace.js';
import { isPatchwardError } from '../../../controller/errors.js';
import { createLogger } from '../../../controller/log.js';
import { isForgeError, isForgeUnavailable } from '../../../controller/ports/forge.js';
import { startGitea } from '../../servers/gitea.js';
import { freePort, waitUntil } from '../../servers/process.js';
import { useServer } from '../../servers/use-server.js';
import { createRepoFixture, REQUIRED_CONTEXT } from './gitea-fixture.js';

function capturedLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level: 'debug', destination }), text: () => lines.join('') };
}

describe('GiteaForge on a real Gitea', () => {
  const scratch: string[] = [];
  const { withLogs } = useServer('forge', 'gitea', startGitea);
  after(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  test('proposal lifecycle: ensure PR (created/unchanged/updated), reviewers, comments, gated merge', () =>
    withLogs(async (g) => {
      const fx = await createRepoFixture(g, scratch);
      const logs = capturedLogger();
      const forge = new GiteaForge({
        apiUrl: g.url,
        repository: fx.repository,
        token: g.token,
        logger: logs.logger,
        mergeCheck: { attempts: 40, delayMs: 250 },
      });
      assert.equal(await forge.getDefaultBranch(), 'main');
      assert.deepEqual(await forge.getRequiredStatusContexts('main'), [REQUIRED_CONTEXT]);

      const ws = await fx.workspace();
      const branch = 'patchward/web/ALSA-2024-1234';
      const commit = await ws.commitToBranch({
        branch,
        base: 'main',
        files: [{ path: 'baseline.yaml', content: 'approved: [openssl]\n' }],
        message: 'Approve ALSA-2024:1234',
      });
      assert.equal(commit.outcome, 'created');
      await ws.pushBranch(branch);
      assert.equal(await forge.findPullRequest(branch), undefined);

      const spec = {
        branch,
        base: 'main',
        title: 'Approve ALSA-2024:1234',
        body: 'body v1\n<!-- patchward -->',
        labels: ['security', 'patchward'],
        draft: false,
      };
      const created = await forge.ensurePullRequest(spec);
      assert.equal(created.outcome, 'created');
      assert.ok(created.outcome === 'created');
      const pr = created.value;
      assert.deepEqual(
        [pr.branch, pr.base, pr.state, pr.title, pr.headSha, pr.draft],
        [branch, 'main', 'open', spec.title, commit.sha, false],
      );
      assert.deepEqual([...pr.labels].sort(), ['patchward', 'security']);
      assert.equal((await forge.ensurePullRequest(spec)).outcome, 'unchanged', 'a second run changes nothing');

      const updated = await forge.ensurePullRequest({ ...spec, body: 'body v2', labels: ['security'], draft: true });
      assert.ok(updated.outcome === 'updated');
      assert.deepEqual([...updated.changed].sort(), ['body', 'labels', 'title']);
      assert.deepEqual(
        [updated.value.body, updated.value.labels, updated.value.draft, updated.value.title],
        ['body v2', ['security'], true, spec.title],
      );
      const undrafted = await forge.ensurePullRequest({ ...spec, body: 'body v2', labels: ['security'] });
      assert.ok(undrafted.outcome === 'updated' && undrafted.value.draft === false);

      const found = await forge.findPullRequest(branch);
      assert.equal(found?.id, pr.id);
      assert.deepEqual(
        (await forge.listPullRequests({ branchPrefix: 'patchward/', label: 'security' })).map((p) => p.id),
        [pr.id],
      );
      assert.deepEqual(await forge.listPullRequests({ branchPrefix: 'other/' }), []);

      const reviewers = await forge.requestReviewers(pr.id, { users: [fx.reviewer], teams: [fx.team] });
      assert.equal(reviewers.outcome, 'updated');
      const asked = await g.api<{ requested_reviewers: { login: string }[]; requested_reviewers_teams: { name: string }[] }>(
        'GET',
        `/repos/${fx.repository}/pulls/${pr.id}`,
      );
      assert.deepEqual(
        asked.body.requested_reviewers.map((u) => u.login),
        [fx.reviewer],
      );
      assert.deepEqual(
        asked.body.requested_reviewers_teams.map((t) => t.name),
        [fx.team],
      );
      assert.equal((await forge.requestReviewers(pr.id, { users: [fx.reviewer], teams: [fx.team] })).outcome, 'unchanged');

      assert.equal((await forge.ensureComment(pr.id, 'hello')).outcome, 'created');
      assert.equal((await forge.ensureComment(pr.id, 'hello')).outcome, 'unchanged');

      // Checks green is Gitea's gate: without ci/test Gitea itself refuses (405), and so do we.
      const direct = await fetch(`${g.url}/api/v1/repos/${fx.repository}/pulls/${pr.id}/merge`, {
        method: 'POST',
        headers: { authorization: `token ${g.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ Do: 'merge', head_commit_id: commit.sha }),
      });
      assert.equal(direct.status, 405, 'branch protection must refuse a merge without the required status');
      assert.deepEqual(await forge.mergePullRequest(pr.id, { headSha: commit.sha }), {
        outcome: 'blocked',
        reason: 'checks-pending',
        detail: `waiting for ${REQUIRED_CONTEXT}`,
      });
      assert.equal(
        (await forge.setCommitStatus(commit.sha, { context: REQUIRED_CONTEXT, state: 'pending', description: 'running' })).outcome,
        'created',
      );
      assert.equal(
        (await forge.setCommitStatus(commit.sha, { context: REQUIRED_CONTEXT, state: 'pending', description: 'running' })).outcome,
        'unchanged',
      );
      assert.equal((await forge.getCombinedStatus(commit.sha)).state, 'pending');
      await forge.setCommitStatus(commit.sha, { context: REQUIRED_CONTEXT, state: 'failure', description: 'broken' });
      const failed = await forge.mergePullRequest(pr.id, { headSha: commit.sha });
      assert.ok(failed.outcome === 'blocked' && failed.reason === 'checks-failed');
      await forge.setCommitStatus(commit.sha, {
        context: REQUIRED_CONTEXT,
        state: 'success',
        description: 'ok',
        targetUrl: 'http://127.0.0.1/ci/1',
      });
      const green = await forge.getCombinedStatus(commit.sha, ['ci/test']);
      assert.deepEqual([green.state, green.missing, green.statuses[0]?.targetUrl], ['success', [], 'http://127.0.0.1/ci/1']);
      const moved = await forge.mergePullRequest(pr.id, { headSha: '0'.repeat(40) });
      assert.ok(moved.outcome === 'blocked' && moved.reason === 'head-moved');
      const merged = await forge.mergePullRequest(pr.id, { headSha: commit.sha });
      assert.equal(merged.outcome, 'merged', JSON.stringify(merged));
      assert.equal((await forge.findPullRequest(branch))?.state, 'merged');
      assert.deepEqual(await forge.mergePullRequest(pr.id, { headSha: commit.sha }), { outcome: 'unchanged' });
      await ws.fetch();
      assert.equal(await ws.readFile('main', 'baseline.yaml'), 'approved: [openssl]\n');
      assert.ok(!logs.text().includes(g.token), 'the token must never reach a log line');
      assert.match(logs.text(), /"msg":"forge request"/, 'debug logs each call');
    }));

  test('decline (close with comment), a new PR for the same branch, freshness after main moves', () =>
    withLogs(async (g) => {
      const fx = await createRepoFixture(g, scratch);
      const forge = new GiteaForge({
        apiUrl: `${g.url}/api/v1`,
        repository: fx.repository,
        token: g.token,
        logger: createLogger({ level: 'silent' }),
        mergeCheck: { attempts: 40, delayMs: 250 },
      });
      const ws = await fx.workspace();
      const branch = 'patchward/web/DSA-5000-1';
      await ws.commitToBranch({ branch, base: 'main', files: [{ path: 'README.md', content: 'proposed\n' }], message: 'DSA-5000-1' });
      await ws.pushBranch(branch);
      const spec = { branch, base: 'main', title: 'Approve DSA-5000-1', body: 'b', labels: [], draft: false };
      const first = await forge.ensurePullRequest(spec);
      assert.ok(first.outcome === 'created');
      assert.deepEqual(await forge.getBranchFreshness(branch, 'main'), { behind: false, conflicted: false });

      // A person changes the same file on main: the proposal is now behind and conflicts.
      writeFileSync(join(fx.personDir, 'README.md'), 'changed by a person\n');
      await fx.person.add('README.md').commit('person edit').push('origin', 'main');
      await ws.fetch();
      assert.deepEqual(await ws.freshness(branch, 'main'), { behind: true, conflicted: true });
      // Gitea re-checks open PRs asynchronously after a push to their base: eventually consistent.
      const fresh = await waitUntil(
        'gitea sees the conflict',
        async () => {
          const f = await forge.getBranchFreshness(branch, 'main');
          return f.conflicted === true ? f : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      assert.deepEqual(fresh, { behind: true, conflicted: true });

      const closed = await forge.closePullRequest(first.value.id, { comment: 'Superseded by #99' });
      assert.ok(closed.outcome === 'updated' && closed.value.state === 'closed' && closed.value.closedAt !== undefined);
      assert.equal((await forge.closePullRequest(first.value.id)).outcome, 'unchanged');
      const comments = await g.api<{ body: string }[]>('GET', `/repos/${fx.repository}/issues/${first.value.id}/comments`);
      assert.deepEqual(
        comments.body.map((c) => c.body),
        ['Superseded by #99'],
      );
      assert.equal((await forge.findPullRequest(branch))?.state, 'closed', 'found again in any state');
      assert.deepEqual(
        await forge.getBranchFreshness(branch, 'main'),
        { behind: true, conflicted: 'unknown' },
        'without an open PR: the comparison only',
      );

      const rebased = await ws.commitToBranch({
        branch,
        base: 'main',
        files: [{ path: 'README.md', content: 'proposed\n' }],
        message: 'DSA-5000-1',
        rebase: true,
      });
      assert.equal(rebased.outcome, 'updated');
      await ws.pushBranch(branch);
      const second = await forge.ensurePullRequest(spec);
      assert.ok(second.outcome === 'created', 'a closed PR is never reopened: a new one is created');
      assert.notEqual(second.value.id, first.value.id);
      assert.equal((await forge.findPullRequest(branch))?.id, second.value.id, 'the open PR wins over the closed one');
      assert.deepEqual(await forge.getBranchFreshness(branch, 'main'), { behind: false, conflicted: false });
    }));

  test('the dashboard issue: created once, body updated, ticked checkbox read back', () =>
    withLogs(async (g) => {
      const fx = await createRepoFixture(g, scratch);
      const forge = new GiteaForge({
        apiUrl: g.url,
        repository: fx.repository,
        token: g.token,
        logger: createLogger({ level: 'silent' }),
      });
      const spec = { title: 'Patch dashboard', body: '- [ ] reconsider DSA-1\n', labels: ['patchward'] };
      const created = await forge.ensureIssue(spec);
      assert.ok(created.outcome === 'created');
      assert.equal((await forge.ensureIssue(spec)).outcome, 'unchanged');
      const updated = await forge.ensureIssue({ ...spec, body: '- [ ] reconsider DSA-1\n- [ ] reconsider DSA-2\n' });
      assert.ok(updated.outcome === 'updated' && updated.changed.includes('body'));
      // A person ticks a box in the web UI (the same API call).
      await g.api(
        'PATCH',
        `/repos/${fx.repository}/issues/${created.value.id}`,
        { body: '- [x] reconsider DSA-1\n- [ ] reconsider DSA-2\n' },
        { expect: [201] },
      );
      const read = await forge.findIssue('Patch dashboard', 'patchward');
      assert.equal(read?.body, '- [x] reconsider DSA-1\n- [ ] reconsider DSA-2\n');
      assert.equal(read?.id, created.value.id);
      assert.equal(await forge.findIssue('No such issue'), undefined);
    }));

  test('errors: 401 is Stalled without the token, 404 typed, a forge that is down is External after retries', () =>
    withLogs(async (g) => {
      const fx = await createRepoFixture(g, scratch);
      const logs = capturedLogger();
      const badToken = `${g.token.slice(0, 20)}deadbeefdeadbeefdead`;
      const bad = new GiteaForge({ apiUrl: g.url, repository: fx.repository, token: badToken, logger: logs.logger });
      await assert.rejects(bad.getDefaultBranch(), (e) => {
        assert.ok(isForgeError(e, 'forge-unauthorized') && e.kind === 'Stalled', String(e));
        assert.ok(!e.message.includes(badToken) && !JSON.stringify(e.context).includes(badToken));
        return true;
      });
      const missing = new GiteaForge({ apiUrl: g.url, repository: `${fx.org}/nothing-here`, token: g.token, logger: logs.logger });
      await assert.rejects(missing.getDefaultBranch(), (e) => isForgeError(e, 'forge-not-found'));

      const port = await freePort();
      const sleeps: number[] = [];
      const down = new GiteaForge({
        apiUrl: `http://127.0.0.1:${port}`,
        repository: fx.repository,
        token: g.token,
        logger: logs.logger,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      });
      await assert.rejects(down.findPullRequest('x'), (e) => {
        assert.ok(isForgeUnavailable(e) && isPatchwardError(e) && e.code === 'forge-unavailable', String(e));
        assert.ok(!e.message.includes(g.token));
        return true;
      });
      assert.equal(sleeps.length, 3, 'four attempts, three backoffs');

      // Git over HTTP with a wrong token: the error names the remote, never the token or its Basic form.
      const gitDir = mkdtempSync(join(tmpdir(), 'pw-gitea-badgit-'));
      scratch.push(gitDir);
      await assert.rejects(
        GitWorkspace.open({
          remoteUrl: cloneUrlFor('gitea', fx.repository, g.url),
          workDir: gitDir,
          credentials: gitCredentialsFor('gitea', badToken),
          author: { name: 'patchward', email: 'patchward@example.invalid' },
          logger: logs.logger,
          env: g.gitEnv(),
        }),
        (e) => {
          assert.ok(isPatchwardError(e) && e.kind === 'External' && e.code === 'git-command-failed', String(e));
          const basic = Buffer.from(`patchward:${badToken}`).toString('base64');
          assert.ok(!e.message.includes(badToken) && !e.message.includes(basic), e.message);
          return true;
        },
      );
      for (const secret of [g.token, badToken]) assert.ok(!logs.text().includes(secret), 'no token in any log line');
    }));
});
