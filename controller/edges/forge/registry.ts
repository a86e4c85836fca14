/**
 * THE forge registry (STYLE.md §2: a registry maps id → factory; instances arrive through
 * constructors; no module state): forge kind → what it takes to talk to it, and `connectForge`,
 * which `patchward propose` (and later `patchward run`, from a PatchRepository's forge settings)
 * calls to get the forge API client and the Git workspace of the policy repository.
 *
 * Per API forge the registry holds the client factory, the HTTPS clone URL of a repository and the
 * Git user name a token goes with over HTTPS; plain Git has no API: its repository IS the remote.
 * The token is passed in (read from a file or the environment by the caller) and never logged.
 */
import type { Logger } from '../../log.js';
import { StalledError } from '../../errors.js';
import type { Forge, ForgeKind } from '../../ports/forge.js';
import { type GitCredentials, GitWorkspace } from '../git/git-workspace.js';
import { GitForge } from './git/git-forge.js';
import { GiteaForge } from './gitea/gitea-forge.js';
import { GithubForge } from './github/github-forge.js';
import { GitlabForge } from './gitlab/gitlab-forge.js';
import type { RetryPolicy } from './http/forge-fetch.js';

export const FORGE_KINDS: readonly ForgeKind[] = ['gitea', 'github', 'gitlab', 'git'];

export type ApiForgeKind = Exclude<ForgeKind, 'git'>;

export interface ForgeSettings {
  readonly kind: ForgeKind;
  /** `owner/name` (GitLab: `group/sub/project`); plain Git: the remote's URL or path. */
  readonly repository?: string;
  /** API base URL; defaults: github `https://api.github.com`, gitlab `https://gitlab.com`; required for gitea. */
  readonly apiUrl?: string;
  /** Required for gitea/github/gitlab; never logged. */
  readonly token?: string;
  /** The proposals' branch prefix (plain Git derives its dashboard branch from it). */
  readonly branchPrefix?: string;
  /** Directory of the clone of the policy repository (created when missing). */
  readonly workDir: string;
  readonly logger: Logger;
  /** Environment for git (PATH, HOME, proxies). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly retry?: RetryPolicy;
  /**
   * Where Git clones from and pushes to, instead of the forge's HTTPS clone URL (a mirror, an SSH
   * URL, a local bare repository in tests). Without credentials.
   */
  readonly cloneUrl?: string;
}

export interface ForgeConnection {
  readonly forge: Forge;
  readonly workspace: GitWorkspace;
}

/** A forge setting that is missing or malformed: a person must fix the call or the PatchRepository. */
export class ForgeSettingsError extends StalledError {
  constructor(message: string) {
    super('forge-settings', message);
  }
}

interface ApiSettings {
  readonly repository: string;
  /** Without trailing `/`. */
  readonly apiUrl: string | undefined;
  readonly token: string;
  readonly logger: Logger;
  readonly retry: RetryPolicy | undefined;
}

interface ApiForgeEntry {
  readonly create: (settings: ApiSettings) => Forge;
  /** HTTPS clone URL (without credentials) of `repository`. */
  readonly cloneUrl: (repository: string, apiUrl: string | undefined) => string;
  /** The HTTP user name that goes with a token for Git over HTTPS. */
  readonly gitUser: string;
}

/** `https://host[/sub]` from an API URL given with or without its version path. */
function webRoot(apiUrl: string, versionPath: RegExp): string {
  return apiUrl.replace(/\/+$/, '').replace(versionPath, '');
}

function need<T>(value: T | undefined, what: string, kind: ForgeKind): T {
  if (value === undefined || value === '') throw new ForgeSettingsError(`forge ${kind} needs ${what}`);
  return value;
}

