/**
 * The forge and Git workspace the propose step talks to, from a PatchRepository's forge settings
 * (or `patchward propose`'s options): Gitea/Forgejo,
 * GitHub and GitLab over their APIs (`controller/edges/forge/`), Git over HTTPS with the token. The token comes from
 * `tokenFile` (`--token-file`, a mounted Secret) or `PATCHWARD_FORGE_TOKEN`, and is never printed.
 */
import { readFile } from 'node:fs/promises';
import { GitForge } from '../../edges/forge/git/git-forge.js';
import { GiteaForge } from '../../edges/forge/gitea/gitea-forge.js';
import { GithubForge } from '../../edges/forge/github/github-forge.js';
import { GitlabForge } from '../../edges/forge/gitlab/gitlab-forge.js';
import { GitWorkspace } from '../../edges/git/git-workspace.js';
import type { Logger } from '../../log.js';
import type { Forge } from '../../ports/forge.js';

export class ForgeOptionProblem extends Error {}

export interface ForgeOptions {
  readonly kind: string;
  readonly repository?: string;
  readonly apiUrl?: string;
  readonly tokenFile?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly workDir: string;
  readonly logger: Logger;
  /** Plain Git: the proposals' branch prefix (the dashboard branch is `<prefix>_dashboard`). */
  readonly branchPrefix?: string;
}

export interface ForgeConnection {
  readonly forge: Forge;
  readonly workspace: GitWorkspace;
}

async function readToken(options: ForgeOptions): Promise<string> {
  if (options.tokenFile !== undefined) {
    const text = (await readFile(options.tokenFile, 'utf8')).trim();
    if (text === '') throw new ForgeOptionProblem(`${options.tokenFile}: the token file is empty`);
    return text;
  }
  const token = options.env['PATCHWARD_FORGE_TOKEN']?.trim();
  if (token === undefined || token === '')
    throw new ForgeOptionProblem('a forge token is needed: --token-file FILE or PATCHWARD_FORGE_TOKEN');
  return token;
}

/** Forge API client, Git remote (without credentials) and the Git user name the token goes with. */
function forgeFor(options: ForgeOptions, repository: string, token: string): { forge: Forge; remote: string; gitUser: string } {
  const apiUrl = options.apiUrl?.replace(/\/+$/, '');
  switch (options.kind) {
    case 'gitea': {
      if (apiUrl === undefined) throw new ForgeOptionProblem('--api-url URL is required with --forge gitea');
      const root = apiUrl.replace(/\/api\/v1$/, '');
      // Gitea authenticates a Basic password that is an access token as the token's owner.
      return {
        forge: new GiteaForge({ apiUrl: root, repository, token, logger: options.logger }),
        remote: `${root}/${repository}.git`,
        gitUser: 'patchward',
      };
    }
    case 'github': {
      const api = apiUrl ?? 'https://api.github.com';
      const web = api === 'https://api.github.com' ? 'https://github.com' : api.replace(/\/api\/v3$/, '');
      return {
        forge: new GithubForge({ apiUrl: api, repository, token, logger: options.logger }),
        remote: `${web}/${repository}.git`,
        gitUser: 'x-access-token',
      };
    }
    case 'gitlab': {
      const root = (apiUrl ?? 'https://gitlab.com').replace(/\/api\/v4$/, '');
      return {
        forge: new GitlabForge({ apiUrl: root, repository, token, logger: options.logger }),
        remote: `${root}/${repository}.git`,
        gitUser: 'oauth2',
      };
    }
    default:
      throw new ForgeOptionProblem(`--forge ${options.kind} is not available in this build yet; use --dry-run without --forge to preview`);
  }
}

/** Plain Git: `repository` is the remote (URL or path); no token, no forge API, no merging by patchward. */
async function connectPlainGit(options: ForgeOptions): Promise<ForgeConnection> {
  if (options.repository === undefined) throw new ForgeOptionProblem('--repository URL|PATH (the Git remote) is required with --forge git');
  const workspace = await GitWorkspace.open({
    remoteUrl: options.repository,
    workDir: options.workDir,
    author: { name: 'patchward', email: 'patchward@localhost' },
    logger: options.logger,
    env: { ...options.env },
  });
  return { forge: new GitForge({ workspace, branchPrefix: options.branchPrefix ?? 'patchward/', logger: options.logger }), workspace };
}

export async function connectForge(options: ForgeOptions): Promise<ForgeConnection> {
  if (options.kind === 'git') return connectPlainGit(options);
  if (options.repository === undefined || !/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/.test(options.repository))
    throw new ForgeOptionProblem(`--repository OWNER/NAME is required with --forge ${options.kind}`);
  if (options.apiUrl !== undefined && !/^https?:\/\//.test(options.apiUrl))
    throw new ForgeOptionProblem('--api-url must be an http or https URL');
  const token = await readToken(options);
  const { forge, remote, gitUser } = forgeFor(options, options.repository, token);
  const workspace = await GitWorkspace.open({
    remoteUrl: remote,
    workDir: options.workDir,
    credentials: { username: gitUser, password: token },
    author: { name: 'patchward', email: 'patchward@localhost' },
    logger: options.logger,
    env: { ...options.env },
  });
  return { forge, workspace };
}
