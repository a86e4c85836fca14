/**
 * Runs the real `patchward` binary as a child process under GNU time, for tests where memory and
 * hangs matter: exit code, stdout/stderr (each kept up to 1 MiB), and the child's peak resident
 * memory (`Maximum resident set size`). A hang is left to the calling test's own timeout.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** `bin/patchward.js` of this checkout (dist/test/helpers → ../../../bin). */
export const PATCHWARD_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'patchward.js');

export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak resident set size of the child, in MiB. */
  readonly peakMiB: number;
}

export interface ChildOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string>;
  /** Fed to the child's stdin (a generator may produce far more than fits in memory). */
  readonly stdin?: string | AsyncIterable<Buffer> | Iterable<Buffer>;
  /** Run as another user (`setpriv`), e.g. to make a file unreadable for the child. */
  readonly asUid?: number;
}

const KEEP = 1024 * 1024;

function keep(stream: Readable): () => string {
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    if (size < KEEP) chunks.push(chunk);
    size += chunk.length;
  });
  return () => Buffer.concat(chunks).toString('utf8');
}

export async function runPatchwardChild(args: readonly string[], options: ChildOptions = {}): Promise<ChildRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'patchward-time-'));
  const timeFile = path.join(dir, 'time.txt');
  const prefix =
    options.asUid === undefined ? [] : ['setpriv', `--reuid=${options.asUid}`, `--regid=${options.asUid}`, '--clear-groups', '--'];
  const argv = [...prefix, process.execPath, PATCHWARD_BIN, ...args];
  const child = spawn('/usr/bin/time', ['-v', '-o', timeFile, ...argv], {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stdout = keep(child.stdout);
  const stderr = keep(child.stderr);
  child.stdin.on('error', () => undefined); // the child may exit before reading all of its input
  const feed = async (): Promise<void> => {
    const input = options.stdin;
    if (input === undefined) {
      child.stdin.end();
      return;
    }
    if (typeof input === 'string') {
      child.stdin.end(input);
      return;
    }
    for await (const chunk of input) {
      if (child.stdin.destroyed || child.exitCode !== null) return;
      if (!child.stdin.write(chunk))
        await new Promise<void>((resolve) => {
          child.stdin.once('drain', resolve);
          child.once('close', resolve);
        });
    }
    child.stdin.end();
  };
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  void feed();
  const { code, signal } = await closed;
  const report = readFileSync(timeFile, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  const rss = /Maximum resident set size \(kbytes\): ([0-9]+)/.exec(report);
  // GNU time reports "Command exited with non-zero status N" and passes the code on.
  return { code, signal, stdout: stdout(), stderr: stderr(), peakMiB: rss === null ? Number.NaN : Number(rss[1]) / 1024 };
}

/** True when text holds a JavaScript stack trace line. */
export function hasStackTrace(text: string): boolean {
  return /\n\s+at .+(\(|:[0-9]+:[0-9]+)/.test(text);
}
