import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { TestServerError } from './errors.js';
import {
  freePort,
  httpRequest,
  logTail,
  loopbackEnv,
  runCommand,
  startProcess,
  stopProcess,
  waitUntil,
  type ManagedProcess,
} from './process.js';
import { createRunDir, removeRunDir } from './run-dir.js';
import { requireDirectory, requireExecutable, serverBinaries } from './versions.js';

export interface GiteaAdmin {
  readonly username: string;
  readonly password: string;
  readonly email: string;
}

export interface GiteaResponse<T> {
  readonly status: number;
  readonly body: T;
}

/** A running Gitea on loopback with sqlite, one site admin and an all-scopes API token. */
export interface GiteaServer {
  /** http://127.0.0.1:<port> (no trailing slash) */
  readonly url: string;
  readonly admin: GiteaAdmin;
  /** API token of the admin (scopes: all); also the password for Git over HTTP. */
  readonly token: string;
  readonly runDir: string;
  readonly logPath: string;
  /**
   * Calls /api/v1<path> as the admin with a JSON body. Throws RequestFailed when the status is
   * not in `expect` (default: any 2xx); the body is parsed JSON, or the raw text when not JSON.
   */
  api<T = unknown>(method: string, path: string, body?: unknown, options?: { expect?: readonly number[] }): Promise<GiteaResponse<T>>;
  /** Clone/push URL with the admin's token as basic-auth password. */
  gitRemote(owner: string, repo: string): string;
  /**
   * Environment for git commands: no proxy for loopback, HOME in the run dir, and no GIT_*
   * variables (simple-git's environment guard rejects them; credentials are in gitRemote()).
   */
  gitEnv(): NodeJS.ProcessEnv;
  logs(lines?: number): string;
  /** Stops `gitea web` (process group, by recorded PID) and removes the run dir. */
  stop(options?: { keepRunDir?: boolean }): Promise<void>;
}

export interface StartGiteaOptions {
  /** Budget for Gitea to become ready (default 90 s). */
  readonly timeoutMs?: number;
}

function appIni(p: {
  workPath: string;
  port: number;
  staticRoot: string;
  runUser: string;
  root: boolean;
  secretKey: string;
  internalToken: string;
  jwtSecret: string;
}): string {
  const url = `http://127.0.0.1:${p.port}/`;
  return `APP_NAME = patchward-test-forge
RUN_MODE = prod
RUN_USER = ${p.runUser}
WORK_PATH = ${p.workPath}
${p.root ? 'I_AM_BEING_UNSAFE_RUNNING_AS_ROOT = true' : ''}

[server]
PROTOCOL = http
HTTP_ADDR = 127.0.0.1
HTTP_PORT = ${p.port}
ROOT_URL = ${url}
LOCAL_ROOT_URL = ${url}
DOMAIN = 127.0.0.1
DISABLE_SSH = true
START_SSH_SERVER = false
OFFLINE_MODE = true
LFS_START_SERVER = false
APP_DATA_PATH = ${p.workPath}/data
STATIC_ROOT_PATH = ${p.staticRoot}

[database]
DB_TYPE = sqlite3
PATH = ${p.workPath}/data/gitea.db
SQLITE_JOURNAL_MODE = WAL

[repository]
ROOT = ${p.workPath}/repos
DEFAULT_BRANCH = main

[security]
INSTALL_LOCK = true
SECRET_KEY = ${p.secretKey}
INTERNAL_TOKEN = ${p.internalToken}
PASSWORD_COMPLEXITY = off

[oauth2]
JWT_SECRET = ${p.jwtSecret}

[service]
DISABLE_REGISTRATION = true
REQUIRE_SIGNIN_VIEW = false

[mailer]
ENABLED = false

[picture]
DISABLE_GRAVATAR = true

[session]
PROVIDER = memory

[indexer]
ISSUE_INDEXER_TYPE = db

[cron.update_checker]
ENABLED = false

[webhook]
ALLOWED_HOST_LIST = loopback

[actions]
ENABLED = false

[log]
MODE = console
LEVEL = Info
`;
}

