import { isPatchwardError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { TRANSPORT_ERROR_CODES, type Transport } from '../../ports/transport.js';
import { boundedOutput } from './command-output.js';

/** The Ring's `reboot.command` default (crds: Ring spec.reboot.command). */
export const DEFAULT_REBOOT_COMMAND: readonly string[] = Object.freeze(['systemctl', 'reboot']);

const BOOT_ID_ARGV = ['cat', '/proc/sys/kernel/random/boot_id'] as const;
const BOOT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface RebootInput {
  /** The Ring's `reboot.command`; default `systemctl reboot`. */
  readonly command?: readonly string[];
  readonly sudo: boolean;
  /** The boot id before the reboot (from the state read); a reboot is confirmed by ANOTHER one. */
  readonly previousBootId: string;
  /** How long the host may take to answer with a new boot id (the Ring's `reboot.timeout`). */
  readonly timeoutMs: number;
  /** Pause between two attempts to reach the host. Default 1 s. */
  readonly pollIntervalMs?: number;
  /** Timeout of the reboot command itself and of each boot-id read. Default 30 s. */
  readonly commandTimeoutMs?: number;
  readonly logger?: Logger;
}

/** What happened. The engine applies the Ring's `reboot.onTimeout` to `timed-out`. */
export type RebootOutcome =
  | { readonly outcome: 'rebooted'; readonly previousBootId: string; readonly bootId: string; readonly waitedMs: number }
  | { readonly outcome: 'timed-out'; readonly previousBootId: string; readonly waitedMs: number; readonly lastError?: string }
  /** The reboot command answered with an error and the host did not go down (e.g. not allowed). */
  | { readonly outcome: 'command-failed'; readonly exitCode: number; readonly output: string };

/** Errors that mean "the host is going down or not back yet": keep waiting. */
const GOING_DOWN: ReadonlySet<string> = new Set([
  TRANSPORT_ERROR_CODES.connectionLost,
  TRANSPORT_ERROR_CODES.connectionRefused,
  TRANSPORT_ERROR_CODES.connectTimeout,
  TRANSPORT_ERROR_CODES.hostUnreachable,
  TRANSPORT_ERROR_CODES.commandTimeout,
]);

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/**
 * Reboots the host with the Ring's command and waits until it answers with a NEW boot id within
 * the timeout. The command may return (systemctl reboot returns at once), be cut off by the host
 * going down, or fail; only a failure that leaves the same boot id answering is `command-failed`.
 * A transport error that is not about reachability (a changed host key, refused authentication)
 * is thrown: a person must look at it.
 */
export async function rebootHost(transport: Transport, input: RebootInput): Promise<RebootOutcome> {
  const commandTimeoutMs = input.commandTimeoutMs ?? 30_000;
  const interval = input.pollIntervalMs ?? 1000;
  const started = Date.now();
  let failedCommand: { exitCode: number; output: string } | undefined;
  try {
    const result = await transport.run(input.command ?? DEFAULT_REBOOT_COMMAND, { timeoutMs: commandTimeoutMs, sudo: input.sudo });
    if (result.exitCode !== 0 && result.signal === undefined) failedCommand = { exitCode: result.exitCode, output: boundedOutput(result) };
  } catch (error) {
    if (!isPatchwardError(error) || !GOING_DOWN.has(error.code)) throw error;
  }
  let lastError: string | undefined;
  for (;;) {
    try {
      const answer = await transport.run(BOOT_ID_ARGV, { timeoutMs: commandTimeoutMs, sudo: false });
      const bootId = answer.stdout.trim();
      if (answer.exitCode === 0 && BOOT_ID.test(bootId) && bootId !== input.previousBootId)
        return { outcome: 'rebooted', previousBootId: input.previousBootId, bootId, waitedMs: Date.now() - started };
      // Still the old boot: a refused command stops here; otherwise the host has not gone down yet.
      if (failedCommand !== undefined && bootId === input.previousBootId) return { outcome: 'command-failed', ...failedCommand };
      lastError = answer.exitCode === 0 ? 'same boot id' : `boot id read exited ${answer.exitCode}`;
    } catch (error) {
      if (!isPatchwardError(error) || !GOING_DOWN.has(error.code)) throw error;
      lastError = error.message;
    }
    const waitedMs = Date.now() - started;
    if (waitedMs >= input.timeoutMs)
      return { outcome: 'timed-out', previousBootId: input.previousBootId, waitedMs, ...(lastError === undefined ? {} : { lastError }) };
    input.logger?.debug({ waitedMs, lastError }, 'waiting for the host to come back');
    await sleep(Math.min(interval, Math.max(0, input.timeoutMs - waitedMs)));
  }
}
