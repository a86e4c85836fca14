/**
 * The propose step end to end with `--forge github`, through the one connect path
 * (`connectForge` of controller/edges/forge/registry.ts): the real Octokit calls a local server
 * that answers with recorded (@octokit/fixtures) or documented (OpenAPI examples) responses and
 * referees every request against GitHub's OpenAPI description; Git pushes to a local bare
 * repository. A second run against the state the first one made writes nothing.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { parseMarker } from '../../../../controller/core/proposals/index.js';
import { recorded } from '../../../helpers/octokit-fixtures.js';
import {
  BASE,
  type GithubHarness,
  OWNER,
  pullExample,
  pullItems,
  REPO,
  startGithubHarness,
  TOKEN,
} from '../../edges/forge/github/github-harness.js';
import { BRANCH, createProposeRepo, type ProposeRepo, writeCalls } from './propose-repo.js';

describe('propose on GitHub (fixture server refereed by the OpenAPI description)', () => {
  let h: GithubHarness;
  let repo: ProposeRepo;
  before(async () => {
    h = await startGithubHarness();
    repo = await createProposeRepo({ user: 'hubot', team: 'justice-league' });
  });
  after(async () => {
    await h.server.close();
    rmSync(repo.root, { recursive: true, force: true });
  });

  test('one draft PR with branch, title, marked body, labels, reviewers and team reviewers; a second run writes nothing', async () => {
    const settings = { kind: 'github', repository: `${OWNER}/${REPO}`, apiUrl: h.server.url, token: TOKEN } as const;
    const unprotected = () =>
      h.serve(
        'GET',
        `${BASE}/branches/main/protection`,
        404,
        recorded('branch-protection', 0).response,
        '@octokit/fixtures branch-protection[0]',
      );
    // Run 1: nothing exists yet.
    h.serve('GET', `${BASE}/issues`, 200, [], 'empty list (no dashboard issue yet)');
    h.serve('GET', `${BASE}/pulls`, 200, [], 'empty list (no pull requests)');
    unprotected();
    h.serve('GET', `${BASE}/labels`, 200, recorded('labels', 0).response, '@octokit/fixtures labels[0]');
    h.serve('POST', `${BASE}/labels`, 201, recorded('labels', 1).response, '@octokit/fixtures labels[1] (created label)');
    h.serve(
      'POST',
      `${BASE}/pulls`,
      201,
      pullExample(h.api, { branch: BRANCH }),
      'OpenAPI example pull-request, head.ref set to our branch',
    );
    h.serve('PUT', `${BASE}/issues/1347/labels`, 200, h.api.example('label-items'), 'OpenAPI example label-items');
    const noneAsked = { ...h.api.example<Record<string, unknown>>('simple-pull-request-review-request'), users: [], teams: [] };
    h.serve('GET', `${BASE}/pulls/1347/requested_reviewers`, 200, noneAsked, 'OpenAPI example simple-pull-request-review-request, emptied');
    h.serve(
      'POST',
      `${BASE}/pulls/1347/requested_reviewers`,
      201,
      h.api.example('pull-request-review-request'),
      'OpenAPI example pull-request-review-request',
    );
    h.serve('POST', `${BASE}/issues`, 201, h.api.example('issue'), 'OpenAPI example issue');

    const first = await repo.run(settings);
    assert.deepEqual(first.problems, []);
    assert.deepEqual(
      first.proposals.map((p) => [p.branch, p.action, p.pullRequest?.id]),
      [[BRANCH, 'create', '1347']],
    );
    h.assertClean();
    const created = h.server.requests.find((r) => r.method === 'POST' && r.path === `${BASE}/pulls`);
    const body = created?.body as { head: string; base: string; title: string; body: string; draft: boolean };
    assert.equal(body.head, BRANCH);
    assert.equal(body.base, 'main');
    assert.equal(body.title, first.proposals[0]?.title);
    assert.match(body.title, /PWSA-2026-0001/);
    assert.equal(body.draft, true, 'pullRequests.draft: true');
    const marker = parseMarker(body.body);
    assert.equal(marker?.key, 'PWSA-2026-0001');
    assert.deepEqual(
      marker?.fixes.map((fix) => `${fix.release} ${fix.package} ${fix.minVersion}`),
      ['debian-12 pw-demo-src 1.0-2'],
    );
    const labels = h.server.requests.find((r) => r.method === 'PUT' && r.path === `${BASE}/issues/1347/labels`)?.body as {
      labels: string[];
    };
    assert.deepEqual(
      [...labels.labels].sort(),
      ['patchward', 'security', 'urgent'].filter((l) => first.proposals[0]?.labels.includes(l)).sort(),
    );
    assert.ok(labels.labels.includes('security') && labels.labels.includes('patchward'));
    const reviewers = h.server.requests.find((r) => r.method === 'POST' && r.path === `${BASE}/pulls/1347/requested_reviewers`);
    assert.deepEqual(reviewers?.body, { reviewers: ['hubot'], team_reviewers: ['justice-league'] });
    assert.equal(repo.head(`${BRANCH}^`), repo.head('main'), 'one commit on top of main, pushed to the bare repository');
    const dashboard = h.server.requests.find((r) => r.method === 'POST' && r.path === `${BASE}/issues`)?.body as {
      title: string;
      body: string;
    };
    assert.equal(dashboard.title, 'Patch dashboard');

    // Run 2: the forge now holds what run 1 made; nothing is written.
    const headBefore = repo.head(BRANCH);
    h.server.reset();
    const [item] = pullItems(h.api, BRANCH) as { body: string; head: { sha: string } }[];
    assert.ok(item !== undefined);
    item.body = body.body;
    const sha = item.head.sha;
    const issue = h.api.example<Record<string, unknown>>('issue');
    h.serve(
      'GET',
      `${BASE}/issues`,
      200,
      [{ ...issue, title: dashboard.title, body: dashboard.body, labels: [], pull_request: undefined }],
      'OpenAPI example issue, as created by run 1',
    );
    h.serve('GET', `${BASE}/pulls`, 200, [item], 'OpenAPI example pull-request-simple-items, our branch and the body run 1 sent');
    unprotected();
    h.serve(
      'GET',
      `${BASE}/commits/${sha}/status`,
      200,
      recorded('create-status', 3).response,
      '@octokit/fixtures create-status[3] (combined)',
    );
    h.serve('GET', `${BASE}/commits/${sha}/check-runs`, 200, h.api.example('check-run-paginated'), 'OpenAPI example check-run-paginated');
    const second = await repo.run(settings);
    assert.deepEqual(second.problems, []);
    assert.deepEqual(
      second.proposals.map((p) => p.action),
      ['unchanged'],
    );
    h.assertClean();
    assert.deepEqual(writeCalls(h.server.requests), [], 'no write call');
    assert.equal(repo.head(BRANCH), headBefore, 'no push');
  });
});
