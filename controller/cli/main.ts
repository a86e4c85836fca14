import process from 'node:process';
import { createLogger } from '../log.js';
import { runCli } from './index.js';

/** True for the error a write gets when the reader went away (`patchward … | head`). */
function isBrokenPipe(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EPIPE';
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Takes `--log-level LEVEL` (anywhere in argv) out of argv; the level or a message. */
export function splitLogLevel(argv: readonly string[], fallback: string): { level: string; rest: string[] } | string {
  const rest: string[] = [];
  let level = fallback;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--') {
      rest.push(...argv.slice(index));
      break;
    }
    if (arg === '--log-level' || arg.startsWith('--log-level=')) {
      const value = arg === '--log-level' ? argv[++index] : arg.slice('--log-level='.length);
      if (value === undefined || !LOG_LEVELS.includes(value))
        return `--log-level must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(value ?? '')}`;
      level = value;
    } else rest.push(arg);
  }
  return { level, rest };
}

/** Process entry for the `patchward` binary: the only place that touches process state. */
export async function main(): Promise<void> {
  // A closed pipe on stdout is not a failure of ours: stop quietly, like other Unix tools.
  process.stdout.on('error', (error: unknown) => {
    if (isBrokenPipe(error)) process.exit(0);
    throw error;
  });
  const split = splitLogLevel(process.argv.slice(2), process.env['PATCHWARD_LOG_LEVEL'] ?? 'warn');
  if (typeof split === 'string') {
    process.stderr.write(`patchward: ${split}\n`);
    process.exitCode = 2;
    return;
  }
  const logger = createLogger({ level: LOG_LEVELS.includes(split.level) ? split.level : 'warn' });
  const code = await runCli(split.rest, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    logger,
  });
  process.exitCode = code;
}
