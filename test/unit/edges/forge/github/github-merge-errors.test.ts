/**
 * GitHub edge, second part: gated merge with the sha guard (documented 200/405/409), branch
 * protection (recorded 404 and protection body), reviewers, freshness, labels, the dashboard issue
 * over recorded paginated issues, and the error classes (401, 404, 409, 422, 429 with Retry-After,
 * 502, a forge that does not answer) with the token never in errors or logs.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { isPatchwardError } from '../../../../../controller/errors.js';
import { isForgeError, isForgeUnavailable } from '../../../../../controller/ports/forge.js';
import { recorded } from '../../../../helpers/octokit-fixtures.js';
import { BASE, type GithubHarness, pullExample, pullItems, startGithubHarness, TOKEN } from './github-harness.js';

const BRANCH = 'patchward/web/DSA-5000-1';
const HEAD = '6dcb09b5b57875f334f61aebed695e2e4193db5e';
const PROTECTION = 'branches/master/protection';

function statusFor(h: GithubHarness, context: string, state: string) {
  const combined = h.api.example<{ sha: string; state: string; statuses: { context: string; state: string }[] }>('combined-commit-status');
  combined.sha = HEAD;
  combined.statuses = combined.statuses.slice(0, 1).map((s) => ({ ...s, context, state }));
  return combined;
}

describe('GithubForge: merge, reviewers, freshness, issues, errors', () => {
  let h: GithubHarness;
  before(async () => {
    h = await startGithubHarness();
  });
  after(() => h.server.close());
  beforeEach(() => {
    h.server.reset();
    h.sleeps.length = 0;
  });

  const gate = (state: string) => {
    h.serve('GET', `${BASE}/pulls/1347`, 200, pullExample(h.api, { branch: BRANCH }), 'OpenAPI example pull-request');
    const protection = recorded('branch-protection', 2);
    h.serve(
      'GET',
      `${BASE}/${PROTECTION}`,
      200,
      protection.response,
      '@octokit/fixtures branch-protection[2] (protection requiring foo/bar)',
    );
    h.serve(
      'GET',
      `${BASE}/commits/${HEAD}/status`,
      200,
      statusFor(h, 'foo/bar', state),
      'OpenAPI example combined-commit-status, context foo/bar',
    );
    h.serve('GET', `${BASE}/commits/${HEAD}/check-runs`, 200, { total_count: 0, check_runs: [] }, 'empty check-run list');
  };

  it('merges only with the head sha and required checks green', async () => {
    gate('pending');
    assert.deepEqual(await h.forge().mergePullRequest('1347', { headSha: HEAD }), {
      outcome: 'blocked',
      reason: 'checks-pending',
      detail: 'waiting for foo/bar',
    });
    h.server.reset();
    gate('failure');
    const failed = await h.forge().mergePullRequest('1347', { headSha: HEAD });
    assert.ok(failed.outcome === 'blocked' && failed.reason === 'checks-failed');
    const moved = await h.forge().mergePullRequest('1347', { headSha: 'f'.repeat(40) });
    assert.ok(moved.outcome === 'blocked' && moved.reason === 'head-moved');
    h.server.reset();
    gate('success');
    h.serve(
      'PUT',
      `${BASE}/pulls/1347/merge`,
      200,
      h.api.example('pull-request-merge-result-response-if-merge-was-successful'),
      'OpenAPI example merge result',
    );
    const merged = await h.forge().mergePullRequest('1347', { headSha: HEAD, method: 'squash' });
    assert.equal(merged.outcome, 'merged');
    assert.deepEqual(h.server.requests.at(-1)?.body, { sha: HEAD, merge_method: 'squash' });
    h.assertClean();
  });

  it('maps the documented merge refusals: 405 not mergeable, 409 head modified', async () => {
    gate('success');
    h.serve('PUT', `${BASE}/pulls/1347/merge`, 405, { message: 'Pull Request is not mergeable' }, 'OpenAPI documented 405 example', {
      times: 1,
    });
    const refused = await h.forge().mergePullRequest('1347', { headSha: HEAD });
    assert.deepEqual(refused, { outcome: 'blocked', reason: 'refused', detail: 'HTTP 405: Pull Request is not mergeable' });
    h.serve(
      'PUT',
      `${BASE}/pulls/1347/merge`,
      409,
      { message: 'Head branch was modified. Review and try the merge again.' },
      'OpenAPI documented 409 example',
      { times: 1 },
    );
    const conflict = await h.forge().mergePullRequest('1347', { headSha: HEAD });
    assert.ok(conflict.outcome === 'blocked' && conflict.reason === 'head-moved');
    h.assertClean();
  });

  it('an unprotected branch requires nothing (recorded 404 "Branch not protected")', async () => {
    const rec = recorded('branch-protection', 0);
    h.serve('GET', `${BASE}/${PROTECTION}`, 404, rec.response, '@octokit/fixtures branch-protection[0]');
    assert.deepEqual(await h.forge().getRequiredStatusContexts('master'), []);
    h.assertClean();
  });

  it('requests only the reviewers not yet requested', async () => {
    h.serve(
      'GET',
      `${BASE}/pulls/1347/requested_reviewers`,
      200,
      h.api.example('simple-pull-request-review-request'),
      'OpenAPI example simple-pull-request-review-request',
    );
    h.serve(
      'POST',
      `${BASE}/pulls/1347/requested_reviewers`,
      201,
      h.api.example('pull-request-review-request'),
      'OpenAPI example pull-request-review-request',
    );
    const asked = await h.forge().requestReviewers('1347', { users: ['octocat', 'hubot'], teams: ['justice-league', 'security'] });
    assert.ok(asked.outcome === 'updated');
    assert.deepEqual(h.server.requests.at(-1)?.body, { reviewers: ['hubot'], team_reviewers: ['security'] });
    h.server.reset();
    h.serve(
      'GET',
      `${BASE}/pulls/1347/requested_reviewers`,
      200,
      h.api.example('simple-pull-request-review-request'),
      'OpenAPI example simple-pull-request-review-request',
    );
    assert.equal((await h.forge().requestReviewers('1347', { users: ['octocat'], teams: ['justice-league'] })).outcome, 'unchanged');
    h.assertClean();
  });

  it('freshness: behind from the comparison, conflicted from the PR', async () => {
    h.serve(
      'GET',
      `${BASE}/compare/${encodeURIComponent(`master...${BRANCH}`)}`,
      200,
      h.api.example('commit-comparison'),
      'OpenAPI example commit-comparison (behind_by 2)',
    );
    h.serve('GET', `${BASE}/pulls`, 200, pullItems(h.api, BRANCH), 'OpenAPI example pull-request-simple-items');
    h.serve('GET', `${BASE}/pulls/1347`, 200, pullExample(h.api, { branch: BRANCH }), 'OpenAPI example pull-request (mergeable, clean)');
    assert.deepEqual(await h.forge().getBranchFreshness(BRANCH, 'master'), { behind: true, conflicted: false });
    h.assertClean();
  });

  it('the dashboard issue: found across recorded pages (Link header), created, updated', async () => {
    for (let page = 0; page < 5; page += 1) {
      const rec = recorded('paginate-issues', page);
      const next = page < 4 ? { link: `<${h.server.url}${BASE}/issues?state=open&per_page=100&page=${page + 2}>; rel="next"` } : undefined;
      h.serve('GET', `${BASE}/issues`, 200, rec.response, `@octokit/fixtures paginate-issues[${page}], Link rewritten to this server`, {
        query: page === 0 ? { state: 'open' } : { page: String(page + 1) },
        ...(next ? { headers: next } : {}),
        times: 1,
      });
    }
    const found = await h.forge().findIssue('Test issue 2');
    assert.equal(found?.number, 2);
    assert.equal(h.server.requests.length, 5);
    h.server.reset();
    h.serve('GET', `${BASE}/issues`, 200, [], 'empty list');
    h.serve('POST', `${BASE}/issues`, 201, h.api.example('issue'), 'OpenAPI example issue');
    const created = await h.forge().ensureIssue({ title: 'Patch dashboard', body: '- [ ] x', labels: [] });
    assert.equal(created.outcome, 'created');
    assert.deepEqual(h.server.requests.at(-1)?.body, { title: 'Patch dashboard', body: '- [ ] x', labels: [] });
    h.server.reset();
    const issue = h.api.example<{ title: string; body: string }>('issue');
    h.serve(
      'GET',
      `${BASE}/issues`,
      200,
      [{ ...issue, title: 'Patch dashboard', pull_request: undefined }],
      'OpenAPI example issue, titled',
    );
    h.serve(
      'PATCH',
      `${BASE}/issues/1347`,
      200,
      { ...issue, title: 'Patch dashboard', body: '- [x] x' },
      'OpenAPI example issue, body changed',
    );
    h.serve('GET', `${BASE}/labels`, 200, recorded('labels', 0).response, '@octokit/fixtures labels[0]');
    const updated = await h.forge().ensureIssue({ title: 'Patch dashboard', body: '- [x] x', labels: ['bug'] });
    assert.ok(updated.outcome === 'updated' && updated.value.body === '- [x] x');
    h.assertClean();
  });

  it('errors: 422 (recorded) and 401 are Stalled, 404 typed, 409 Transient; no token anywhere', async () => {
    const rec = recorded('errors', 0);
    h.serve('GET', `${BASE}/labels`, 200, [], 'empty list');
    h.serve('POST', `${BASE}/labels`, 422, rec.response, '@octokit/fixtures errors[0] (422 Validation Failed)');
    await assert.rejects(
      h.forge().ensureLabels(['x']),
      (e) => isForgeError(e, 'forge-unprocessable') && e.kind === 'Stalled' && /Validation Failed/.test(e.message),
    );
    h.serve(
      'GET',
      BASE,
      401,
      { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' },
      "GitHub's 401 body (basic-error)",
      { times: 1 },
    );
    await assert.rejects(h.forge().getDefaultBranch(), (e) => isForgeError(e, 'forge-unauthorized') && e.kind === 'Stalled');
    h.serve('GET', BASE, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' }, 'OpenAPI basic-error 404', {
      times: 1,
    });
    await assert.rejects(h.forge().getDefaultBranch(), (e) => isForgeError(e, 'forge-not-found'));
    h.serve('PATCH', `${BASE}/pulls/1`, 409, { message: 'Conflict' }, 'a 409 body (basic-error)', { times: 1 });
    h.serve('GET', `${BASE}/pulls/1`, 200, pullExample(h.api, { branch: BRANCH }), 'OpenAPI example pull-request');
    await assert.rejects(h.forge().closePullRequest('1'), (e) => isForgeError(e, 'forge-conflict') && e.kind === 'Transient');
    for (const secret of [TOKEN, Buffer.from(TOKEN).toString('base64')]) assert.ok(!h.logText().includes(secret), 'token in the logs');
  });

  it('429 with Retry-After is waited out; 502 is retried then External; a dead port is External', async () => {
    const repo = recorded('get-repository', 0).response;
    h.serve('GET', BASE, 200, repo, '@octokit/fixtures get-repository[0]');
    h.serve('GET', BASE, 429, { message: 'rate limited' }, 'a 429 with Retry-After: 7', { times: 1, headers: { 'retry-after': '7' } });
    assert.equal(await h.forge().getDefaultBranch(), 'master');
    assert.equal(h.sleeps.length, 1);
    assert.ok((h.sleeps[0] ?? 0) >= 7000, `waited ${h.sleeps[0]} ms, Retry-After asked 7 s`);
    h.server.reset();
    h.sleeps.length = 0;
    h.serve('GET', BASE, 502, { message: 'Server Error' }, 'a 502 (bad gateway)');
    await assert.rejects(
      h.forge().getDefaultBranch(),
      (e) => isForgeUnavailable(e) && isPatchwardError(e) && e.code === 'forge-unavailable',
    );
    assert.equal(h.server.requests.length, 4, 'four attempts');
    assert.equal(h.sleeps.length, 3);
    h.server.reset();
    h.serve(
      'GET',
      BASE,
      403,
      { message: 'API rate limit exceeded' },
      'primary rate limit: 403 with x-ratelimit-remaining 0, reset in an hour',
      {
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600) },
      },
    );
    await assert.rejects(h.forge().getDefaultBranch(), (e) => isForgeError(e, 'forge-rate-limited') && isForgeUnavailable(e));
    assert.equal(h.server.requests.length, 1, 'an hour-long wait is not slept through');
    const dead = h.forge();
    await h.server.close();
    await assert.rejects(dead.getDefaultBranch(), (e) => isForgeError(e, 'forge-unavailable') && !(e as Error).message.includes(TOKEN));
    h = await startGithubHarness();
  });
});
