import { ExternalError } from '../../errors.js';
import { TRANSPORT_ERROR_CODES } from '../../ports/transport.js';

/** Bare words need no quotes in any POSIX shell (and a leading `=` is avoided for zsh). */
const SAFE_WORD = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/;

/**
 * POSIX shell quoting of one argument: safe words stay bare, everything else is wrapped in single
 * quotes with each `'` written as `'\''`. Inside single quotes nothing is special to a POSIX shell
 * (no `$`, backtick, backslash, glob or newline handling), so the shell hands the bytes back as-is.
 * NUL cannot be carried by any shell word and is rejected.
 */
export function quoteArg(arg: string): string {
  if (arg.includes('\0')) {
    throw new ExternalError('host', TRANSPORT_ERROR_CODES.invalidCommand, 'argument contains a NUL byte', {
      context: { length: arg.length },
    });
  }
  if (SAFE_WORD.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/**
 * The ONE function that turns an argument vector into a remote command line (sshd passes it to the
 * user's POSIX login shell). Every SSH command goes through here; nothing is ever concatenated raw.
 */
export function quoteArgv(argv: readonly string[]): string {
  if (argv.length === 0) {
    throw new ExternalError('host', TRANSPORT_ERROR_CODES.invalidCommand, 'empty argument vector');
  }
  return argv.map(quoteArg).join(' ');
}

/** Prefixes an argv with non-interactive sudo: `sudo -n -- argv…` (a prompt fails instead of hanging). */
export function withSudo(argv: readonly string[]): readonly string[] {
  return ['sudo', '-n', '--', ...argv];
}

const SUDO_PASSWORD = /^sudo: (a password is required|a terminal is required|no tty present)/m;

/** True when sudo's stderr says it wanted a password (sudo exits 1 in that case). */
export function isSudoPasswordPrompt(exitCode: number, stderr: string): boolean {
  return exitCode === 1 && SUDO_PASSWORD.test(stderr);
}
