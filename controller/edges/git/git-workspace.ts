/**
 * Git plumbing shared by every forge (STYLE.md §2: forge HTTP APIs stay apart from Git plumbing):
 * a work directory holding a clone of the policy repository, proposal branches made of ONE commit
 * on top of the default branch, force-pushed with a lease, and reads of files at any ref.
 *
 * Invariants:
 * - the default branch is never pushed or deleted (`GitRefusedError` Stalled `git-default-branch`);
 * - credentials travel in an `http.extraHeader` given per command (never in the remote URL, the
 *   config file, logs or error messages: every error text is scrubbed of them);
 * - remote branches are read from `refs/remotes/origin/*` after `fetch()`; nothing is checked out
 *   except in `commitToBranch`, which leaves a detached, clean work tree behind.
 */
import { mkdir, writeFile, rm } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { ExternalError, StalledError, stripCredentials, TransientError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { checkBranchName, checkPath, checkRefPart } from './git-names.js';

export { checkBranchName } from './git-names.js';

export interface GitCredentials {
  /** `x-access-token` (GitHub), `oauth2` (GitLab), the user's login (Gitea). */
  readonly username: string;
  readonly password: string;
}

export interface GitWorkspaceOptions {
  /** Clone URL WITHOUT credentials (http(s), file path, or ssh). */
  readonly remoteUrl: string;
  /** Directory for the clone; created when missing, reused (and re-fetched) when present. */
  readonly workDir: string;
  readonly credentials?: GitCredentials;
  readonly author: { readonly name: string; readonly email: string };
  readonly logger: Logger;
  /** Environment for git (PATH, HOME, proxies). simple-git refuses GIT_*, EDITOR, PAGER and the like. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface FileChange {
  /** Repository-relative path with `/`; no `..`, not absolute. */
  readonly path: string;
  /** New content, or `null` to delete the file. */
  readonly content: string | null;
}

export interface CommitRequest {
  readonly branch: string;
  /** Branch the commit sits on (usually the default branch). */
  readonly base: string;
  readonly files: readonly FileChange[];
  readonly message: string;
  /**
   * When the branch already carries exactly these file contents but on an older base: `false`
   * (default) keeps it (`unchanged`), `true` recreates the one commit on the current base.
   */
  readonly rebase?: boolean;
}

export type CommitOutcome =
  | { readonly outcome: 'created' | 'updated'; readonly sha: string; readonly previousSha?: string }
  | { readonly outcome: 'unchanged'; readonly sha: string };

export interface Freshness {
  /** The base has commits the branch does not. */
  readonly behind: boolean;
  /** Merging the branch into the base would conflict (`git merge-tree --write-tree`). */
  readonly conflicted: boolean;
}

const KEPT_ENV = [
  'PATH',
  'HOME',
  'LANG',
  'LC_ALL',
  'TMPDIR',
  'TZ',
  'NO_PROXY',
  'no_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
];

export class GitWorkspace {
  readonly workDir: string;
  readonly remoteUrl: string;
  private readonly git: SimpleGit;
  private readonly secrets: readonly string[];
  private readonly log: Logger;
  private readonly author: { readonly name: string; readonly email: string };
  private readonly env: NodeJS.ProcessEnv;
  private defaultBranchName: string | undefined;

  private constructor(options: GitWorkspaceOptions, git: SimpleGit, secrets: readonly string[], env: NodeJS.ProcessEnv) {
    this.env = env;
    this.workDir = options.workDir;
    this.remoteUrl = stripCredentials(options.remoteUrl);
    this.git = git;
    this.secrets = secrets;
    this.log = options.logger.child({ component: 'git', remote: this.remoteUrl });
    this.author = options.author;
  }

  /** Initialises (or reuses) the clone in `workDir` and fetches every branch of the remote. */
  static async open(options: GitWorkspaceOptions): Promise<GitWorkspace> {
    if (stripCredentials(options.remoteUrl) !== options.remoteUrl) {
      throw new StalledError('git-credentials-in-url', 'the Git remote URL must not contain credentials; pass them separately', {
        context: { remote: stripCredentials(options.remoteUrl) },
      });
    }
    await mkdir(options.workDir, { recursive: true });
    const config: string[] = ['advice.detachedHead=false'];
    const secrets: string[] = [];
    if (options.credentials) {
      const basic = Buffer.from(`${options.credentials.username}:${options.credentials.password}`).toString('base64');
      config.push(`http.extraHeader=Authorization: Basic ${basic}`);
      secrets.push(basic, options.credentials.password);
    }
    const source = options.env ?? process.env;
    const env = Object.fromEntries(KEPT_ENV.filter((k) => source[k] !== undefined).map((k) => [k, source[k] as string]));
    const git = simpleGit({ baseDir: options.workDir, config }).env(env);
    const ws = new GitWorkspace(options, git, secrets, env);
    await ws.run('init', async () => {
      if (!existsSync(join(options.workDir, '.git'))) await git.init();
      const remotes = await git.getRemotes();
      if (remotes.some((r) => r.name === 'origin')) await git.remote(['set-url', 'origin', options.remoteUrl]);
      else await git.addRemote('origin', options.remoteUrl);
    });
    await ws.fetch();
    return ws;
  }

  /** Fetches every branch (pruning deleted ones) plus any extra refspecs (e.g. notes). */
  async fetch(extraRefspecs: readonly string[] = []): Promise<void> {
    await this.run('fetch', () =>
      this.git.raw(['fetch', '--prune', '--no-tags', 'origin', '+refs/heads/*:refs/remotes/origin/*', ...extraRefspecs]),
    );
  }

  /** The remote's default branch (`HEAD` symref), cached for the life of this workspace. */
  async defaultBranch(): Promise<string> {
    if (this.defaultBranchName !== undefined) return this.defaultBranchName;
    const out = await this.run('ls-remote', () => this.git.raw(['ls-remote', '--symref', 'origin', 'HEAD']));
    const match = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(out);
    if (!match?.[1])
      throw new ExternalError('git', 'git-no-default-branch', `the remote ${this.remoteUrl} has no default branch (empty repository?)`);
    this.defaultBranchName = match[1];
    return match[1];
  }

  /** SHA of the remote branch as last fetched, or undefined. */
  async branchSha(branch: string): Promise<string | undefined> {
    return this.resolve(`refs/remotes/origin/${checkBranchName(branch)}`);
  }

  /** Remote branches (as last fetched) whose name starts with `prefix`, with their SHAs. */
  async listBranches(prefix = ''): Promise<ReadonlyMap<string, string>> {
    const out = await this.run('for-each-ref', () =>
      this.git.raw(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/remotes/origin/']),
    );
    const all = new Map<string, string>();
    for (const line of out.split('\n')) {
      const [sha, ref] = line.split(' ');
      if (!sha || !ref || ref === 'refs/remotes/origin/HEAD') continue;
      const name = ref.slice('refs/remotes/origin/'.length);
      if (name.startsWith(prefix)) all.set(name, sha);
    }
    return all;
  }

  /** The file's content at `ref` (a remote branch name, or a SHA), or undefined when it does not exist there. */
  async readFile(ref: string, path: string): Promise<string | undefined> {
    const rev = (await this.resolve(`refs/remotes/origin/${ref}`)) ?? (await this.resolve(ref));
    if (rev === undefined) return undefined;
    const exists = await this.git.raw(['ls-tree', '--name-only', rev, '--', checkPath(path)]).catch(() => '');
    if (exists.trim() === '') return undefined;
    return this.run('show', () => this.git.show([`${rev}:${checkPath(path)}`]));
  }

  /**
   * Makes `branch` = ONE commit on top of the remote `base` with `files` applied, locally (push
   * with `pushBranch`). `unchanged` when the remote branch already has exactly these contents on
   * the current base (or on any base, unless `rebase`).
   */
  async commitToBranch(request: CommitRequest): Promise<CommitOutcome> {
    const branch = checkBranchName(request.branch);
    for (const file of request.files) checkPath(file.path);
    const baseSha = await this.branchSha(request.base);
    if (baseSha === undefined)
      throw new ExternalError('git', 'git-no-base', `base branch ${request.base} does not exist on ${this.remoteUrl}`);
    const existing = await this.branchSha(branch);
    if (existing !== undefined && (await this.hasContents(existing, request.files))) {
      const parent = await this.resolve(`${existing}^`);
      if (parent === baseSha || request.rebase !== true) return { outcome: 'unchanged', sha: existing };
    }
    const sha = await this.run('commit', async () => {
      await this.git.raw(['checkout', '--force', '--detach', baseSha]);
      await this.git.raw(['clean', '-ffdx']);
      for (const file of request.files) {
        const target = join(this.workDir, checkPath(file.path));
        if (file.content === null) await rm(target, { force: true });
        else {
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, file.content);
        }
      }
      await this.git.raw(['add', '--all', '--', ...request.files.map((f) => checkPath(f.path))]);
      await this.git.raw([
        '-c',
        `user.name=${this.author.name}`,
        '-c',
        `user.email=${this.author.email}`,
        'commit',
        '--allow-empty',
        '--no-verify',
        '-m',
        request.message,
      ]);
      const head = (await this.git.raw(['rev-parse', 'HEAD'])).trim();
      await this.git.raw(['update-ref', `refs/heads/${branch}`, head]);
      return head;
    });
    this.log.debug({ branch, base: request.base, sha }, 'git commit made');
    return existing === undefined ? { outcome: 'created', sha } : { outcome: 'updated', sha, previousSha: existing };
  }

  /**
   * Force-pushes the local `branch` to the remote, leasing on the SHA last fetched (a concurrent
   * push by someone else makes this fail instead of being overwritten). Never the default branch.
   */
  async pushBranch(branch: string): Promise<void> {
    const name = await this.refuseDefault(branch);
    const lease = (await this.branchSha(name)) ?? '';
    await this.run('push', () =>
      this.git.raw([
        'push',
        '--no-verify',
        `--force-with-lease=refs/heads/${name}:${lease}`,
        'origin',
        `refs/heads/${name}:refs/heads/${name}`,
      ]),
    );
    await this.git.raw(['update-ref', `refs/remotes/origin/${name}`, `refs/heads/${name}`]);
    this.log.info({ branch: name }, 'git branch pushed');
  }

  /** Deletes a remote branch (never the default one); no-op when it does not exist. */
  async deleteRemoteBranch(branch: string): Promise<void> {
    const name = await this.refuseDefault(branch);
    const sha = await this.branchSha(name);
    if (sha === undefined) return;
    await this.run('push', () =>
      this.git.raw(['push', '--no-verify', `--force-with-lease=refs/heads/${name}:${sha}`, 'origin', `:refs/heads/${name}`]),
    );
    await this.git.raw(['update-ref', '-d', `refs/remotes/origin/${name}`]);
  }

  /** Whether `branch` is behind `base` and whether merging it into `base` would conflict. */
  async freshness(branch: string, base: string): Promise<Freshness> {
    const head = await this.branchSha(branch);
    const baseSha = await this.branchSha(base);
    if (head === undefined || baseSha === undefined) {
      throw new ExternalError('git', 'git-no-branch', `branch ${head === undefined ? branch : base} does not exist on ${this.remoteUrl}`);
    }
    const behind = !(await this.isAncestor(baseSha, head));
    // exit 0: merges cleanly, 1: conflicts, other: failure (simple-git hides exit codes without stderr)
    const code = await this.exitCode(['merge-tree', '--write-tree', '--no-messages', baseSha, head]);
    if (code !== 0 && code !== 1)
      throw new ExternalError('git', 'git-command-failed', `git merge-tree failed (exit ${code}) on ${this.remoteUrl}`);
    return { behind, conflicted: code === 1 };
  }

  /** True when commit `ancestor` is reachable from `descendant`. */
  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return (await this.exitCode(['merge-base', '--is-ancestor', ancestor, descendant])) === 0;
  }

  /** Runs a local-only git command (no network, no credentials) and returns its exit code. */
  private async exitCode(args: readonly string[]): Promise<number> {
    return (await this.exec(args)).code;
  }

  private exec(args: readonly string[], input?: string): Promise<{ code: number; stdout: string }> {
    return new Promise((resolve) => {
      const child = execFile('git', [...args], { cwd: this.workDir, env: this.env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout });
      });
      child.stdin?.on('error', () => undefined); // a command that exits before reading its input
      child.stdin?.end(input ?? '');
    });
  }

  /** The note on `sha` under `refs/notes/<notesRef>` (as last fetched or written), or undefined. */
  async readNote(notesRef: string, sha: string): Promise<string | undefined> {
    return this.tryLocal(['notes', `--ref=${checkRefPart(notesRef)}`, 'show', sha]);
  }

  /** Replaces the note on `sha` under `refs/notes/<notesRef>` locally (push with `pushRef`). */
  async writeNote(notesRef: string, sha: string, text: string): Promise<void> {
    await this.run('notes', () =>
      this.git.raw([
        '-c',
        `user.name=${this.author.name}`,
        '-c',
        `user.email=${this.author.email}`,
        'notes',
        `--ref=${checkRefPart(notesRef)}`,
        'add',
        '--force',
        '-m',
        text,
        sha,
      ]),
    );
  }

  /**
   * Pushes `source` (a local ref or SHA) to the remote ref `target` (under `refs/notes/` or
   * `refs/patchward/` only), leasing on `expected` (the remote value last seen; '' = must not exist).
   * A lost lease is Transient: someone else wrote meanwhile, the next run sees it.
   */
  async pushRef(source: string, target: string, expected: string | undefined): Promise<void> {
    if (!/^refs\/(notes|patchward)\//.test(target)) {
      throw new StalledError('git-ref-refused', `patchward pushes only refs/notes/* and refs/patchward/* this way, not ${target}`);
    }
    try {
      await this.git.raw(['push', '--no-verify', `--force-with-lease=${target}:${expected ?? ''}`, 'origin', `${source}:${target}`]);
    } catch (cause) {
      const message = this.scrub(cause instanceof Error ? cause.message : String(cause));
      if (/stale info|rejected|fetch first/i.test(message)) {
        throw new TransientError(
          'git-ref-moved',
          `${target} moved on ${this.remoteUrl} while patchward updated it; retried on the next run`,
          { context: { ref: target } },
        );
      }
      throw new ExternalError(
        'git',
        'git-command-failed',
        `git push ${target} failed on ${this.remoteUrl}: ${message.trim().slice(0, 2000)}`,
        { context: { ref: target } },
      );
    }
  }

  /** Deletes a remote ref under `refs/patchward/`, leasing on `expected`. */
  async deleteRef(target: string, expected: string): Promise<void> {
    if (!target.startsWith('refs/patchward/'))
      throw new StalledError('git-ref-refused', `patchward deletes only refs/patchward/* this way, not ${target}`);
    await this.run('push', () => this.git.raw(['push', '--no-verify', `--force-with-lease=${target}:${expected}`, 'origin', `:${target}`]));
  }

  /** Remote refs under `prefix` (e.g. `refs/patchward/proposals/`) with their SHAs, read live. */
  async remoteRefs(prefix: string): Promise<ReadonlyMap<string, string>> {
    const out = await this.run('ls-remote', () => this.git.raw(['ls-remote', 'origin', `${prefix}*`]));
    const refs = new Map<string, string>();
    for (const line of out.split('\n')) {
      const [sha, ref] = line.split('\t');
      if (sha && ref?.startsWith(prefix)) refs.set(ref, sha);
    }
    return refs;
  }

  /** Resolves a ref or SHA to a commit SHA, or undefined. */
  async resolve(ref: string): Promise<string | undefined> {
    const out = await this.git.raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => '');
    return out.trim() === '' ? undefined : out.trim();
  }

  /**
   * Low-level access for the plain-Git forge (notes, `refs/patchward/*`): runs `git args…` in the
   * work dir with the workspace's credentials; errors are scrubbed and classified as External('git').
   */
  async raw(args: readonly string[]): Promise<string> {
    return this.run(args[0] ?? 'git', () => this.git.raw([...args]));
  }

  /** A local-only command (no network): its stdout, or undefined when it exits non-zero. */
  async tryLocal(args: readonly string[], input?: string): Promise<string | undefined> {
    const { code, stdout } = await this.exec(args, input);
    return code === 0 ? stdout : undefined;
  }

  private async hasContents(sha: string, files: readonly FileChange[]): Promise<boolean> {
    for (const file of files) {
      const now = await this.readFile(sha, file.path);
      if ((now ?? null) !== file.content) return false;
    }
    return true;
  }

  private async refuseDefault(branch: string): Promise<string> {
    const name = checkBranchName(branch);
    if (name === (await this.defaultBranch())) {
      throw new StalledError(
        'git-default-branch',
        `refusing to push or delete the default branch ${name}: patchward only writes proposal branches`,
        {
          context: { branch: name },
        },
      );
    }
    return name;
  }

  private async run<T>(operation: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (cause) {
      const message = this.scrub(cause instanceof Error ? cause.message : String(cause));
      throw new ExternalError(
        'git',
        'git-command-failed',
        `git ${operation} failed on ${this.remoteUrl}: ${message.trim().slice(0, 2000)}`,
        {
          context: { operation, remote: this.remoteUrl },
        },
      );
    }
  }

  /** Removes credentials (raw and base64) and `user:pass@` from a text. */
  scrub(text: string): string {
    let out = stripCredentials(text);
    for (const secret of this.secrets) if (secret !== '') out = out.split(secret).join('[redacted]');
    return out;
  }
}
