/**
 * Forge registry: forge kind → factory (STYLE.md §2: instances arrive through constructors; no
 * module state). Also the two facts the Git plumbing needs per forge: the clone URL of the
 * repository and the HTTP username that goes with a token.
 */
import type { Logger } from '../../log.js';
import type { Forge, ForgeKind } from '../../ports/forge.js';
import type { GitCredentials, GitWorkspace } from '../git/git-workspace.js';
import { GitForge } from './git/git-forge.js';
import { GiteaForge } from './gitea/gitea-forge.js';
import { GithubForge } from './github/github-forge.js';
import { GitlabForge } from './gitlab/gitlab-forge.js';
import type { RetryPolicy } from './http/forge-fetch.js';

export const FORGE_KINDS: readonly ForgeKind[] = ['gitea', 'github', 'gitlab', 'git'];

export interface ForgeSettings {
  readonly kind: ForgeKind;
  /** `owner/name` (GitLab: `group/sub/project`); for plain Git, unused (the workspace's remote is the repository). */
  readonly repository: string;
  /** API base URL; defaults: github `https://api.github.com`, gitlab `https://gitlab.com`; required for gitea. */
  readonly apiUrl?: string;
  /** Required for gitea/github/gitlab; never logged. */
  readonly token?: string;
  /** The proposals' branch prefix (plain Git derives its dashboard branch from it). */
  readonly branchPrefix: string;
  /** The clone of the policy repository; required for plain Git. */
  readonly workspace?: GitWorkspace;
  readonly logger: Logger;
  readonly retry?: RetryPolicy;
}

export type ForgeFactory = (settings: ForgeSettings) => Forge;

function need<T>(value: T | undefined, what: string, kind: ForgeKind): T {
  if (value === undefined || value === '') throw new TypeError(`forge ${kind} needs ${what}`);
  return value;
}

export const FORGE_FACTORIES: Readonly<Record<ForgeKind, ForgeFactory>> = {
  gitea: (s) =>
    new GiteaForge({
      apiUrl: need(s.apiUrl, 'an API URL', s.kind),
      repository: s.repository,
      token: need(s.token, 'a token', s.kind),
      logger: s.logger,
      retry: s.retry,
    }),
  github: (s) =>
    new GithubForge({
      ...(s.apiUrl ? { apiUrl: s.apiUrl } : {}),
      repository: s.repository,
      token: need(s.token, 'a token', s.kind),
      logger: s.logger,
      retry: s.retry,
    }),
  gitlab: (s) =>
    new GitlabForge({
      ...(s.apiUrl ? { apiUrl: s.apiUrl } : {}),
      repository: s.repository,
      token: need(s.token, 'a token', s.kind),
      logger: s.logger,
      retry: s.retry,
    }),
  git: (s) => new GitForge({ workspace: need(s.workspace, 'a Git workspace', s.kind), branchPrefix: s.branchPrefix, logger: s.logger }),
};

export function createForge(settings: ForgeSettings): Forge {
  return FORGE_FACTORIES[settings.kind](settings);
}

/**
 * The HTTPS clone URL (without credentials) of `repository` on an API forge:
 * github `https://github.com/o/r.git` (GHES: the host of `…/api/v3`), gitlab `<host>/<path>.git`,
 * gitea `<host>[/sub-path]/o/r.git`.
 */
export function cloneUrlFor(kind: Exclude<ForgeKind, 'git'>, repository: string, apiUrl?: string): string {
  if (kind === 'github') {
    const api = new URL(apiUrl ?? 'https://api.github.com');
    const web =
      api.hostname === 'api.github.com' ? 'https://github.com' : `${api.protocol}//${api.host}${api.pathname.replace(/\/api\/v3\/?$/, '')}`;
    return `${web.replace(/\/+$/, '')}/${repository}.git`;
  }
  const base = (apiUrl ?? (kind === 'gitlab' ? 'https://gitlab.com' : '')).replace(/\/+$/, '').replace(/\/api\/v[0-9]+$/, '');
  return `${base}/${repository}.git`;
}

/** Basic-auth credentials for Git over HTTPS with a forge token. */
export function gitCredentialsFor(kind: Exclude<ForgeKind, 'git'>, token: string): GitCredentials {
  const username = kind === 'github' ? 'x-access-token' : kind === 'gitlab' ? 'oauth2' : 'patchward';
  return { username, password: token };
}
