/**
 * The one forge registry: settings problems are Stalled `forge-settings` errors naming the option;
 * every kind connects (plain Git against a real bare repository; the API forges' end-to-end runs
 * are in test/unit/reconcile/propose/api-forge-propose.test.ts).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pino } from 'pino';
import { API_FORGES, cloneUrlFor, connectForge, FORGE_KINDS, ForgeSettingsError } from '../../../../controller/edges/forge/registry.js';

const logger = pino({ level: 'silent' });
const ENV = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: tmpdir(), GIT_CONFIG_NOSYSTEM: '1' };

describe('forge registry', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'pw-registry-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('has an entry for every API forge kind and plain Git', () => {
    assert.deepEqual(Object.keys(API_FORGES).sort(), FORGE_KINDS.filter((kind) => kind !== 'git').sort());
  });

  const refused: [string, Parameters<typeof connectForge>[0], RegExp][] = [
    ['gitea without an API URL', { kind: 'gitea', repository: 'o/r', token: 't', workDir: '', logger }, /gitea needs an API URL/],
    ['github without a repository', { kind: 'github', token: 't', workDir: '', logger }, /--repository OWNER\/NAME is required/],
    ['gitlab with a bad repository', { kind: 'gitlab', repository: 'o', token: 't', workDir: '', logger }, /--repository OWNER\/NAME/],
    ['github without a token', { kind: 'github', repository: 'o/r', workDir: '', logger }, /github needs a token/],
    [
      'an API URL that is not http(s)',
      { kind: 'gitea', repository: 'o/r', apiUrl: 'file:///x', token: 't', workDir: '', logger },
      /http or https/,
    ],
    ['plain Git without a remote', { kind: 'git', workDir: '', logger }, /--repository URL\|PATH/],
  ];
  for (const [name, settings, message] of refused)
    it(`refuses ${name}`, async () => {
      await assert.rejects(connectForge(settings), (error) => {
        assert.ok(error instanceof ForgeSettingsError && error.kind === 'Stalled' && error.code === 'forge-settings', String(error));
        assert.match(error.message, message);
        return true;
      });
    });

  it('clone URLs: API paths are stripped, GitHub Enterprise keeps its host', () => {
    assert.equal(cloneUrlFor('gitlab', 'g/s/p', 'https://gitlab.example/api/v4/'), 'https://gitlab.example/g/s/p.git');
    assert.equal(cloneUrlFor('gitea', 'o/r', 'https://code.example/gitea/api/v1'), 'https://code.example/gitea/o/r.git');
    assert.equal(cloneUrlFor('github', 'o/r', 'http://127.0.0.1:8080'), 'http://127.0.0.1:8080/o/r.git');
  });

  it('plain Git connects to its remote; `cloneUrl` replaces an API forge clone URL', async () => {
    const remote = join(scratch, 'remote.git');
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', remote], { env: ENV });
    const git = await connectForge({ kind: 'git', repository: remote, workDir: join(scratch, 'ws-git'), logger, env: ENV });
    assert.equal(git.forge.kind, 'git');
    assert.equal(git.workspace.remoteUrl, remote);
    const gitea = await connectForge({
      kind: 'gitea',
      repository: 'o/r',
      apiUrl: 'http://127.0.0.1:9/api/v1',
      token: 'secret-token',
      cloneUrl: remote,
      workDir: join(scratch, 'ws-gitea'),
      logger,
      env: ENV,
    });
    assert.equal(gitea.forge.kind, 'gitea');
    assert.equal(gitea.workspace.remoteUrl, remote);
  });
});
