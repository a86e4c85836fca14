import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createServer } from 'node:net';
import { TestServerError } from './errors.js';

/** A server process in its own process group, with stdout and stderr appended to one log file. */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logPath: string;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** Undefined while the process runs. */
  exitInfo(): ExitInfo | undefined;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/*
 * Process groups still running, killed when this Node process exits, so a crashed or interrupted
 * test run does not leave servers behind. This is the only shared state of the helpers: it mirrors
 * real OS state (the children of this process) and is keyed by the PIDs the helpers recorded.
 */
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  options: { logPath: string; env?: NodeJS.ProcessEnv; cwd?: string },
): ManagedProcess {
  const fd = openSync(options.logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true, // own process group: stop() signals the whole group
      stdio: ['ignore', fd, fd],
    });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) {
    throw new TestServerError('StartFailed', `could not spawn ${name} (${command})`, { command, args });
  }
  liveGroups.add(pid);
  let info: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    const done = (code: number | null, signal: NodeJS.Signals | null): void => {
      info ??= { code, signal };
      liveGroups.delete(pid);
      resolve(info);
    };
    child.once('exit', done);
    child.once('error', () => done(null, null));
  });
  child.unref();
  return { name, pid, logPath: options.logPath, exited, exitInfo: () => info };
}

/** SIGTERM to the process group, then SIGKILL after `graceMs`; resolves once the leader exited. */
export async function stopProcess(proc: ManagedProcess, graceMs = 10_000): Promise<ExitInfo> {
  if (proc.exitInfo()) return proc.exitInfo() as ExitInfo;
  signalGroup(proc.pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  const first = await Promise.race([proc.exited, timedOut]);
  clearTimeout(timer);
  if (first === 'timeout') signalGroup(proc.pid, 'SIGKILL');
  const info = await proc.exited;
  signalGroup(proc.pid, 'SIGKILL'); // stragglers of the group (e.g. git hooks of Gitea)
  return info;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** A TCP port that was free on 127.0.0.1 a moment ago (the kernel picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new TestServerError('StartFailed', 'could not read a free port'));
      });
    });
  });
}

export function logTail(path: string, lines = 80): string {
  if (!existsSync(path)) return `(no log at ${path})`;
  const all = readFileSync(path, 'utf8').split('\n');
  return all.slice(-lines).join('\n');
}

/**
 * Polls `probe` every `intervalMs` until it returns a value other than undefined. Fails with
 * StartFailed as soon as `proc` exits, and NotReady after `timeoutMs`; both carry the log tail.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { timeoutMs: number; intervalMs?: number; proc?: ManagedProcess },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    const info = options.proc?.exitInfo();
    if (options.proc && info) {
      throw new TestServerError(
        'StartFailed',
        `${options.proc.name} exited (code ${info.code}, signal ${info.signal}) while waiting for ${what}; ` +
          `log ${options.proc.logPath}:\n${logTail(options.proc.logPath)}`,
        { what, logPath: options.proc.logPath },
      );
    }
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const log = options.proc ? `; log ${options.proc.logPath}:\n${logTail(options.proc.logPath)}` : '';
      throw new TestServerError(
        'NotReady',
        `${what} not ready after ${options.timeoutMs} ms${lastError ? ` (last error: ${String(lastError)})` : ''}${log}`,
        { what },
        { cause: lastError },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 200));
  }
}

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a short helper command; CommandFailed carries its exit code and stderr. */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        env: options.env ?? process.env,
        cwd: options.cwd,
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        if (err) {
          reject(
            new TestServerError(
              'CommandFailed',
              `${command} ${args.join(' ')} failed (exit ${String(err.code)}): ${stderr.trim() || err.message}`,
              { command, args, exitCode: err.code, stderr, stdout },
              { cause: err },
            ),
          );
          return;
        }
        resolve({ stdout, stderr });
      },
    );
  });
}

/** The environment with 127.0.0.1 and localhost added to NO_PROXY, so loopback never goes via a proxy. */
export function loopbackEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const entries = new Set(
    `${base['NO_PROXY'] ?? ''},${base['no_proxy'] ?? ''}`
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
  for (const host of ['127.0.0.1', 'localhost', '::1']) entries.add(host);
  const noProxy = [...entries].join(',');
  return { ...base, NO_PROXY: noProxy, no_proxy: noProxy };
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** One HTTP(S) request without proxies; TLS options are used for https URLs. */
export async function httpRequest(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    ca?: string | Buffer;
    timeoutMs?: number;
  } = {},
): Promise<HttpResponse> {
  const target = new URL(url);
  const mod = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      target,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        ca: options.ca,
        timeout: options.timeoutMs ?? 10_000,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${options.timeoutMs ?? 10_000} ms`)));
    req.on('error', (cause) =>
      reject(new TestServerError('RequestFailed', `${options.method ?? 'GET'} ${url}: ${cause.message}`, { url }, { cause })),
    );
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}
