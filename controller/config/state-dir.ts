import { isAbsolute, join, resolve } from 'node:path';

/**
 * The state directory: `--state DIR` when given (relative to `cwd`), else
 * `$XDG_STATE_HOME/patchward` (when XDG_STATE_HOME is an absolute path, as the XDG Base Directory
 * specification requires), else `$HOME/.local/state/patchward`. `env` and `home` are parameters:
 * this module reads no process state.
 */
export function resolveStateDirectory(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  home: string,
): string {
  if (option !== undefined) return resolve(cwd, option);
  const xdg = env['XDG_STATE_HOME'];
  if (xdg !== undefined && xdg !== '' && isAbsolute(xdg)) return join(xdg, 'patchward');
  const base = env['HOME'] !== undefined && env['HOME'] !== '' ? env['HOME'] : home;
  return join(base, '.local', 'state', 'patchward');
}
