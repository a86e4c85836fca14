/**
 * Every call of the GitLab edge, made by the real gitbeaker over HTTP to a local server answering
 * with GitLab's documentation examples (test/fixtures/forge/gitlab/README.md), each request checked
 * against the documented endpoints and parameter names. Coverage table: test/README.md.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { isPatchwardError } from '../../../../../controller/errors.js';
import { isForgeError, isForgeUnavailable } from '../../../../../controller/ports/forge.js';
import { BASE, docFixture, type GitlabHarness, mergeRequest, startGitlabHarness, TOKEN } from './gitlab-harness.js';

const BRANCH = 'patchward/web/RLSA-2024-1234';
const SHA = '8888888888888888888888888888888888888888';

describe('GitlabForge against documented GitLab responses', () => {
  let h: GitlabHarness;
  before(async () => {
    h = await startGitlabHarness();
  });
  after(() => h.server.close());
  beforeEach(() => {
    h.server.reset();
    h.sleeps.length = 0;
  });

  it('default branch, with the token in PRIVATE-TOKEN', async () => {
    h.serve('GET', BASE, 200, docFixture('project'), 'docs example project');
    assert.equal(await h.forge().getDefaultBranch(), 'main');
    assert.equal(h.server.requests[0]?.headers['private-token'], TOKEN);
    h.assertClean();
  });

  it('ensurePullRequest: created as a draft with labels, then unchanged, then updated in place', async () => {
    h.serve('GET', `${BASE}/labels`, 200, docFixture('labels'), 'docs example labels');
    h.serve('POST', `${BASE}/labels`, 201, docFixture('label'), 'docs example label');
    h.serve('GET', `${BASE}/merge_requests`, 200, [], 'empty list', { query: { source_branch: BRANCH, state: 'opened' }, times: 1 });
    const created = mergeRequest({
      iid: 7,
      source_branch: BRANCH,
      title: 'Draft: Approve RLSA-2024:1234',
      draft: true,
      labels: ['bug', 'security'],
      description: 'b',
    });
    h.serve('POST', `${BASE}/merge_requests`, 201, created, 'documented merge request, our branch/title/labels');
    const spec = { branch: BRANCH, base: 'main', title: 'Approve RLSA-2024:1234', body: 'b', labels: ['bug', 'security'], draft: true };
    const first = await h.forge().ensurePullRequest(spec);
    assert.ok(first.outcome === 'created');
    assert.deepEqual(
      [first.value.id, first.value.title, first.value.draft, first.value.state, first.value.headSha],
      ['7', spec.title, true, 'open', SHA],
    );
    const post = h.server.requests.find((r) => r.method === 'POST' && r.path.endsWith('/merge_requests'));
    assert.deepEqual(post?.body, {
      source_branch: BRANCH,
      target_branch: 'main',
      title: 'Draft: Approve RLSA-2024:1234',
      description: 'b',
      labels: 'bug,security',
    });
    assert.equal(
      (h.server.requests.find((r) => r.method === 'POST' && r.path.endsWith('/labels'))?.body as { name: string } | undefined)?.name,
      'security',
    );

    h.serve('GET', `${BASE}/merge_requests`, 200, [created], 'documented merge request, open', {
      query: { source_branch: BRANCH, state: 'opened' },
    });
    assert.equal((await h.forge().ensurePullRequest(spec)).outcome, 'unchanged');
    h.serve(
      'PUT',
      `${BASE}/merge_requests/7`,
      200,
      { ...created, description: 'more hosts' },
      'documented merge request, description changed',
    );
    const updated = await h.forge().ensurePullRequest({ ...spec, body: 'more hosts' });
    assert.ok(updated.outcome === 'updated');
    assert.deepEqual(updated.changed, ['body']);
    assert.deepEqual(h.server.requests.at(-1)?.body, {
      title: 'Draft: Approve RLSA-2024:1234',
      description: 'more hosts',
      target_branch: 'main',
      labels: 'bug,security',
    });
    h.assertClean();
  });

  it('findPullRequest in any state: the documented merged MR; listPullRequests filters', async () => {
    const [documented] = docFixture<Record<string, unknown>[]>('merge-requests-list');
    h.serve('GET', `${BASE}/merge_requests`, 200, [{ ...documented, source_branch: BRANCH }], 'documented merged MR, our branch', {
      query: { source_branch: BRANCH, state: 'all' },
    });
    const found = await h.forge().findPullRequest(BRANCH);
    assert.deepEqual(
      [found?.state, found?.closedAt, found?.labels],
      ['merged', '2018-09-07T11:16:17.520Z', ['Community contribution', 'Manage']],
    );
    h.serve('GET', `${BASE}/merge_requests`, 200, docFixture('merge-requests-list'), 'documented list', { query: { state: 'merged' } });
    assert.equal((await h.forge().listPullRequests({ state: 'merged', branchPrefix: 'test' })).length, 1);
    assert.equal((await h.forge().listPullRequests({ state: 'merged', branchPrefix: 'patchward/' })).length, 0);
    h.assertClean();
  });

  it('closes with a note first; an identical note is not posted twice', async () => {
    h.serve('GET', `${BASE}/merge_requests/7`, 200, mergeRequest({ iid: 7 }), 'documented MR, open');
    h.serve('GET', `${BASE}/merge_requests/7/notes`, 200, [docFixture('merge-request-note')], 'documented note');
    h.serve('POST', `${BASE}/merge_requests/7/notes`, 201, docFixture('merge-request-note'), 'documented note');
    h.serve(
      'PUT',
      `${BASE}/merge_requests/7`,
      200,
      mergeRequest({ iid: 7, state: 'closed', closed_at: '2024-01-01T00:00:00Z' }),
      'documented MR, closed',
    );
    const closed = await h.forge().closePullRequest('7', { comment: 'Superseded by !8' });
    assert.ok(closed.outcome === 'updated' && closed.value.state === 'closed');
    assert.deepEqual(h.server.requests.find((r) => r.method === 'POST')?.body, { body: 'Superseded by !8' });
    assert.deepEqual(h.server.requests.find((r) => r.method === 'PUT')?.body, { state_event: 'close' });
    assert.equal((await h.forge().ensureComment('7', 'Comment for MR')).outcome, 'unchanged');
    h.assertClean();
  });

  it('statuses: documented list and post; mapping; required contexts', async () => {
    const sha = '18f3e63d05582537db6d183d9d557be09e1f90c8';
    h.serve('GET', `${BASE}/repository/commits/${sha}/statuses`, 200, docFixture('commit-statuses'), 'documented statuses (two pending)');
    h.serve('POST', `${BASE}/statuses/${sha}`, 201, docFixture('commit-status'), 'documented status');
    const combined = await h.forge().getCombinedStatus(sha, ['test', 'patchward/plan']);
    assert.deepEqual(
      [combined.state, combined.missing, combined.statuses.map((s) => s.context)],
      ['pending', ['patchward/plan'], ['bundler:audit', 'test']],
    );
    assert.equal(combined.statuses[0]?.targetUrl, 'https://gitlab.example.com/janedoe/gitlab-foss/builds/91');
    assert.equal(
      (await h.forge().setCommitStatus(sha, { context: 'patchward/plan', state: 'failure', description: 'plan failed' })).outcome,
      'created',
    );
    assert.deepEqual(h.server.requests.at(-1)?.body, { state: 'failed', name: 'patchward/plan', description: 'plan failed' });
    assert.equal((await h.forge().setCommitStatus(sha, { context: 'test', state: 'pending', description: '' })).outcome, 'unchanged');
    h.assertClean();
  });

  it('merges with the sha guard; documented refusals 405, 409, 422 (and an older server’s 406) are blocked outcomes', async () => {
    h.serve('GET', `${BASE}/merge_requests/7`, 200, mergeRequest({ iid: 7 }), 'documented MR, open, mergeable');
    h.serve(
      'GET',
      `${BASE}/repository/commits/${SHA}/statuses`,
      200,
      [{ ...(docFixture<Record<string, unknown>[]>('commit-statuses')[1] ?? {}), status: 'success', sha: SHA }],
      'documented status, success',
    );
    h.serve(
      'PUT',
      `${BASE}/merge_requests/7/merge`,
      200,
      mergeRequest({ iid: 7, state: 'merged', merge_commit_sha: 'a'.repeat(40) }),
      'documented MR, merged',
      { times: 1 },
    );
    assert.deepEqual(await h.forge().mergePullRequest('7', { headSha: SHA, method: 'squash' }), { outcome: 'merged', sha: 'a'.repeat(40) });
    assert.deepEqual(h.server.requests.at(-1)?.body, { sha: SHA, squash: true });
    // The failure table of merge_requests.md "Merge a merge request" (0b917ddeab38): 405, 409, 422.
    // 406 "Branch cannot be merged" is the row of an older version of that table (see the fixtures
    // README); kept as an older server's answer (the edge reads it as a conflict).
    const refusals: [number, string, string][] = [
      [405, '405 Method Not Allowed', 'refused'],
      [409, 'SHA does not match HEAD of source branch', 'head-moved'],
      [422, 'Branch cannot be merged', 'refused'],
      [406, 'Branch cannot be merged', 'conflicted'],
    ];
    for (const [status, message, reason] of refusals) {
      h.serve('PUT', `${BASE}/merge_requests/7/merge`, status, { message }, `documented merge refusal ${status}`, { times: 1 });
      const outcome = await h.forge().mergePullRequest('7', { headSha: SHA });
      assert.ok(outcome.outcome === 'blocked' && outcome.reason === reason, `${status}: ${JSON.stringify(outcome)}`);
    }
    const moved = await h.forge().mergePullRequest('7', { headSha: 'f'.repeat(40) });
    assert.ok(moved.outcome === 'blocked' && moved.reason === 'head-moved');
    h.server.reset();
    h.serve(
      'GET',
      `${BASE}/merge_requests/7`,
      200,
      mergeRequest({ iid: 7, detailed_merge_status: 'need_rebase' }),
      'documented MR, need_rebase',
    );
    h.serve('GET', `${BASE}/repository/commits/${SHA}/statuses`, 200, [], 'no statuses');
    assert.deepEqual(await h.forge().mergePullRequest('7', { headSha: SHA }), {
      outcome: 'blocked',
      reason: 'behind',
      detail: 'detailed_merge_status need_rebase',
    });
    h.assertClean();
  });

  it('the single-MR and merge examples, unchanged: an undocumented detailed_merge_status blocks; merged without a merge sha', async () => {
    const mr = docFixture<Record<string, unknown>>('merge-request');
    const head = 'e82eb4a098e32c796079ca3915e07487fc4db24c';
    h.serve('GET', `${BASE}/merge_requests/133`, 200, mr, 'documented single MR, verbatim', { times: 1 });
    h.serve('GET', `${BASE}/repository/commits/${head}/statuses`, 200, [], 'no statuses');
    // The example says `detailed_merge_status: can_be_merged`, a value missing from the page's own list
    // ("Merge status"): the edge does not guess, it refuses and names the value.
    assert.deepEqual(await h.forge().mergePullRequest('133', { headSha: head }), {
      outcome: 'blocked',
      reason: 'refused',
      detail: 'detailed_merge_status can_be_merged',
    });
    h.serve(
      'GET',
      `${BASE}/merge_requests/133`,
      200,
      { ...mr, detailed_merge_status: 'mergeable' },
      'documented single MR, detailed_merge_status set to the documented `mergeable`',
    );
    h.serve('PUT', `${BASE}/merge_requests/133/merge`, 200, docFixture('merge-request-merged'), 'documented merge response, verbatim');
    // The documented merge response has `merge_commit_sha: null`: merged, with no sha to report.
    assert.deepEqual(await h.forge().mergePullRequest('133', { headSha: head }), { outcome: 'merged' });
    assert.deepEqual(h.server.requests.at(-1)?.body, { sha: head });
    h.assertClean();
  });

  it('reviewers by username (ids looked up); teams are unsupported on GitLab', async () => {
    h.serve('GET', `${BASE}/merge_requests/7`, 200, mergeRequest({ iid: 7 }), 'documented MR (reviewer kenyatta_oconnell)');
    h.serve('GET', '/api/v4/users', 200, docFixture('users'), 'docs example users', { query: { username: 'john_smith' } });
    h.serve('PUT', `${BASE}/merge_requests/7`, 200, mergeRequest({ iid: 7 }), 'documented MR');
    const asked = await h.forge().requestReviewers('7', { users: ['kenyatta_oconnell', 'john_smith'], teams: ['security'] });
    assert.deepEqual(asked, {
      outcome: 'blocked',
      reason: 'unsupported',
      detail: 'GitLab has no team reviewers (security); users were requested',
    });
    assert.deepEqual(h.server.requests.at(-1)?.body, { reviewer_ids: [2, 1] });
    assert.equal((await h.forge().requestReviewers('7', { users: ['kenyatta_oconnell'], teams: [] })).outcome, 'unchanged');
    h.assertClean();
  });

  it('freshness from the MR (diverged commits, conflicts); the dashboard issue', async () => {
    h.serve('GET', `${BASE}/merge_requests`, 200, [mergeRequest({ iid: 7, source_branch: BRANCH })], 'documented MR', {
      query: { source_branch: BRANCH, state: 'opened' },
    });
    h.serve(
      'GET',
      `${BASE}/merge_requests/7`,
      200,
      mergeRequest({ iid: 7, diverged_commits_count: 2, has_conflicts: true }),
      'documented MR with divergence',
      { query: { include_diverged_commits_count: 'true' } },
    );
    assert.deepEqual(await h.forge().getBranchFreshness(BRANCH, 'main'), { behind: true, conflicted: true });
    h.serve('GET', `${BASE}/issues`, 200, [], 'empty list', { times: 1 });
    h.serve(
      'POST',
      `${BASE}/issues`,
      201,
      { ...docFixture<Record<string, unknown>>('issue'), title: 'Patch dashboard', labels: [], description: '- [ ] x' },
      'docs example issue, our title/labels/description',
    );
    assert.equal((await h.forge().ensureIssue({ title: 'Patch dashboard', body: '- [ ] x', labels: [] })).outcome, 'created');
    assert.deepEqual(h.server.requests.at(-1)?.body, { title: 'Patch dashboard', description: '- [ ] x', labels: '' });
    h.serve(
      'GET',
      `${BASE}/issues`,
      200,
      [{ ...docFixture<Record<string, unknown>>('issue'), title: 'Patch dashboard', labels: [], description: '- [x] x' }],
      'docs example issue, our title/labels/description (ticked)',
    );
    assert.equal((await h.forge().findIssue('Patch dashboard'))?.body, '- [x] x', 'a ticked box is read back');
    h.serve(
      'PUT',
      `${BASE}/issues/14`,
      200,
      { ...docFixture<Record<string, unknown>>('issue'), title: 'Patch dashboard', labels: [], description: '- [x] x\n- [ ] y' },
      'docs example issue, our title/labels/description (updated)',
    );
    const updated = await h.forge().ensureIssue({ title: 'Patch dashboard', body: '- [x] x\n- [ ] y', labels: [] });
    assert.ok(updated.outcome === 'updated' && updated.value.body === '- [x] x\n- [ ] y');
    assert.deepEqual(h.server.requests.at(-1)?.body, { description: '- [x] x\n- [ ] y', labels: '' });
    h.assertClean();
  });

  it('errors: 401 Stalled, 404 typed, 422 Stalled, 429 Retry-After waited, 502 External; no token', async () => {
    h.serve('GET', BASE, 401, { message: '401 Unauthorized' }, 'GitLab 401 body', { times: 1 });
    await assert.rejects(
      h.forge().getDefaultBranch(),
      (e) => isForgeError(e, 'forge-unauthorized') && e.kind === 'Stalled' && !e.message.includes(TOKEN),
    );
    h.serve('GET', BASE, 404, { message: '404 Project Not Found' }, 'GitLab 404 body', { times: 1 });
    await assert.rejects(h.forge().getDefaultBranch(), (e) => isForgeError(e, 'forge-not-found') && /Project Not Found/.test(e.message));
    h.serve('GET', `${BASE}/labels`, 200, [], 'empty list');
    h.serve('POST', `${BASE}/labels`, 422, { message: { color: ['must be a valid color code'] } }, 'GitLab 422 validation body', {
      times: 1,
    });
    await assert.rejects(h.forge().ensureLabels(['x']), (e) => isForgeError(e, 'forge-unprocessable') && /valid color/.test(e.message));
    h.serve('GET', BASE, 200, docFixture('project'), 'docs example project');
    h.serve('GET', BASE, 429, { message: 'Retry later' }, 'GitLab 429 with Retry-After: 3', { times: 1, headers: { 'retry-after': '3' } });
    assert.equal(await h.forge().getDefaultBranch(), 'main');
    assert.ok((h.sleeps[0] ?? 0) >= 3000, `waited ${h.sleeps[0]} ms`);
    h.server.reset();
    h.serve('GET', BASE, 502, { message: '502 Bad Gateway' }, 'a 502');
    await assert.rejects(
      h.forge().getDefaultBranch(),
      (e) => isForgeUnavailable(e) && isPatchwardError(e) && e.code === 'forge-unavailable',
    );
    assert.equal(h.server.requests.length, 4, 'four attempts, not gitbeaker’s ten');
    assert.ok(!h.logText().includes(TOKEN), 'no token in the logs');
  });
});
