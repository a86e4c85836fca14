/**
 * The forge and Git workspace `patchward propose` talks to, from its options. Gitea/Forgejo over
 * its API; the others as their edges land (`controller/edges/forge/`). The token comes from
 * `--token-file` or `PATCHWARD_FORGE_TOKEN` and is never printed.
 */
import { readFile } from 'node:fs/promises';
import { GiteaForge } from '../../edges/forge/gitea/gitea-forge.js';
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

export async function connectForge(options: ForgeOptions): Promise<ForgeConnection> {
  if (options.kind !== 'gitea')
    throw new ForgeOptionProblem(
      `--forge ${options.kind} is not available in this build yet (gitea is); use --dry-run without --forge to preview`,
    );
  if (options.repository === undefined || !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(options.repository))
    throw new ForgeOptionProblem('--repository OWNER/NAME is required with --forge gitea');
  if (options.apiUrl === undefined || !/^https?:\/\//.test(options.apiUrl))
    throw new ForgeOptionProblem('--api-url URL (http or https) is required with --forge gitea');
  const token = await readToken(options);
  const root = options.apiUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  const forge = new GiteaForge({ apiUrl: root, repository: options.repository, token, logger: options.logger });
  const workspace = await GitWorkspace.open({
    remoteUrl: `${root}/${options.repository}.git`,
    workDir: options.workDir,
    // Gitea authenticates a Basic password that is an access token as the token's owner.
    credentials: { username: 'patchward', password: token },
    author: { name: 'patchward', email: 'patchward@localhost' },
    logger: options.logger,
    env: { ...options.env },
  });
  return { forge, workspace };
}
