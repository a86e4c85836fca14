import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { simpleGit } from 'simple-git';
import { startGitea } from '../../servers/gitea.js';
import { waitUntil } from '../../servers/process.js';
import { serverVersions } from '../../servers/versions.js';
import { uniqueName, useServer } from '../../servers/use-server.js';

interface PullRequest {
  number: number;
  state: string;
  merged: boolean;
  mergeable: boolean;
  head: { ref: string; sha: string };
  base: { ref: string };
}

interface CombinedStatus {
  state: string;
  sha: string;
  total_count: number;
  statuses: { context: string; status: string; description: string; target_url: string }[];
}

describe('test server: gitea', () => {
  const scratch: string[] = [];
  const { withLogs } = useServer('servers', 'gitea', startGitea);

  after(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  test('the API token authenticates the site admin on the pinned version', () =>
    withLogs(async (g) => {
      const version = await g.api<{ version: string }>('GET', '/version');
      assert.equal(version.body.version, serverVersions().gitea.replace(/^v/, ''));
      const me = await g.api<{ login: string; is_admin: boolean }>('GET', '/user');
      assert.equal(me.body.login, g.admin.username);
      assert.equal(me.body.is_admin, true);
      await assert.rejects(
        g.api('GET', '/repos/nobody/nothing'),
        (err: unknown) => err instanceof Error && / returned 404/.test(err.message),
      );
    }));

  test('push a branch, open a pull request, post and read a commit status, merge it', () =>
    withLogs(async (g) => {
      const owner = g.admin.username;
      const repo = uniqueName('smoke');
      const created = await g.api<{ name: string; default_branch: string }>(
        'POST',
        '/user/repos',
        { name: repo, auto_init: true, default_branch: 'main', private: false },
        { expect: [201] },
      );
      assert.equal(created.body.default_branch, 'main');

      const parent = mkdtempSync(join(tmpdir(), 'patchward-gitea-clone-'));
      scratch.push(parent);
      const work = join(parent, repo);
      await simpleGit({ baseDir: parent }).env(g.gitEnv()).clone(g.gitRemote(owner, repo), work);
      const git = simpleGit({ baseDir: work }).env(g.gitEnv());
      await git.addConfig('user.name', 'Patchward Smoke').addConfig('user.email', 'smoke@example.invalid');
      await git.checkoutLocalBranch('patch/openssl');
      writeFileSync(join(work, 'hosts.yaml'), 'web-1:\n  openssl: 3.0.15-1~deb12u1\n');
      await git.add('hosts.yaml');
      await git.commit('Patch openssl on web-1');
      const sha = (await git.revparse(['HEAD'])).trim();
      await git.push('origin', 'patch/openssl', ['--set-upstream']);

      const branch = await g.api<{ commit: { id: string } }>('GET', `/repos/${owner}/${repo}/branches/patch%2Fopenssl`);
      assert.equal(branch.body.commit.id, sha);

      const opened = await g.api<PullRequest>(
        'POST',
        `/repos/${owner}/${repo}/pulls`,
        { head: 'patch/openssl', base: 'main', title: 'Patch openssl', body: 'smoke test' },
        { expect: [201] },
      );
      const number = opened.body.number;
      assert.equal(opened.body.head.sha, sha);
      assert.equal(opened.body.base.ref, 'main');

      await g.api(
        'POST',
        `/repos/${owner}/${repo}/statuses/${sha}`,
        { state: 'success', context: 'patchward/plan', description: 'plan ok', target_url: 'http://example.invalid/run/1' },
        { expect: [201] },
      );
      const combined = await g.api<CombinedStatus>('GET', `/repos/${owner}/${repo}/commits/${sha}/status`);
      assert.equal(combined.body.sha, sha);
      assert.equal(combined.body.state, 'success');
      assert.equal(combined.body.total_count, 1);
      assert.deepEqual(
        combined.body.statuses.map((s) => [s.context, s.status, s.description]),
        [['patchward/plan', 'success', 'plan ok']],
      );

      // The conflict check runs asynchronously after the PR is opened; merging earlier gives 405.
      await waitUntil(
        `pull request #${number} mergeable`,
        async () => {
          const pr = await g.api<PullRequest>('GET', `/repos/${owner}/${repo}/pulls/${number}`);
          return pr.body.mergeable ? pr.body : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      await g.api(
        'POST',
        `/repos/${owner}/${repo}/pulls/${number}/merge`,
        { Do: 'merge', merge_message_field: 'Merge patch/openssl', head_commit_id: sha, delete_branch_after_merge: true },
        { expect: [200] },
      );

      await g.api('GET', `/repos/${owner}/${repo}/pulls/${number}/merge`, undefined, { expect: [204] });
      const merged = await g.api<PullRequest>('GET', `/repos/${owner}/${repo}/pulls/${number}`);
      assert.equal(merged.body.merged, true);
      assert.equal(merged.body.state, 'closed');

      await git.fetch('origin', 'main');
      const onMain = await git.raw(['merge-base', '--is-ancestor', sha, 'origin/main']).then(
        () => true,
        () => false,
      );
      assert.equal(onMain, true, `${sha} must be reachable from main after the merge`);
      const file = await g.api<{ content: string }>('GET', `/repos/${owner}/${repo}/contents/hosts.yaml?ref=main`);
      assert.equal(Buffer.from(file.body.content, 'base64').toString('utf8'), 'web-1:\n  openssl: 3.0.15-1~deb12u1\n');
    }));
});