export const API_FORGES: Readonly<Record<ApiForgeKind, ApiForgeEntry>> = {
  gitea: {
    create: (s) =>
      new GiteaForge({
        apiUrl: need(s.apiUrl, 'an API URL (--api-url URL)', 'gitea'),
        repository: s.repository,
        token: s.token,
        logger: s.logger,
        ...(s.retry === undefined ? {} : { retry: s.retry }),
      }),
    cloneUrl: (repository, apiUrl) => `${webRoot(need(apiUrl, 'an API URL (--api-url URL)', 'gitea'), /\/api\/v1$/)}/${repository}.git`,
    // Gitea authenticates a Basic password that is an access token as the token's owner.
    gitUser: 'patchward',
  },
  github: {
    create: (s) =>
      new GithubForge({
        ...(s.apiUrl === undefined ? {} : { apiUrl: s.apiUrl }),
        repository: s.repository,
        token: s.token,
        logger: s.logger,
        ...(s.retry === undefined ? {} : { retry: s.retry }),
      }),
    cloneUrl: (repository, apiUrl) => {
      const api = new URL(apiUrl ?? 'https://api.github.com');
      // GitHub Enterprise Server: the API is `https://host/api/v3`, the web `https://host`.
      const web = api.hostname === 'api.github.com' ? 'https://github.com' : webRoot(`${api.origin}${api.pathname}`, /\/api\/v3$/);
      return `${web}/${repository}.git`;
    },
    gitUser: 'x-access-token',
  },
  gitlab: {
    create: (s) =>
      new GitlabForge({
        ...(s.apiUrl === undefined ? {} : { apiUrl: webRoot(s.apiUrl, /\/api\/v4$/) }),
        repository: s.repository,
        token: s.token,
        logger: s.logger,
        ...(s.retry === undefined ? {} : { retry: s.retry }),
      }),
    cloneUrl: (repository, apiUrl) => `${webRoot(apiUrl ?? 'https://gitlab.com', /\/api\/v4$/)}/${repository}.git`,
    gitUser: 'oauth2',
  },
};

/** The HTTPS clone URL (without credentials) of `repository` on an API forge. */
export function cloneUrlFor(kind: ApiForgeKind, repository: string, apiUrl?: string): string {
  return API_FORGES[kind].cloneUrl(repository, apiUrl?.replace(/\/+$/, ''));
}

/** Basic-auth credentials for Git over HTTPS with a forge token. */
export function gitCredentialsFor(kind: ApiForgeKind, token: string): GitCredentials {
  return { username: API_FORGES[kind].gitUser, password: token };
}

const AUTHOR = { name: 'patchward', email: 'patchward@localhost' } as const;

function isApiKind(kind: ForgeKind): kind is ApiForgeKind {
  return kind !== 'git';
}

/** Plain Git: `repository` is the remote (URL or path); no token, no forge API, no merging by patchward. */
async function connectPlainGit(settings: ForgeSettings): Promise<ForgeConnection> {
  const remote = settings.cloneUrl ?? settings.repository;
  if (remote === undefined) throw new ForgeSettingsError('--repository URL|PATH (the Git remote) is required with --forge git');
  const workspace = await GitWorkspace.open({
    remoteUrl: remote,
    workDir: settings.workDir,
    author: AUTHOR,
    logger: settings.logger,
    env: { ...settings.env },
  });
  return {
    forge: new GitForge({ workspace, branchPrefix: settings.branchPrefix ?? 'patchward/', logger: settings.logger }),
    workspace,
  };
}

/** The forge API client and a Git workspace holding the policy repository, for `settings.kind`. */
export async function connectForge(settings: ForgeSettings): Promise<ForgeConnection> {
  const { kind } = settings;
  if (!isApiKind(kind)) return connectPlainGit(settings);
  const entry = API_FORGES[kind];
  const repository = settings.repository;
  if (repository === undefined || !/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/.test(repository))
    throw new ForgeSettingsError(`--repository OWNER/NAME is required with --forge ${kind}`);
  if (settings.apiUrl !== undefined && !/^https?:\/\//.test(settings.apiUrl))
    throw new ForgeSettingsError('--api-url must be an http or https URL');
  const token = need(settings.token, 'a token', kind);
  const apiUrl = settings.apiUrl?.replace(/\/+$/, '');
  const forge = entry.create({ repository, apiUrl, token, logger: settings.logger, retry: settings.retry });
  const workspace = await GitWorkspace.open({
    remoteUrl: settings.cloneUrl ?? entry.cloneUrl(repository, apiUrl),
    workDir: settings.workDir,
    credentials: { username: entry.gitUser, password: token },
    author: AUTHOR,
    logger: settings.logger,
    env: { ...settings.env },
  });
  return { forge, workspace };
}
