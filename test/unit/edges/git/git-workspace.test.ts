/**
 * GitWorkspace against real Git: a bare repository on disk plays the remote (a file:// remote is
 * a real Git transport; the Gitea tests cover HTTP with credentials).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { GitWorkspace, checkBranchName } from '../../../../controller/edges/git/git-workspace.js';
import { isPatchwardError } from '../../../../controller/errors.js';

const AUTHOR = { name: 'patchward', email: 'patchward@example.invalid' };

function sh(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: cwd } });
}

describe('GitWorkspace', () => {
  let root: string;
  let remote: string;
  let seed: string;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'pw-git-'));
    remote = join(root, 'remote.git');
    seed = join(root, 'seed');
    execFileSync('git', ['init', '--bare', '--initial-branch=main', remote]);
    execFileSync('git', ['init', '--initial-branch=main', seed]);
    execFileSync('sh', ['-c', 'printf "a: 1\\n" > baseline.yaml && printf "x\\n" > other.txt'], { cwd: seed });
    sh(seed, 'add', '.');
    sh(seed, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-m', 'init');
    sh(seed, 'push', remote, 'main');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const open = (dir: string) =>
    GitWorkspace.open({ remoteUrl: remote, workDir: join(root, dir), author: AUTHOR, logger: pino({ level: 'silent' }) });

  it('makes ONE commit on the default branch, pushes it, and is unchanged the second time', async () => {
    const ws = await open('w1');
    assert.equal(await ws.defaultBranch(), 'main');
    const first = await ws.commitToBranch({
      branch: 'patchward/p/K-1',
      base: 'main',
      files: [{ path: 'baseline.yaml', content: 'a: 2\n' }],
      message: 'approve K-1',
    });
    assert.equal(first.outcome, 'created');
    await ws.pushBranch('patchward/p/K-1');
    const mainSha = sh(remote, 'rev-parse', 'main').trim();
    assert.equal(sh(remote, 'rev-parse', 'patchward/p/K-1^').trim(), mainSha, 'one commit on top of main');
    assert.equal(sh(remote, 'show', 'patchward/p/K-1:baseline.yaml'), 'a: 2\n');
    const again = await (await open('w2')).commitToBranch({
      branch: 'patchward/p/K-1',
      base: 'main',
      files: [{ path: 'baseline.yaml', content: 'a: 2\n' }],
      message: 'approve K-1',
    });
    assert.deepEqual(again, { outcome: 'unchanged', sha: first.sha });
    assert.equal(await ws.readFile('patchward/p/K-1', 'baseline.yaml'), 'a: 2\n');
    assert.equal(await ws.readFile('main', 'missing.yaml'), undefined);
  });

  it('detects behind and conflicted, and rebases when asked', async () => {
    const ws = await open('w3');
    await ws.commitToBranch({
      branch: 'patchward/p/K-2',
      base: 'main',
      files: [{ path: 'baseline.yaml', content: 'a: 3\n' }],
      message: 'K-2',
    });
    await ws.pushBranch('patchward/p/K-2');
    assert.deepEqual(await ws.freshness('patchward/p/K-2', 'main'), { behind: false, conflicted: false });
    // someone else moves main: an unrelated file first (behind, no conflict), then the same line.
    sh(seed, 'pull', '-q', remote, 'main');
    execFileSync('sh', ['-c', 'printf "y\\n" > other.txt'], { cwd: seed });
    sh(seed, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-am', 'other');
    sh(seed, 'push', remote, 'main');
    await ws.fetch();
    assert.deepEqual(await ws.freshness('patchward/p/K-2', 'main'), { behind: true, conflicted: false });
    execFileSync('sh', ['-c', 'printf "a: 9\\n" > baseline.yaml'], { cwd: seed });
    sh(seed, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-am', 'conflicting');
    sh(seed, 'push', remote, 'main');
    await ws.fetch();
    assert.deepEqual(await ws.freshness('patchward/p/K-2', 'main'), { behind: true, conflicted: true });
    const kept = await ws.commitToBranch({
      branch: 'patchward/p/K-2',
      base: 'main',
      files: [{ path: 'baseline.yaml', content: 'a: 3\n' }],
      message: 'K-2',
    });
    assert.equal(kept.outcome, 'unchanged');
    const rebased = await ws.commitToBranch({
      branch: 'patchward/p/K-2',
      base: 'main',
      files: [{ path: 'baseline.yaml', content: 'a: 3\n' }],
      message: 'K-2',
      rebase: true,
    });
    assert.equal(rebased.outcome, 'updated');
    await ws.pushBranch('patchward/p/K-2');
    assert.deepEqual(await ws.freshness('patchward/p/K-2', 'main'), { behind: false, conflicted: false });
  });

  it('never pushes or deletes the default branch', async () => {
    const ws = await open('w4');
    const before = sh(remote, 'rev-parse', 'main').trim();
    await assert.rejects(ws.pushBranch('main'), (e) => isPatchwardError(e) && e.kind === 'Stalled' && e.code === 'git-default-branch');
    await assert.rejects(ws.deleteRemoteBranch('main'), (e) => isPatchwardError(e) && e.code === 'git-default-branch');
    assert.equal(sh(remote, 'rev-parse', 'main').trim(), before);
  });

  it('refuses branch names and paths that are not plain', async () => {
    for (const bad of ['-x', 'refs/heads/x', 'a..b', 'a b', 'a:b', 'x.lock', 'a/.b', '']) {
      assert.throws(
        () => checkBranchName(bad),
        (e) => isPatchwardError(e) && e.code === 'git-bad-branch-name',
        bad,
      );
    }
    const ws = await open('w5');
    for (const path of ['../x', '/etc/passwd', '.git/config', 'a/../../b']) {
      await assert.rejects(
        ws.commitToBranch({ branch: 'patchward/p/bad', base: 'main', files: [{ path, content: 'x' }], message: 'm' }),
        (e) => isPatchwardError(e) && e.code === 'git-bad-path',
        path,
      );
    }
  });

  it('refuses a remote URL that carries credentials', async () => {
    await assert.rejects(
      GitWorkspace.open({
        remoteUrl: 'https://u:s3cret@example.invalid/r.git',
        workDir: join(root, 'w6'),
        author: AUTHOR,
        logger: pino({ level: 'silent' }),
      }),
      (e) => isPatchwardError(e) && e.code === 'git-credentials-in-url' && !e.message.includes('s3cret'),
    );
  });
});
