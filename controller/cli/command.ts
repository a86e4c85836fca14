import type { Logger } from '../log.js';

/** What a CLI command may touch. Injected so that tests can capture output and set the env. */
export interface CommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly logger: Logger;
}

/** One `patchward <name>` sub-command. `run` returns the process exit code. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: readonly string[], io: CommandIo): Promise<number>;
}

/** Exit codes shared by all commands. */
export const EXIT = {
  ok: 0,
  /** The input was read and found wanting (invalid policy, vulnerable hosts with --fail-on). */
  findings: 1,
  /** The command was called wrongly or could not run. */
  usage: 2,
} as const;
