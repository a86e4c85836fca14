/**
 * Every call of the GitHub edge, made by the real Octokit over HTTP to a local server that answers
 * with recorded (@octokit/fixtures) or documented (OpenAPI examples) responses and checks each
 * request against GitHub's OpenAPI description. The coverage table is in test/README.md.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { recorded } from '../../../../helpers/octokit-fixtures.js';
import { BASE, type GithubHarness, OWNER, pullExample, pullItems, startGithubHarness } from './github-harness.js';

const BRANCH = 'patchward/web/ALSA-2024-1234';

describe('GithubForge against recorded and documented GitHub responses', () => {
  let h: GithubHarness;
  before(async () => {
    h = await startGithubHarness();
  });
  after(() => h.server.close());
  beforeEach(() => h.server.reset());

  it('reads the default branch (recorded get-repository)', async () => {
    const rec = recorded('get-repository', 0);
    h.serve('GET', BASE, 200, rec.response, '@octokit/fixtures get-repository[0]');
    assert.equal(await h.forge().getDefaultBranch(), 'master');
    h.assertClean();
    assert.equal(h.server.requests[0]?.headers.authorization, `token ${'ghp_fixtureTOKENfixtureTOKENfixture0001'}`);
  });

  it('ensurePullRequest creates: labels ensured, PR opened with draft, labels set', async () => {
    const labels = recorded('labels', 0);
    h.serve('GET', `${BASE}/labels`, 200, labels.response, '@octokit/fixtures labels[0]');
    h.serve('POST', `${BASE}/labels`, 201, recorded('labels', 1).response, '@octokit/fixtures labels[1] (created label)');
    h.serve('GET', `${BASE}/pulls`, 200, [], 'empty list (no open PR for the branch)', {
      query: { state: 'open', head: `${OWNER}:${BRANCH}` },
    });
    h.serve(
      'POST',
      `${BASE}/pulls`,
      201,
      pullExample(h.api, { branch: BRANCH }),
      'OpenAPI example pull-request, head.ref set to our branch',
    );
    h.serve('PUT', `${BASE}/issues/1347/labels`, 200, h.api.example('label-items'), 'OpenAPI example label-items');
    const result = await h.forge().ensurePullRequest({
      branch: BRANCH,
      base: 'master',
      title: 'Approve ALSA-2024:1234',
      body: 'b',
      labels: ['bug', 'security'],
      draft: true,
    });
    assert.ok(result.outcome === 'created');
    assert.deepEqual(
      [result.value.id, result.value.branch, result.value.base, result.value.state, result.value.headSha],
      ['1347', BRANCH, 'master', 'open', '6dcb09b5b57875f334f61aebed695e2e4193db5e'],
    );
    assert.deepEqual(result.value.labels, ['bug', 'enhancement']);
    const create = h.server.requests.find((r) => r.method === 'POST' && r.path === `${BASE}/pulls`);
    assert.deepEqual(create?.body, { head: BRANCH, base: 'master', title: 'Approve ALSA-2024:1234', body: 'b', draft: true });
    const label = h.server.requests.find((r) => r.method === 'POST' && r.path === `${BASE}/labels`);
    const labelBody = label?.body as { name: string; color: string } | undefined;
    assert.equal(labelBody?.name, 'security');
    assert.match(labelBody?.color ?? '', /^[0-9a-f]{6}$/);
    h.assertClean();
  });

  it('ensurePullRequest is unchanged when nothing differs, and PATCHes only what changed', async () => {
    h.serve('GET', `${BASE}/labels`, 200, recorded('labels', 0).response, '@octokit/fixtures labels[0]');
    h.serve('GET', `${BASE}/pulls`, 200, pullItems(h.api, BRANCH), 'OpenAPI example pull-request-simple-items, head.ref set');
    const same = {
      branch: BRANCH,
      base: 'master',
      title: 'Amazing new feature',
      body: 'Please pull these awesome changes in!',
      labels: ['bug'],
      draft: false,
    };
    assert.equal((await h.forge().ensurePullRequest(same)).outcome, 'unchanged');
    assert.deepEqual(h.operations(), ['GET /repos/{owner}/{repo}/labels', 'GET /repos/{owner}/{repo}/pulls']);
    h.serve(
      'PATCH',
      `${BASE}/pulls/1347`,
      200,
      pullExample(h.api, { branch: BRANCH, body: 'more hosts' }),
      'OpenAPI example pull-request, body changed',
    );
    const updated = await h.forge().ensurePullRequest({ ...same, body: 'more hosts' });
    assert.ok(updated.outcome === 'updated');
    assert.deepEqual(updated.changed, ['body']);
    assert.deepEqual(h.server.requests.at(-1)?.body, { title: 'Amazing new feature', body: 'more hosts', base: 'master' });
    h.assertClean();
  });

  it('findPullRequest finds a merged PR in any state; listPullRequests filters by prefix and label', async () => {
    h.serve(
      'GET',
      `${BASE}/pulls`,
      200,
      pullItems(h.api, BRANCH, 'closed', '2011-01-26T19:01:12Z'),
      'OpenAPI example pull-request-simple-items, closed and merged',
      { query: { state: 'all' } },
    );
    const found = await h.forge().findPullRequest(BRANCH);
    assert.equal(found?.state, 'merged');
    assert.equal(found?.closedAt, '2011-01-26T19:01:12Z');
    h.server.reset();
    h.serve('GET', `${BASE}/pulls`, 200, pullItems(h.api, BRANCH), 'OpenAPI example pull-request-simple-items', {
      query: { state: 'open' },
    });
    assert.equal((await h.forge().listPullRequests({ branchPrefix: 'patchward/', label: 'bug' })).length, 1);
    assert.equal((await h.forge().listPullRequests({ branchPrefix: 'renovate/' })).length, 0);
    assert.equal((await h.forge().listPullRequests({ label: 'security' })).length, 0);
    assert.equal(h.server.requests[0]?.query.per_page, '100');
    h.assertClean();
  });

  it('closePullRequest comments first (idempotent comment) and closes; a merged PR is blocked', async () => {
    h.serve('GET', `${BASE}/pulls/1347`, 200, pullExample(h.api, { branch: BRANCH }), 'OpenAPI example pull-request');
    h.serve('GET', `${BASE}/issues/1347/comments`, 200, h.api.example('issue-comment-items'), 'OpenAPI example issue-comment-items');
    h.serve('POST', `${BASE}/issues/1347/comments`, 201, h.api.example('issue-comment'), 'OpenAPI example issue-comment');
    h.serve(
      'PATCH',
      `${BASE}/pulls/1347`,
      200,
      pullExample(h.api, { branch: BRANCH, state: 'closed' }),
      'OpenAPI example pull-request, state closed',
    );
    const closed = await h.forge().closePullRequest('1347', { comment: 'Superseded by #1400' });
    assert.ok(closed.outcome === 'updated' && closed.value.state === 'closed');
    assert.deepEqual(h.server.requests.find((r) => r.method === 'POST')?.body, { body: 'Superseded by #1400' });
    assert.deepEqual(h.server.requests.find((r) => r.method === 'PATCH')?.body, { state: 'closed' });
    assert.equal((await h.forge().ensureComment('1347', 'Me too')).outcome, 'unchanged', 'the documented comment "Me too" exists');
    h.server.reset();
    h.serve(
      'GET',
      `${BASE}/pulls/1347`,
      200,
      pullExample(h.api, { branch: BRANCH, state: 'closed', merged: true }),
      'OpenAPI example pull-request, merged',
    );
    assert.equal((await h.forge().closePullRequest('1347')).outcome, 'blocked');
    h.assertClean();
  });

  it('statuses: set (recorded create-status), unchanged when equal, combined with check runs and required contexts', async () => {
    const sha = '0000000000000000000000000000000000000001';
    h.serve(
      'GET',
      `${BASE}/commits/${sha}/status`,
      200,
      recorded('create-status', 3).response,
      '@octokit/fixtures create-status[3] (combined)',
    );
    h.serve('POST', `${BASE}/statuses/${sha}`, 201, recorded('create-status', 0).response, '@octokit/fixtures create-status[0]');
    const set = await h
      .forge()
      .setCommitStatus(sha, { context: 'patchward/plan', state: 'success', description: 'plan ok', targetUrl: 'https://example.com' });
    assert.equal(set.outcome, 'created');
    assert.deepEqual(h.server.requests.at(-1)?.body, {
      state: 'success',
      context: 'patchward/plan',
      description: 'plan ok',
      target_url: 'https://example.com',
    });
    const again = await h
      .forge()
      .setCommitStatus(sha, { context: 'example/2', state: 'success', description: 'create-status success test' });
    assert.equal(again.outcome, 'unchanged');
    h.serve('GET', `${BASE}/commits/${sha}/check-runs`, 200, h.api.example('check-run-paginated'), 'OpenAPI example check-run-paginated');
    const combined = await h.forge().getCombinedStatus(sha, ['example/2', 'mighty_readme', 'ci/missing']);
    assert.equal(combined.state, 'failure', 'example/1 is failure in the recorded combined status');
    assert.deepEqual(combined.missing, ['ci/missing']);
    assert.deepEqual(
      combined.statuses.map((s) => [s.context, s.state]),
      [
        ['example/1', 'failure'],
        ['example/2', 'success'],
        ['mighty_readme', 'success'],
      ],
      'the documented check run is completed/neutral, which does not block',
    );
    h.assertClean();
  });
});
