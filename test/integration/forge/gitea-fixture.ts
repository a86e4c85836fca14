/**
 * A policy repository on the real Gitea for the forge tests: an organisation repository (so team
 * reviewers exist), a reviewer user and a team with write access, and branch protection on `main`
 * requiring the status `ci/test` (so "checks green" is Gitea's own gate, admins included).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { simpleGit, type SimpleGit } from 'simple-git';
import { GitWorkspace } from '../../../controller/edges/git/git-workspace.js';
import type { GiteaServer } from '../../servers/gitea.js';
import { uniqueName } from '../../servers/use-server.js';

export const REQUIRED_CONTEXT = 'ci/test';

export interface GiteaRepoFixture {
  readonly org: string;
  readonly repo: string;
  readonly repository: string;
  readonly reviewer: string;
  readonly team: string;
  /** A clone where the test plays a person pushing to `main` (GitWorkspace never does). */
  readonly person: SimpleGit;
  readonly personDir: string;
  workspace(): Promise<GitWorkspace>;
}

export async function createRepoFixture(g: GiteaServer, scratch: string[]): Promise<GiteaRepoFixture> {
  const org = uniqueName('org');
  const repo = uniqueName('policies');
  const reviewer = uniqueName('rev');
  const team = 'security';
  await g.api('POST', '/orgs', { username: org, visibility: 'public' }, { expect: [201] });
  await g.api('POST', `/orgs/${org}/repos`, { name: repo, auto_init: true, default_branch: 'main' }, { expect: [201] });
  await g.api(
    'POST',
    '/admin/users',
    { username: reviewer, email: `${reviewer}@example.invalid`, password: 'Reviewer-pass-1', must_change_password: false },
    { expect: [201] },
  );
  await g.api('PUT', `/repos/${org}/${repo}/collaborators/${reviewer}`, { permission: 'write' }, { expect: [204] });
  const created = await g.api<{ id: number }>(
    'POST',
    `/orgs/${org}/teams`,
    { name: team, permission: 'write', units: ['repo.code', 'repo.pulls', 'repo.issues'] },
    { expect: [201] },
  );
  await g.api('PUT', `/teams/${created.body.id}/members/${reviewer}`, undefined, { expect: [204] });
  await g.api('PUT', `/repos/${org}/${repo}/teams/${team}`, undefined, { expect: [204] });
  await g.api(
    'POST',
    `/repos/${org}/${repo}/branch_protections`,
    {
      rule_name: 'main',
      enable_push: true,
      enable_status_check: true,
      status_check_contexts: [REQUIRED_CONTEXT],
      block_admin_merge_override: true,
    },
    { expect: [201] },
  );

  const personDir = join(mkdtempSync(join(tmpdir(), 'pw-gitea-person-')), 'clone');
  scratch.push(personDir);
  await simpleGit().env(g.gitEnv()).clone(g.gitRemote(org, repo), personDir);
  const person = simpleGit({ baseDir: personDir }).env(g.gitEnv());
  await person.addConfig('user.name', 'A Person').addConfig('user.email', 'person@example.invalid');

  return {
    org,
    repo,
    repository: `${org}/${repo}`,
    reviewer,
    team,
    person,
    personDir,
    async workspace() {
      const workDir = mkdtempSync(join(tmpdir(), 'pw-gitea-ws-'));
      scratch.push(workDir);
      return GitWorkspace.open({
        remoteUrl: `${g.url}/${org}/${repo}.git`,
        workDir,
        credentials: { username: g.admin.username, password: g.token },
        author: { name: 'patchward', email: 'patchward@example.invalid' },
        logger: pino({ level: 'silent' }),
        env: g.gitEnv(),
      });
    },
  };
}
