/**
 * Local-only git commands (no network, no credentials) whose exit code matters: simple-git hides a
 * non-zero exit that prints nothing on stderr (`merge-base --is-ancestor`, `merge-tree`).
 */
import { execFile } from 'node:child_process';

export interface LocalResult {
  readonly code: number;
  readonly stdout: string;
}

export function runLocalGit(cwd: string, env: NodeJS.ProcessEnv, args: readonly string[], input?: string): Promise<LocalResult> {
  return new Promise((resolve) => {
    const child = execFile('git', [...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout });
    });
    child.stdin?.on('error', () => undefined); // a command that exits before reading its input
    child.stdin?.end(input ?? '');
  });
}
