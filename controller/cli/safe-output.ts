/**
 * What reaches a person's terminal from the CLI: one place that escapes control characters
 * (`terminalSafeLines`) and strips credentials from URLs, and one way to report a failure.
 */
import { Writable } from 'node:stream';
import { terminalSafeLines } from '../core/text/terminal-safe.js';
import { InvalidInputError, isPatchwardError, stripCredentials, UsageError } from '../errors.js';
import type { Logger } from '../log.js';

/** Human text made safe to print: control characters escaped (line feeds kept), credentials stripped. */
export function humanText(text: string): string {
  return terminalSafeLines(stripCredentials(text));
}

/** A stream for human messages (stderr): everything written passes through `humanText`. */
export function humanStream(target: NodeJS.WritableStream): NodeJS.WritableStream {
  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      const text = typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      if (target.write(humanText(text))) callback();
      else target.once('drain', () => callback());
    },
  });
}

/**
 * Reports an error no command handled: its message (never a stack trace; that goes to the log at
 * debug level), prefixed with the command. Expected failures (input, usage, external systems) are
 * PatchwardErrors with a message for people; anything else is a bug and says so.
 */
export function reportFailure(command: string, error: unknown, io: { stderr: NodeJS.WritableStream; logger: Logger }): void {
  const known = isPatchwardError(error);
  const message = error instanceof Error ? error.message : String(error);
  io.logger.error({ err: error, command }, known ? 'command failed' : 'command failed unexpectedly');
  io.stderr.write(
    known
      ? `patchward ${command}: ${message}\n`
      : `patchward ${command}: internal error: ${message} (run with --log-level debug for the stack trace)\n`,
  );
}

/** `node:util` parseArgs refusing the argv (unknown option, missing value …). */
function isParseArgsError(error: unknown): error is TypeError {
  return error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS');
}

/** A named file that does not exist (the message names it). */
function isMissingFile(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error && (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * THE mapping of a command's failure to what a person sees (the exit code is 2 for all): a usage
 * problem (`UsageError`, a refused option) with the command's usage; an input problem
 * (`InvalidInputError`, a missing file) as its message, the error logged at debug; anything else
 * through `reportFailure`.
 */
export function reportCommandFailure(
  command: { readonly name: string; readonly usage: string },
  error: unknown,
  io: { stderr: NodeJS.WritableStream; logger: Logger },
): void {
  if (error instanceof UsageError || isParseArgsError(error)) {
    io.stderr.write(`patchward ${command.name}: ${error.message}\n\n${command.usage}`);
    return;
  }
  if (error instanceof InvalidInputError || isMissingFile(error)) {
    io.stderr.write(`patchward ${command.name}: ${error.message}\n`);
    io.logger.debug({ err: error, command: command.name }, 'command refused its input');
    return;
  }
  reportFailure(command.name, error, io);
}
