import { isPatchwardError } from '../../errors.js';
import { TRANSPORT_ERROR_CODES, type Transport } from '../../ports/transport.js';
import { boundedOutput } from './command-output.js';

/** The Ring's `preHook`, narrowed to what running it needs (the timeout already in milliseconds). */
export interface PreHookInput {
  /** argv, run without a shell (the transport quotes it). */
  readonly command: readonly string[];
  readonly timeoutMs: number;
  /** Through `sudo -n` (the host's SSH settings decide). */
  readonly sudo: boolean;
}

/**
 * What the hook did. No decision here: the engine applies the Ring's `onFailure` to `failed` and
 * `onTimeout` to `timed-out`.
 */
export type PreHookOutcome =
  | { readonly outcome: 'ok'; readonly exitCode: 0; readonly output: string; readonly durationMs: number }
  | {
      readonly outcome: 'failed';
      readonly exitCode: number;
      readonly signal?: string;
      readonly output: string;
      readonly durationMs: number;
    }
  | { readonly outcome: 'timed-out'; readonly timeoutMs: number };

/**
 * Runs the preHook on the host. A transport failure other than the timeout (host unreachable,
 * refused key) is thrown as the classified `ExternalError` the transport gives: it is about the
 * host, not about the hook.
 */
export async function runPreHook(transport: Transport, hook: PreHookInput): Promise<PreHookOutcome> {
  try {
    const result = await transport.run(hook.command, { timeoutMs: hook.timeoutMs, sudo: hook.sudo });
    const output = boundedOutput(result);
    if (result.exitCode === 0) return { outcome: 'ok', exitCode: 0, output, durationMs: result.durationMs };
    return {
      outcome: 'failed',
      exitCode: result.exitCode,
      ...(result.signal === undefined ? {} : { signal: result.signal }),
      output,
      durationMs: result.durationMs,
    };
  } catch (error) {
    if (isPatchwardError(error) && error.code === TRANSPORT_ERROR_CODES.commandTimeout)
      return { outcome: 'timed-out', timeoutMs: hook.timeoutMs };
    throw error;
  }
}