function isJson(text: string): boolean {
  return /^\s*[[{"]/.test(text);
}

/** Starts Gitea (migrate, admin user, token, then `gitea web`) and waits for /api/healthz. */
export async function startGitea(options: StartGiteaOptions = {}): Promise<GiteaServer> {
  const timeoutMs = options.timeoutMs ?? 90_000;
  const bins = serverBinaries();
  const gitea = requireExecutable(bins.gitea);
  const staticRoot = requireDirectory(bins.giteaAssets);

  const runDir = createRunDir('gitea');
  const workPath = join(runDir, 'gitea');
  const confDir = join(workPath, 'custom', 'conf');
  mkdirSync(confDir, { recursive: true });
  mkdirSync(join(workPath, 'data'), { recursive: true });
  const iniPath = join(confDir, 'app.ini');
  const logPath = join(runDir, 'gitea.log');
  const root = process.getuid?.() === 0;
  const env: NodeJS.ProcessEnv = {
    ...loopbackEnv(),
    GITEA_WORK_DIR: workPath,
    HOME: join(runDir, 'home'),
    ...(root ? { GITEA_I_AM_BEING_UNSAFE_RUNNING_AS_ROOT: 'true' } : {}),
  };
  mkdirSync(env['HOME'] as string);
  const iniParams = {
    workPath,
    staticRoot,
    runUser: userInfo().username,
    root,
    secretKey: randomBytes(32).toString('hex'),
    internalToken: randomBytes(32).toString('hex'),
    jwtSecret: randomBytes(32).toString('base64url'),
  };
  const admin: GiteaAdmin = {
    username: 'patchward-admin',
    password: `Pw-${randomBytes(12).toString('hex')}`,
    email: 'patchward-admin@example.invalid',
  };
  const cli = (args: readonly string[]) =>
    runCommand(gitea, ['--config', iniPath, '--work-path', workPath, ...args], { env, cwd: runDir, timeoutMs });

  let web: ManagedProcess | undefined;
  try {
    let port = await freePort();
    writeFileSync(iniPath, appIni({ ...iniParams, port }));
    await cli(['migrate']);
    await cli([
      'admin',
      'user',
      'create',
      '--admin',
      '--username',
      admin.username,
      '--password',
      admin.password,
      '--email',
      admin.email,
      '--must-change-password=false',
    ]);
    const generated = await cli([
      'admin',
      'user',
      'generate-access-token',
      '--username',
      admin.username,
      '--token-name',
      'patchward-tests',
      '--scopes',
      'all',
      '--raw',
    ]);
    const token = generated.stdout.trim().split('\n').pop()?.trim() ?? '';
    if (!/^[0-9a-f]{40}$/.test(token)) {
      throw new TestServerError('CommandFailed', `gitea generate-access-token printed no token: ${generated.stdout}`, {
        stdout: generated.stdout,
      });
    }

    for (let attempt = 1; ; attempt++) {
      const url = `http://127.0.0.1:${port}`;
      web = startProcess('gitea', gitea, ['--config', iniPath, '--work-path', workPath, 'web'], { logPath, env, cwd: runDir });
      try {
        await waitUntil(
          `gitea ${url}/api/healthz`,
          async () => ((await httpRequest(`${url}/api/healthz`, { timeoutMs: 2_000 })).status === 200 ? true : undefined),
          { timeoutMs, proc: web },
        );
        break;
      } catch (err) {
        await stopProcess(web, 2_000);
        web = undefined;
        if (attempt < 3 && /address already in use/i.test(logTail(logPath, 40))) {
          port = await freePort();
          writeFileSync(iniPath, appIni({ ...iniParams, port }));
          continue;
        }
        throw err;
      }
    }

    const proc = web;
    const url = `http://127.0.0.1:${port}`;
    let stopped = false;
    const server: GiteaServer = {
      url,
      admin,
      token,
      runDir,
      logPath,
      async api<T>(method: string, path: string, body?: unknown, opts: { expect?: readonly number[] } = {}) {
        const res = await httpRequest(`${url}/api/v1${path}`, {
          method,
          headers: {
            Authorization: `token ${token}`,
            Accept: 'application/json',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          timeoutMs: 30_000,
        });
        const ok = opts.expect ? opts.expect.includes(res.status) : res.status >= 200 && res.status < 300;
        if (!ok) {
          throw new TestServerError('RequestFailed', `gitea ${method} ${path} returned ${res.status}: ${res.body.slice(0, 500)}`, {
            method,
            path,
            status: res.status,
            body: res.body,
          });
        }
        const parsed = res.body !== '' && isJson(res.body) ? (JSON.parse(res.body) as T) : (res.body as T);
        return { status: res.status, body: parsed };
      },
      gitRemote(owner, repo) {
        return `http://${encodeURIComponent(admin.username)}:${token}@127.0.0.1:${port}/${owner}/${repo}.git`;
      },
      gitEnv() {
        // An allow-list, not a deny-list: simple-git refuses to run when the environment holds
        // variables that can run programs or redirect config (GIT_*, EDITOR, VISUAL, PAGER,
        // PREFIX, SSH_ASKPASS), and `npm test` itself sets EDITOR=vi.
        const base = loopbackEnv();
        const kept = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'TZ', 'NO_PROXY', 'no_proxy'];
        return Object.fromEntries(kept.filter((key) => base[key] !== undefined).map((key) => [key, base[key]]));
      },
      logs(lines = 80) {
        return `--- ${logPath} (last ${lines} lines)\n${logTail(logPath, lines)}\n`;
      },
      async stop(stopOptions = {}) {
        if (stopped) return;
        stopped = true;
        await stopProcess(proc);
        removeRunDir(runDir, stopOptions.keepRunDir ?? false);
      },
    };
    return server;
  } catch (err) {
    if (web) await stopProcess(web, 2_000);
    removeRunDir(runDir, true);
    if (err instanceof TestServerError) throw err;
    throw new TestServerError('StartFailed', `could not start gitea: ${String(err)}`, { runDir }, { cause: err });
  }
}
