import process from 'node:process';
import { createLogger } from '../log.js';
import { runCli } from './index.js';

/** Process entry for the `patchward` binary: the only place that touches process state. */
export async function main(): Promise<void> {
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
