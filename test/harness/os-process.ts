import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { SandboxError } from './errors.js';

/** A process as recorded by the harness: PID plus start time, so a reused PID is never mistaken for it. */
export interface ProcessRecord {
  readonly pid: number;
  /** Field 22 of /proc/<pid>/stat (clock ticks since boot). */
  readonly startTime: string;
}

export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Start time of a live process, undefined when there is none with that PID. */
export function processStartTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

/** True while the recorded process itself (not a later one with its PID) exists and is not a zombie. */
export function isAlive(record: ProcessRecord): boolean {
  const fields = statFields(record.pid);
  return fields !== undefined && fields[19] === record.startTime && fields[0] !== 'Z';
}

/** Reads a "<pid> <start-time>" file written by host-init.sh. */
export function readProcessRecord(path: string): ProcessRecord | undefined {
  if (!existsSync(path)) return undefined;
  const [pid, startTime] = readFileSync(path, 'utf8').trim().split(/\s+/);
  const parsed = Number(pid);
  if (!Number.isInteger(parsed) || parsed <= 1 || startTime === undefined) return undefined;
  return { pid: parsed, startTime };
}

/** Signals the recorded process only if it still is that process. */
export function signalRecorded(record: ProcessRecord, signal: NodeJS.Signals): void {
  if (!isAlive(record)) return;
  try {
    process.kill(record.pid, signal);
  } catch {
    // it ended in between
  }
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** Waits until none of the recorded processes is alive; false on timeout. */
export async function waitGone(records: readonly ProcessRecord[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (records.some(isAlive)) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** PIDs of every process in the PID namespace of `init` (the host's processes, seen from outside). */
export function pidsInNamespaceOf(init: ProcessRecord): number[] {
  if (!isAlive(init)) return [];
  let ns: string;
  try {
    ns = readlinkPidNs(init.pid);
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkPidNs(Number(entry)) === ns) pids.push(Number(entry));
    } catch {
      // gone, or a kernel thread
    }
  }
  return pids;
}

/** "pid:[4026532...]": equal for two processes exactly when they share a PID namespace. */
function readlinkPidNs(pid: number): string {
  return readlinkSync(`/proc/${pid}/ns/pid`);
}

/** Proportional set size (kB) of the given processes, from /proc/<pid>/smaps_rollup. */
export function pssKb(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      const match = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (match?.[1] !== undefined) total += Number(match[1]);
    } catch {
      // gone
    }
  }
  return total;
}

/** Runs a command to completion, collecting its output; never throws for a non-zero exit. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('error', (cause) => {
      if (timer !== undefined) clearTimeout(timer);
      reject(new SandboxError('CommandFailed', `could not run ${command}`, { command, args }, { cause }));
    });
    child.on('close', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Like runCommand, but a non-zero exit is a CommandFailed error carrying stderr. */
export async function runChecked(
  command: string,
  args: readonly string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<string> {
  const result = await runCommand(command, args, options);
  if (result.code !== 0) {
    throw new SandboxError(
      'CommandFailed',
      `${command} ${args.join(' ')} exited ${result.code ?? result.signal}: ${result.stderr.trim()}`,
      {
        command,
        args,
        code: result.code,
        stderr: result.stderr,
      },
    );
  }
  return result.stdout;
}
