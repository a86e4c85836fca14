/** Pieces shared by the rollout family of commands (rollout, pause, resume, cordon, uncordon, rollback, report). */
import { homedir } from 'node:os';
import { resolveStateDirectory } from '../../config/state-dir.js';
import { isPatchwardError } from '../../errors.js';
import type { CommandIo } from '../command.js';

/** `--state DIR`, else `$XDG_STATE_HOME/patchward`, else `~/.local/state/patchward`. */
export function stateDirOf(io: CommandIo, option: string | undefined): string {
  return resolveStateDirectory(option, io.env, io.cwd, homedir());
}

/** Exit codes of `patchward rollout` (issue 10). */
export const ROLLOUT_EXIT = { complete: 0, failed: 1, usage: 2, halted: 3, waiting: 4 } as const;

export function errorText(error: unknown): string {
  if (isPatchwardError(error)) return `${error.message} (${error.kind}/${error.code})`;
  return error instanceof Error ? error.message : String(error);
}
