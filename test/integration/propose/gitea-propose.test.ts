/**
 * The proposal lifecycle against the REAL Gitea (test/servers): `patchward propose` makes exactly one
 * PR with the right branch, body, labels and reviewers; a second run changes nothing; more hosts
 * update the body; closing declines it and it stays closed; ticking the dashboard box reconsiders;
 * a newer fixed version opens a new proposal; a moved, conflicting base is handled; auto-merge waits
 * for the required check (branch protection requires `ci/test`) and merges once it is green.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, describe, test } from 'node:test';
import { pino } from 'pino';
import { runCli } from '../../../controller/cli/index.js';
import type { AdvisoryIndex } from '../../../controller/core/advisory/advisory-index.js';
import type { HostInventory } from '../../../controller/core/inventory/host-inventory.js';
import { DASHBOARD_TITLE, parseMarker } from '../../../controller/core/proposals/index.js';
import { GiteaForge } from '../../../controller/edges/forge/gitea/gitea-forge.js';
import { loadPolicyRepository } from '../../../controller/edges/policy-repo/load.js';
import { type ProposeReport, runPropose } from '../../../controller/reconcile/propose/propose.js';
import { createRepoFixture, type GiteaRepoFixture, REQUIRED_CONTEXT } from '../forge/gitea-fixture.js';
import { startGitea, type GiteaServer } from '../../servers/gitea.js';
import { useServer } from '../../servers/use-server.js';
import { advisoryDir, advisoryIndex, BASELINE_YAML, inventory, writePolicyRepo } from '../../helpers/proposal-repo.js';

interface GiteaPull {
  number: number;
  state: string;
  merged: boolean;
  title: string;
  body: string;
  updated_at: string;
  head: { ref: string; sha: string };
  labels: { name: string }[];
  requested_reviewers: { login: string }[] | null;
  requested_reviewers_teams?: { name: string }[] | null;
}

const BRANCH = 'patchward/security/PWSA-2026-0001';

describe('patchward propose on a real Gitea', () => {
  const scratch: string[] = [];
  const { withLogs } = useServer('propose', 'gitea', startGitea);
  after(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  test('the whole lifecycle of one advisory proposal', () =>
    withLogs(async (g) => {
      const fx = await createRepoFixture(g, scratch);
      writePolicyRepo(fx.personDir, { reviewer: fx.reviewer, team: fx.team });
      await fx.person.add('.').commit('policy repository').push('origin', 'main');
      const work = mkdtempSync(join(tmpdir(), 'pw-propose-'));
      scratch.push(work);
      const advisories = advisoryDir(join(work, 'advisories'));
      const inventoryFile = join(work, 'inventory.json');
      writeFileSync(
        inventoryFile,
        JSON.stringify({ apiVersion: 'patchward.io/v1alpha1', kind: 'HostInventoryList', items: inventory(['web-1', 'web-2']) }),
      );
      const tokenFile = join(work, 'token');
      writeFileSync(tokenFile, g.token);

      // 1. The command itself: exactly one PR, right branch, body, labels, reviewers.
      const cli = await runCommand([
        'propose',
        '-f',
        fx.personDir,
        '--advisories',
        advisories,
        '--inventory',
        inventoryFile,
        '--forge',
        'gitea',
        '--repository',
        fx.repository,
        '--api-url',
        g.url,
        '--token-file',
        tokenFile,
        '--output',
        'json',
      ]);
      assert.equal(cli.code, 0, cli.stderr);
      assert.ok(!cli.stdout.includes(g.token) && !cli.stderr.includes(g.token), 'the token is never printed');
      const first = JSON.parse(cli.stdout) as ProposeReport;
      assert.deepEqual(
        first.proposals.map((p) => [p.key, p.branch, p.action]),
        [['PWSA-2026-0001', BRANCH, 'create']],
      );
      let pulls = await listPulls(g, fx);
      assert.equal(pulls.length, 1);
      const pr = pulls[0] as GiteaPull;
      assert.equal(pr.head.ref, BRANCH);
      assert.equal(pr.state, 'open');
      assert.equal(pr.title, 'Urgent: approve PWSA-2026-0001 (critical): pw-demo-src');
      assert.deepEqual(pr.labels.map((l) => l.name).sort(), ['patchward', 'security', 'urgent']);
      const single = (await g.api<GiteaPull>('GET', `/repos/${fx.repository}/pulls/${pr.number}`)).body;
      assert.deepEqual(
        (single.requested_reviewers ?? []).map((r) => r.login),
        [fx.reviewer],
      );
      assert.deepEqual(
        (single.requested_reviewers_teams ?? []).map((t) => t.name),
        [fx.team],
      );
      assert.match(pr.body, /\| `PWSA-2026-0001` \| `debian-12` \| `pw-demo-src` \| `1\.0-1` \| `1\.0-2` \|/);
      assert.match(pr.body, /<details><summary>Affected hosts \(2\)<\/summary>/);
      assert.deepEqual(parseMarker(pr.body)?.fixes, [
        { advisory: 'PWSA-2026-0001', release: 'debian-12', package: 'pw-demo-src', minVersion: '1.0-2' },
      ]);
      const onBranch = await fileOn(g, fx, BRANCH, 'baseline.yaml');
      assert.ok(
        onBranch.startsWith(BASELINE_YAML.slice(0, BASELINE_YAML.indexOf('  holds: []'))),
        'the rest of the file is byte-identical',
      );
      assert.match(onBranch, /- \{ release: debian-12, name: glibc, minVersion: 2\.36-9\+deb12u3 \}\n {4}- advisory: PWSA-2026-0001\n/);
      assert.ok(onBranch.endsWith('  holds: []   # none\n'));
      const dashboard = await dashboardIssue(g, fx);
      assert.match(dashboard.body, /## Open proposals\n\n- \[#\d+\]/);

      // From here on the module the controller calls, with the same forge and a fresh clone each run.
      const policyDir = fx.personDir;
      let index = await advisoryIndex(advisories);
      let hosts = inventory(['web-1', 'web-2']);
      const run = async (now = new Date()) => runOnce(g, fx, policyDir, hosts, index, now);

      // 2. A second run changes nothing: no new commit, no write.
      const second = await run();
      assert.deepEqual(
        second.proposals.map((p) => p.action),
        ['unchanged'],
      );
      pulls = await listPulls(g, fx);
      assert.equal(pulls.length, 1);
      assert.equal(pulls[0]?.head.sha, pr.head.sha);
      assert.equal(pulls[0]?.updated_at, pr.updated_at);
      assert.equal(pulls[0]?.body, pr.body);
      assert.equal((await dashboardIssue(g, fx)).body, dashboard.body, 'the dashboard is not rewritten either');

      // 3. More affected hosts: the same PR is updated in place.
      hosts = inventory(['web-1', 'web-2', 'web-3']);
      const third = await run();
      assert.deepEqual(
        third.proposals.map((p) => [p.action, p.pullRequest?.number]),
        [['update', pr.number]],
      );
      pulls = await listPulls(g, fx);
      assert.equal(pulls.length, 1);
      assert.match(pulls[0]?.body ?? '', /<details><summary>Affected hosts \(3\)<\/summary>/);
      assert.equal(pulls[0]?.head.sha, pr.head.sha, 'same file content: no new commit');

      // 4. Closing without merge declines it; a later run leaves it closed and opens nothing.
      await g.api('PATCH', `/repos/${fx.repository}/pulls/${pr.number}`, { state: 'closed' });
      const fourth = await run();
      assert.deepEqual(fourth.proposals, []);
      assert.deepEqual(
        fourth.declined.map((d) => [d.key, d.pullRequest]),
        [['PWSA-2026-0001', String(pr.number)]],
      );
      pulls = await listPulls(g, fx, 'all');
      assert.deepEqual(
        pulls.map((p) => [p.number, p.state]),
        [[pr.number, 'closed']],
      );
      let issue = await dashboardIssue(g, fx);
      assert.match(issue.body, new RegExp(`- \\[ \\] <!-- patchward:reconsider ${pr.number} --> Reconsider \\[#${pr.number}\\]`));

      // 5. Ticking the dashboard box reconsiders: a new PR for the same fix.
      await g.api('PATCH', `/repos/${fx.repository}/issues/${issue.number}`, {
        body: issue.body.replace(`- [ ] <!-- patchward:reconsider ${pr.number} -->`, `- [x] <!-- patchward:reconsider ${pr.number} -->`),
      });
      const fifth = await run();
      assert.deepEqual(
        fifth.proposals.map((p) => p.action),
        ['create'],
      );
      pulls = await listPulls(g, fx, 'all');
      const reconsidered = pulls.find((p) => p.state === 'open');
      assert.ok(reconsidered !== undefined && reconsidered.number !== pr.number);
      issue = await dashboardIssue(g, fx);
      assert.doesNotMatch(issue.body, /patchward:reconsider/, 'the box is gone once the new PR is open');
      assert.equal((await run()).proposals[0]?.action, 'unchanged', 'the reconsideration sticks');

      // 6. Declined again, then the advisory gains a newer fixed version: a new proposal.
      await g.api('PATCH', `/repos/${fx.repository}/pulls/${reconsidered.number}`, { state: 'closed' });
      assert.deepEqual((await run()).proposals, []);
      index = await advisoryIndex(advisoryDir(join(work, 'advisories-newer'), '1.0-3'));
      const sixth = await run();
      assert.deepEqual(
        sixth.proposals.map((p) => p.action),
        ['create'],
      );
      pulls = await listPulls(g, fx);
      assert.equal(pulls.length, 1);
      const newer = pulls[0] as GiteaPull;
      assert.deepEqual(
        parseMarker(newer.body)?.fixes.map((f) => f.minVersion),
        ['1.0-3'],
      );

      // 7. Someone moves main with a conflicting edit of the baseline: the branch is recreated on it.
      const moved = readFileSync(join(fx.personDir, 'baseline.yaml'), 'utf8').replace(
        '  holds: []   # none\n',
        '    - advisory: DSA-9999-1\n      packages:\n        - { release: debian-12, name: zlib, minVersion: 1:1.2.13.dfsg-1 }\n  holds: []   # none\n',
      );
      writeFileSync(join(fx.personDir, 'baseline.yaml'), moved);
      await fx.person.add('.').commit('approve DSA-9999-1 by hand').push('origin', 'main');
      const seventh = await run();
      assert.deepEqual(
        seventh.proposals.map((p) => [p.action, p.pullRequest?.number]),
        [['update', newer.number]],
      );
      const rebased = await fileOn(g, fx, BRANCH, 'baseline.yaml');
      assert.ok(rebased.includes('advisory: DSA-9999-1') && rebased.includes('advisory: PWSA-2026-0001'), rebased);
      const afterRebase = (await listPulls(g, fx))[0] as GiteaPull;
      assert.notEqual(afterRebase.head.sha, newer.head.sha);

      // 8. Auto-merge (urgent lane, autoMerge: true) waits for the required check, then merges.
      const waiting = await run();
      assert.equal(waiting.proposals[0]?.action, 'unchanged');
      assert.match(waiting.proposals[0]?.autoMerge ?? '', /required checks are pending/);
      assert.deepEqual(waiting.merged, []);
      assert.equal((await listPulls(g, fx))[0]?.merged, false);
      await g.api('POST', `/repos/${fx.repository}/statuses/${afterRebase.head.sha}`, {
        context: REQUIRED_CONTEXT,
        state: 'success',
        description: 'green',
      });
      const merging = await run();
      assert.deepEqual(merging.merged, [String(afterRebase.number)]);
      const final = (await g.api<GiteaPull>('GET', `/repos/${fx.repository}/pulls/${afterRebase.number}`)).body;
      assert.equal(final.merged, true);
      // Approved now: nothing left to propose; the dashboard shows the fix waiting for the nightly window.
      const noon = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1, 12));
      const done = await run(noon);
      assert.deepEqual(done.proposals, []);
      const waitingSection =
        (await dashboardIssue(g, fx)).body.split('## Approved, waiting for a maintenance window')[1]?.split('##')[0] ?? '';
      assert.match(waitingSection, /- `PWSA-2026-0001` in ring `canary`, next window `nightly \d{4}-\d{2}-\d{2}T01:00:00/);
      assert.match(waitingSection, /- `PWSA-2026-0001` in ring `broad`/);
    }));

  test('a grouping change supersedes the advisory PR: closed with a comment naming its successor, never read as a decline', () =>
    withLogs(async (g) => {
      const fx = await createRepoFixture(g, scratch);
      writePolicyRepo(fx.personDir, { reviewer: fx.reviewer, team: fx.team });
      await fx.person.add('.').commit('policy repository').push('origin', 'main');
      const index = await advisoryIndex(advisoryDir(join(fx.personDir, '..', 'adv')));
      const hosts = inventory(['web-1']);
      const first = await runOnce(g, fx, fx.personDir, hosts, index, new Date());
      assert.deepEqual(
        first.proposals.map((p) => p.action),
        ['create'],
      );
      const old = (await listPulls(g, fx))[0] as GiteaPull;
      const policy = readFileSync(join(fx.personDir, 'policy.yaml'), 'utf8').replace(
        '  minSeverity: critical\n',
        '  minSeverity: critical\n  grouping: { by: weekly }\n',
      );
      writeFileSync(join(fx.personDir, 'policy.yaml'), policy);
      await fx.person.add('.').commit('weekly proposals').push('origin', 'main');
      const second = await runOnce(g, fx, fx.personDir, hosts, index, new Date());
      assert.deepEqual(
        second.proposals.map((p) => [p.key, p.action]),
        [['2026-W47', 'create']],
      );
      assert.deepEqual(
        second.closed.map((c) => [c.pullRequest, c.reason]),
        [[String(old.number), 'superseded']],
      );
      const comments = (await g.api<{ body: string }[]>('GET', `/repos/${fx.repository}/issues/${old.number}/comments`)).body;
      assert.deepEqual(
        comments.map((c) => c.body),
        [
          'patchward: superseded by the proposal on branch `patchward/security/2026-W47` (key `2026-W47`), which now carries these advisories.',
        ],
      );
      const third = await runOnce(g, fx, fx.personDir, hosts, index, new Date());
      assert.deepEqual(
        third.proposals.map((p) => p.action),
        ['unchanged'],
      );
      assert.deepEqual(third.declined, []);
      const all = await listPulls(g, fx, 'all');
      assert.deepEqual(all.map((p) => [p.head.ref, p.state]).sort(), [
        ['patchward/security/2026-W47', 'open'],
        ['patchward/security/PWSA-2026-0001', 'closed'],
      ]);
    }));

  test('reviewers added to the policy are requested on the open PR, once', () =>
    withLogs(async (g) => {
      const fx = await createRepoFixture(g, scratch);
      const second = `${fx.reviewer}b`;
      await g.api(
        'POST',
        '/admin/users',
        { username: second, email: `${second}@example.invalid`, password: 'Reviewer-pass-2', must_change_password: false },
        { expect: [201] },
      );
      await g.api('PUT', `/repos/${fx.repository}/collaborators/${second}`, { permission: 'write' }, { expect: [204] });
      writePolicyRepo(fx.personDir, { reviewer: fx.reviewer, team: fx.team });
      await fx.person.add('.').commit('policy repository').push('origin', 'main');
      const index = await advisoryIndex(advisoryDir(join(fx.personDir, '..', 'adv-reviewers')));
      const hosts = inventory(['web-1', 'web-2']);
      const requested = async (number: number) => {
        const pull = (await g.api<GiteaPull>('GET', `/repos/${fx.repository}/pulls/${number}`)).body;
        return (pull.requested_reviewers ?? []).map((r) => r.login).sort();
      };
      const first = await runOnce(g, fx, fx.personDir, hosts, index, new Date());
      assert.deepEqual(
        first.proposals.map((p) => p.action),
        ['create'],
      );
      const [pr] = await listPulls(g, fx);
      assert.ok(pr !== undefined);
      assert.deepEqual(await requested(pr.number), [fx.reviewer]);

      // A person adds a reviewer to the policy: the open PR is updated and the new one requested.
      writeFileSync(
        join(fx.personDir, 'policy.yaml'),
        readFileSync(join(fx.personDir, 'policy.yaml'), 'utf8').replace(
          `reviewers: [${fx.reviewer}]`,
          `reviewers: [${fx.reviewer}, ${second}]`,
        ),
      );
      await fx.person.add('.').commit('policy: a second reviewer').push('origin', 'main');
      const changed = await runOnce(g, fx, fx.personDir, hosts, index, new Date());
      assert.deepEqual(
        changed.proposals.map((p) => p.action),
        ['update'],
      );
      assert.deepEqual(await requested(pr.number), [fx.reviewer, second].sort());
      const updated = (await listPulls(g, fx))[0];
      assert.equal(updated?.head.sha, pr.head.sha, 'no new commit: only the PR changed');
      assert.deepEqual(parseMarker(updated?.body ?? '')?.reviewers, [fx.reviewer, second, `team:${fx.team}`].sort());

      // The next run finds them recorded: nothing is written.
      const again = await runOnce(g, fx, fx.personDir, hosts, index, new Date());
      assert.deepEqual(
        again.proposals.map((p) => p.action),
        ['unchanged'],
      );
      const after = (await listPulls(g, fx))[0];
      assert.equal(after?.updated_at, updated?.updated_at);
      assert.equal(after?.body, updated?.body);
    }));

  test('a host key trusted on first use becomes one pin PR editing the Fleet file in place', () =>
    withLogs(async (g) => {
      const fx = await createRepoFixture(g, scratch);
      writePolicyRepo(fx.personDir, { reviewer: fx.reviewer, team: fx.team });
      await fx.person.add('.').commit('policy repository').push('origin', 'main');
      const loaded = await loadPolicyRepository(fx.personDir);
      assert.ok(loaded.ok);
      const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHoFF5k9oXOCSWwGVdjTmkUbWLDvCg+qihshaPrwceNh';
      const pins = [{ host: 'web-2', key, fingerprint: 'SHA256:test' }];
      const forge = new GiteaForge({ apiUrl: g.url, repository: fx.repository, token: g.token, logger: pino({ level: 'silent' }) });
      const once = async () =>
        runPropose(
          {
            policySet: loaded.value,
            repositoryPath: '',
            inventory: [],
            index: await advisoryIndex(advisoryDir(join(fx.personDir, '..', 'adv'))),
            now: new Date(),
            pins,
          },
          { forge, workspace: await fx.workspace(), logger: pino({ level: 'silent' }), dryRun: false },
        );
      const first = await once();
      assert.deepEqual(
        first.pins.map((p) => [p.host, p.branch, p.action]),
        [['web-2', 'patchward/_pins/web-2', 'create']],
      );
      const fleet = await fileOn(g, fx, 'patchward/_pins/web-2', 'fleet.yaml');
      const before = readFileSync(join(fx.personDir, 'fleet.yaml'), 'utf8');
      const pinned = before.replace(
        'hostKeys: [ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINlHGGaY2kdfov1Q0SNBBDOsiDBDNHlolyBYmyHIxLzd]',
        `hostKeys: [ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINlHGGaY2kdfov1Q0SNBBDOsiDBDNHlolyBYmyHIxLzd, ${key}]`,
      );
      assert.notEqual(pinned, before);
      assert.equal(fleet, pinned, 'only the key was added');
      const pulls = await listPulls(g, fx);
      assert.deepEqual(
        pulls.map((p) => [p.head.ref, p.title]),
        [['patchward/_pins/web-2', 'Pin the SSH host key of web-2']],
      );
      assert.deepEqual(
        (await once()).pins.map((p) => p.action),
        ['unchanged'],
      );
      await g.api('PATCH', `/repos/${fx.repository}/pulls/${pulls[0]?.number}`, { state: 'closed' });
      assert.deepEqual(
        (await once()).pins.map((p) => p.action),
        ['declined'],
      );
      assert.equal((await listPulls(g, fx)).length, 0);
    }));
});

async function runCommand(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: string[] = [];
  const errs: string[] = [];
  stdout.on('data', (chunk) => out.push(String(chunk)));
  stderr.on('data', (chunk) => errs.push(String(chunk)));
  const code = await runCli(args, {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: { PATH: process.env['PATH'] },
    cwd: process.cwd(),
    logger: pino({ level: 'silent' }),
  });
  return { code, stdout: out.join(''), stderr: errs.join('') };
}

async function runOnce(
  g: GiteaServer,
  fx: GiteaRepoFixture,
  policyDir: string,
  hosts: HostInventory[],
  index: AdvisoryIndex,
  now: Date,
): Promise<ProposeReport> {
  await fx.person.pull('origin', 'main');
  const loaded = await loadPolicyRepository(policyDir);
  assert.ok(loaded.ok, JSON.stringify(loaded));
  const forge = new GiteaForge({
    apiUrl: g.url,
    repository: fx.repository,
    token: g.token,
    logger: pino({ level: 'silent' }),
    mergeCheck: { attempts: 40, delayMs: 250 },
  });
  const report = await runPropose(
    { policySet: loaded.value, repositoryPath: '', inventory: hosts, index, now },
    { forge, workspace: await fx.workspace(), logger: pino({ level: 'silent' }), dryRun: false },
  );
  assert.deepEqual(report.problems, []);
  return report;
}

async function listPulls(g: GiteaServer, fx: GiteaRepoFixture, state: 'open' | 'all' = 'open'): Promise<GiteaPull[]> {
  return (await g.api<GiteaPull[]>('GET', `/repos/${fx.repository}/pulls?state=${state}&limit=50`)).body;
}

async function fileOn(g: GiteaServer, fx: GiteaRepoFixture, ref: string, path: string): Promise<string> {
  const response = await g.api<{ content: string }>('GET', `/repos/${fx.repository}/contents/${path}?ref=${encodeURIComponent(ref)}`);
  return Buffer.from(response.body.content, 'base64').toString('utf8');
}

async function dashboardIssue(g: GiteaServer, fx: GiteaRepoFixture): Promise<{ number: number; body: string }> {
  const issues = (
    await g.api<{ number: number; title: string; body: string }[]>('GET', `/repos/${fx.repository}/issues?type=issues&state=open`)
  ).body;
  const found = issues.find((issue) => issue.title === DASHBOARD_TITLE);
  assert.ok(found, 'the patch dashboard issue exists');
  return found;
}
