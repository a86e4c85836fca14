import { PassThrough, Readable } from 'node:stream';
import type { CommandIo } from '../../controller/cli/command.js';
import { runCli } from '../../controller/cli/index.js';
import { createLogger } from '../../controller/log.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Parsed pino lines the command logged (the real logger configuration, level debug). */
  readonly logs: readonly Record<string, unknown>[];
  /** The log output as written. */
  readonly logText: string;
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return () => Buffer.concat(chunks).toString('utf8');
}

/** Runs `patchward <argv>` in-process with captured output, stdin text and env. */
export async function runCliCaptured(
  argv: readonly string[],
  options: { stdin?: string; env?: Record<string, string | undefined>; cwd?: string } = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const logStream = new PassThrough();
  const readOut = collect(stdout);
  const readErr = collect(stderr);
  const readLog = collect(logStream);
  const io: CommandIo = {
    stdout,
    stderr,
    stdin: Readable.from([options.stdin ?? '']),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    // The real logger configuration (redaction included), at debug so that every line is captured.
    logger: createLogger({ level: 'debug', destination: logStream }),
  };
  const code = await runCli(argv, io);
  const logText = readLog();
  const logs = logText
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { code, stdout: readOut(), stderr: readErr(), logs, logText };
}
