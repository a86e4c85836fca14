/**
 * The proposal lifecycle on plain Git (no forge API): the proposal is a branch, a person deleting
 * it is "closed without merge", a person merging it is the approval, the dashboard is a Markdown
 * file on the dashboard branch. Real `git` against a bare repository; the module `patchward run`
 * calls, with the plain-Git forge (controller/edges/forge/git).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { pino } from 'pino';
import type { AdvisoryIndex } from '../../../controller/core/advisory/advisory-index.js';
import type { HostInventory } from '../../../controller/core/inventory/host-inventory.js';
import { DASHBOARD_TITLE, parseMarker } from '../../../controller/core/proposals/index.js';
import { issueFileName } from '../../../controller/edges/forge/git/git-records.js';
import { GitForge } from '../../../controller/edges/forge/git/git-forge.js';
import { GitWorkspace } from '../../../controller/edges/git/git-workspace.js';
import { loadPolicyRepository } from '../../../controller/edges/policy-repo/load.js';
import { type ProposeReport, runPropose } from '../../../controller/reconcile/propose/propose.js';
import { runCliCaptured } from '../../helpers/run-cli.js';
import { advisoryDir, advisoryIndex, createPolicyRemote, gitAsPerson, gitEnv, inventory } from '../../helpers/proposal-repo.js';

const BRANCH = 'patchward/security/PWSA-2026-0001';
const DASHBOARD = 'patchward/_dashboard';
const ENV = gitEnv(tmpdir());

const git = (cwd: string, ...args: string[]) => gitAsPerson(cwd, ENV, ...args);

describe('patchward propose on plain Git', () => {
  const scratch: string[] = [];
  after(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  test('the whole lifecycle of one advisory proposal', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pw-git-propose-'));
    scratch.push(root);
    const { remote, person } = createPolicyRemote(root, ENV, { reviewer: 'alice', team: 'platform' });
    let index: AdvisoryIndex = await advisoryIndex(advisoryDir(join(root, 'adv')));
    let hosts: HostInventory[] = inventory(['web-1', 'web-2']);
    let runs = 0;
    const run = async (): Promise<ProposeReport> => {
      git(person, 'pull', '-q', '--ff-only', 'origin', 'main');
      const loaded = await loadPolicyRepository(person);
      assert.ok(loaded.ok, JSON.stringify(loaded));
      const workspace = await GitWorkspace.open({
        remoteUrl: remote,
        workDir: join(root, `ws-${runs++}`),
        author: { name: 'patchward', email: 'patchward@example.invalid' },
        logger: pino({ level: 'silent' }),
        env: ENV,
      });
      const forge = new GitForge({ workspace, branchPrefix: 'patchward/', logger: pino({ level: 'silent' }) });
      const report = await runPropose(
        { policySet: loaded.value, repositoryPath: '', inventory: hosts, index, now: new Date() },
        { forge, workspace, logger: pino({ level: 'silent' }), dryRun: false },
      );
      assert.deepEqual(report.problems, []);
      return report;
    };
    const head = (ref: string) => git(remote, 'rev-parse', ref);
    const fileAt = (ref: string, path: string) => git(remote, 'show', `${ref}:${path}`);

    // 1. One branch, one commit on main editing the baseline in place; the body is kept in notes.
    const first = await run();
    assert.deepEqual(
      first.proposals.map((p) => [p.key, p.branch, p.action]),
      [['PWSA-2026-0001', BRANCH, 'create']],
    );
    assert.equal(git(remote, 'rev-parse', `${BRANCH}^`), head('main'), 'one commit on top of main');
    assert.match(fileAt(BRANCH, 'baseline.yaml'), /- \{ release: debian-12, name: pw-demo-src, minVersion: 1\.0-2 \}/);
    const mainText = fileAt('main', 'baseline.yaml');
    const branchText = fileAt(BRANCH, 'baseline.yaml');
    assert.equal(branchText.replace(/ {4}- advisory: PWSA-2026-0001\n(?: {6}.*\n)+/, ''), mainText, 'only the approval was inserted');
    const firstHead = head(BRANCH);
    assert.match(git(remote, 'ls-tree', '--name-only', DASHBOARD), /\.md$/m, 'the dashboard file is on the dashboard branch');

    // 2. A second run changes nothing.
    const refsBefore = git(remote, 'for-each-ref', '--format=%(objectname) %(refname)');
    assert.deepEqual(
      (await run()).proposals.map((p) => p.action),
      ['unchanged'],
    );
    assert.equal(git(remote, 'for-each-ref', '--format=%(objectname) %(refname)'), refsBefore, 'no ref moved');

    // 3. More affected hosts: the record (body) is updated, the branch keeps its commit.
    hosts = inventory(['web-1', 'web-2', 'web-3']);
    assert.deepEqual(
      (await run()).proposals.map((p) => p.action),
      ['update'],
    );
    assert.equal(head(BRANCH), firstHead);

    // 4. A person deletes the branch: declined; later runs leave it closed.
    git(person, 'push', '-q', 'origin', `:${BRANCH}`);
    const fourth = await run();
    assert.deepEqual(fourth.proposals, []);
    assert.deepEqual(
      fourth.declined.map((d) => d.key),
      ['PWSA-2026-0001'],
    );
    assert.throws(() => head(BRANCH), 'the branch stays gone');
    assert.deepEqual((await run()).proposals, []);

    // 5. Ticking the box in the dashboard file reconsiders.
    git(person, 'fetch', '-q', 'origin', DASHBOARD);
    git(person, 'checkout', '-q', '-B', 'dash', 'FETCH_HEAD');
    const dashboardFile = issueFileName(DASHBOARD_TITLE);
    const text = readFileSync(join(person, dashboardFile), 'utf8');
    assert.match(text, /- \[ \] <!-- patchward:reconsider /);
    writeFileSync(join(person, dashboardFile), text.replace('- [ ] <!-- patchward:reconsider ', '- [x] <!-- patchward:reconsider '));
    git(person, 'commit', '-qam', 'reconsider');
    git(person, 'push', '-q', 'origin', `HEAD:${DASHBOARD}`);
    git(person, 'checkout', '-q', 'main');
    assert.deepEqual(
      (await run()).proposals.map((p) => p.action),
      ['create'],
    );
    assert.ok(head(BRANCH));
    assert.deepEqual(
      (await run()).proposals.map((p) => p.action),
      ['unchanged'],
    );

    // 6. Declined again; then the advisory gains a newer fixed version: a new proposal.
    git(person, 'push', '-q', 'origin', `:${BRANCH}`);
    assert.deepEqual((await run()).proposals, []);
    index = await advisoryIndex(advisoryDir(join(root, 'adv-newer'), '1.0-3'));
    const sixth = await run();
    assert.deepEqual(
      sixth.proposals.map((p) => p.action),
      ['create'],
    );
    assert.deepEqual(
      parseMarker(sixth.proposals[0]?.body ?? '')?.fixes.map((f) => f.minVersion),
      ['1.0-3'],
    );

    // 7. A person moves main with a conflicting edit of the baseline: the branch is recreated on it.
    const moved = readFileSync(join(person, 'baseline.yaml'), 'utf8').replace(
      '  holds: []   # none\n',
      '    - advisory: DSA-9999-1\n      packages:\n        - { release: debian-12, name: zlib, minVersion: 1:1.2.13.dfsg-1 }\n  holds: []   # none\n',
    );
    writeFileSync(join(person, 'baseline.yaml'), moved);
    git(person, 'commit', '-qam', 'approve DSA-9999-1 by hand');
    git(person, 'push', '-q', 'origin', 'HEAD:main');
    assert.deepEqual(
      (await run()).proposals.map((p) => p.action),
      ['update'],
    );
    assert.equal(git(remote, 'rev-parse', `${BRANCH}^`), head('main'), 'rebased onto the moved main');
    const rebased = fileAt(BRANCH, 'baseline.yaml');
    assert.ok(rebased.includes('advisory: DSA-9999-1') && rebased.includes('advisory: PWSA-2026-0001'));

    // 8. No auto-merge on plain Git (urgentLane.autoMerge is on in this policy): only a person merges.
    const mainBefore = head('main');
    await run();
    assert.equal(head('main'), mainBefore, 'patchward never pushes main');
    git(person, 'fetch', '-q', 'origin', BRANCH);
    git(person, 'merge', '-q', '--no-edit', 'FETCH_HEAD');
    git(person, 'push', '-q', 'origin', 'HEAD:main');
    const done = await run();
    assert.deepEqual(done.proposals, [], 'approved by the merge: nothing left to propose');
    assert.deepEqual(done.declined, []);
  });

  test('patchward propose --forge git: one proposal branch, then nothing to change', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pw-git-propose-cli-'));
    scratch.push(root);
    const { remote, person } = createPolicyRemote(root, ENV, { reviewer: 'alice', team: 'platform' });
    const inventoryFile = join(root, 'inventory.json');
    writeFileSync(
      inventoryFile,
      JSON.stringify({ apiVersion: 'patchward.io/v1alpha1', kind: 'HostInventoryList', items: inventory(['web-1']) }),
    );
    const args = [
      'propose',
      '-f',
      person,
      '--inventory',
      inventoryFile,
      '--advisories',
      advisoryDir(join(root, 'adv')),
      '--forge',
      'git',
      '--repository',
      remote,
      '--output',
      'json',
    ];
    const first = await runCliCaptured(args, { env: ENV });
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(
      (JSON.parse(first.stdout) as ProposeReport).proposals.map((p) => [p.branch, p.action]),
      [[BRANCH, 'create']],
    );
    const refs = git(remote, 'for-each-ref', '--format=%(objectname) %(refname)');
    assert.match(refs, /refs\/heads\/patchward\/security\/PWSA-2026-0001/);
    const second = await runCliCaptured(args, { env: ENV });
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(
      (JSON.parse(second.stdout) as ProposeReport).proposals.map((p) => p.action),
      ['unchanged'],
    );
    assert.equal(git(remote, 'for-each-ref', '--format=%(objectname) %(refname)'), refs);
  });
});
