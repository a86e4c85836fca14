import process from 'node:process';
import { createLogger } from '../log.js';
import { runCli } from './index.js';

/** True for the error a write gets when the reader went away (`patchward … | head`). */
function isBrokenPipe(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'EPIPE';
}

/** Process entry for the `patchward` binary: the only place that touches process state. */
export async function main(): Promise<void> {
  // A closed pipe on stdout is not a failure of ours: stop quietly, like other Unix tools.
  process.stdout.on('error', (error: unknown) => {
    if (isBrokenPipe(error)) process.exit(0);
    throw error;
  });
  const logger = createLogger({ level: process.env['PATCHWARD_LOG_LEVEL'] ?? 'warn' });
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    logger,
  });
  process.exitCode = code;
}
