/**
 * The propose step end to end with `--forge gitlab`, through the one connect path
 * (`connectForge`): the real gitbeaker client calls a local server that answers with the examples
 * of GitLab's REST API documentation (test/fixtures/forge/gitlab/, labelled as taken from the
 * docs) and checks every request against the documented endpoints and parameter names; Git pushes
 * to a local bare repository. A second run against the state the first one made writes nothing.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { parseMarker } from '../../../../controller/core/proposals/index.js';
import {
  BASE,
  docFixture,
  type GitlabHarness,
  mergeRequest,
  PROJECT,
  startGitlabHarness,
  TOKEN,
} from '../../edges/forge/gitlab/gitlab-harness.js';
import { BRANCH, createProposeRepo, type ProposeRepo, writeCalls } from './propose-repo.js';

/** The one user of the documented `GET /users` example. */
const REVIEWER = 'john_smith';

describe('propose on GitLab (documented responses)', () => {
  let h: GitlabHarness;
  let repo: ProposeRepo;
  before(async () => {
    h = await startGitlabHarness();
    repo = await createProposeRepo({ user: REVIEWER, team: 'platform' });
  });
  after(async () => {
    await h.server.close();
    rmSync(repo.root, { recursive: true, force: true });
  });

  test('one draft MR with branch, title, marked description, labels and reviewers; a second run writes nothing', async () => {
    const settings = { kind: 'gitlab', repository: PROJECT, apiUrl: `${h.server.url}/api/v4`, token: TOKEN } as const;
    // Run 1: nothing exists yet.
    h.serve('GET', `${BASE}/issues`, 200, [], 'empty list (no dashboard issue yet)');
    h.serve('GET', `${BASE}/merge_requests`, 200, [], 'empty list (no merge requests)');
    h.serve('GET', `${BASE}/labels`, 200, docFixture('labels'), 'docs example labels');
    h.serve('POST', `${BASE}/labels`, 201, docFixture('label'), 'docs example label');
    h.serve(
      'POST',
      `${BASE}/merge_requests`,
      201,
      mergeRequest({ iid: 7, source_branch: BRANCH, reviewers: [] }),
      'docs example merge request, our branch',
    );
    h.serve(
      'GET',
      `${BASE}/merge_requests/7`,
      200,
      mergeRequest({ iid: 7, source_branch: BRANCH, reviewers: [] }),
      'docs example merge request, no reviewers',
    );
    h.serve('GET', '/api/v4/users', 200, docFixture('users'), 'docs example users', { query: { username: REVIEWER } });
    h.serve('PUT', `${BASE}/merge_requests/7`, 200, mergeRequest({ iid: 7, source_branch: BRANCH }), 'docs example merge request');
    h.serve('POST', `${BASE}/issues`, 201, docFixture('issue'), 'docs example issue');

    const first = await repo.run(settings);
    assert.deepEqual(first.problems, []);
    assert.deepEqual(
      first.proposals.map((p) => [p.branch, p.action, p.pullRequest?.id]),
      [[BRANCH, 'create', '7']],
    );
    h.assertClean();
    const created = h.server.requests.find((r) => r.method === 'POST' && r.path === `${BASE}/merge_requests`)?.body as Record<
      string,
      string
    >;
    assert.equal(created['source_branch'], BRANCH);
    assert.equal(created['target_branch'], 'main');
    assert.equal(created['title'], `Draft: ${first.proposals[0]?.title}`, 'draft on GitLab is the title prefix');
    assert.match(created['title'] ?? '', /PWSA-2026-0001/);
    const body = created['description'] ?? '';
    const marker = parseMarker(body);
    assert.equal(marker?.key, 'PWSA-2026-0001');
    assert.deepEqual(
      marker?.fixes.map((fix) => `${fix.release} ${fix.package} ${fix.minVersion}`),
      ['debian-12 pw-demo-src 1.0-2'],
    );
    const labels = (created['labels'] ?? '').split(',');
    assert.ok(labels.includes('security') && labels.includes('patchward'), labels.join());
    assert.deepEqual([...labels].sort(), [...(first.proposals[0]?.labels ?? [])].sort());
    const reviewers = h.server.requests.find((r) => r.method === 'PUT' && r.path === `${BASE}/merge_requests/7`)?.body;
    assert.deepEqual(reviewers, { reviewer_ids: [1] }, 'john_smith is user 1 in the documented example');
    assert.equal(repo.head(`${BRANCH}^`), repo.head('main'), 'one commit on top of main, pushed to the bare repository');
    const dashboard = h.server.requests.find((r) => r.method === 'POST' && r.path === `${BASE}/issues`)?.body as Record<string, string>;
    assert.equal(dashboard['title'], 'Patch dashboard');

    // Run 2: the forge now holds what run 1 made; nothing is written.
    const headBefore = repo.head(BRANCH);
    h.server.reset();
    const open = mergeRequest({
      iid: 7,
      source_branch: BRANCH,
      target_branch: 'main',
      title: created['title'],
      draft: true,
      description: body,
      labels,
    });
    const issue = docFixture('issue');
    h.serve(
      'GET',
      `${BASE}/issues`,
      200,
      [{ ...issue, title: 'Patch dashboard', description: dashboard['description'], labels: [] }],
      'docs example issue, as created by run 1',
    );
    h.serve('GET', `${BASE}/merge_requests`, 200, [open], 'docs example merge request, as created by run 1');
    h.serve('GET', `${BASE}/repository/commits/${String(open['sha'])}/statuses`, 200, [], 'empty list (no statuses)');
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
