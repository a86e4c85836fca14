import { isPatchwardError } from '../../errors.js';
import { TRANSPORT_ERROR_CODES } from '../../ports/transport.js';
import { boundedOutput } from '../host-steps/command-output.js';
import type { AttemptResult, HealthTarget } from './health-types.js';

/** Runs argv on the host; exit 0 passes. Unreachable hosts fail the attempt (named), never throw. */
export async function commandAttempt(command: readonly string[], target: HealthTarget, timeoutMs: number): Promise<AttemptResult> {
  const shown = command.join(' ');
  if (target.transport === undefined) return { status: 'fail', signal: { kind: 'command', detail: `no transport to ${target.name}` } };
  try {
    const result = await target.transport.run(command, { timeoutMs, sudo: target.sudo ?? false });
    if (result.exitCode === 0) return { status: 'pass', signal: { kind: 'command', detail: `${shown} exited 0` } };
    const output = boundedOutput(result).split('\n').slice(-3).join(' | ');
    return {
      status: 'fail',
      signal: { kind: 'command', detail: `${shown} exited ${result.exitCode}${output === '' ? '' : `: ${output}`}` },
    };
  } catch (error) {
    if (isPatchwardError(error) && error.code === TRANSPORT_ERROR_CODES.commandTimeout)
      return { status: 'timeout', signal: { kind: 'command', detail: `${shown} did not finish within ${timeoutMs} ms` } };
    const message = error instanceof Error ? error.message : String(error);
    return { status: 'fail', signal: { kind: 'command', detail: `${shown} could not run: ${message}` } };
  }
}
