import type { Client, ClientChannel } from 'ssh2';
import { ExternalError, isPatchwardError, StalledError } from '../../../errors.js';
import type { Logger } from '../../../log.js';
import type { CommandResult, RunOptions, SshTarget, Transport } from '../../../ports/transport.js';
import { TRANSPORT_ERROR_CODES as CODES, DEFAULT_MAX_OUTPUT_BYTES } from '../../../ports/transport.js';
import { isSudoPasswordPrompt, quoteArgv, withSudo } from '../quote.js';
import type { Semaphore } from '../semaphore.js';
import type { SshConnectionPool } from './ssh-connection-pool.js';

/**
 * `Transport` over SSH for one host: argv quoted by `quoteArgv`, the pooled connection reused,
 * reconnected once when it dropped before a command could start (never re-running a command that
 * had started), commands killed at their timeout, and an optional fleet-wide limit on commands.
 */
export class SshTransport implements Transport {
  readonly host: string;
  readonly #target: SshTarget;
  readonly #pool: SshConnectionPool;
  readonly #limit: Semaphore | undefined;
  readonly #logger: Logger;

  constructor(target: SshTarget, pool: SshConnectionPool, options: { logger: Logger; limit?: Semaphore }) {
    this.host = target.name;
    this.#target = target;
    this.#pool = pool;
    this.#limit = options.limit;
    this.#logger = options.logger.child({ component: 'ssh-transport', host: target.name });
  }

  async run(argv: readonly string[], options: RunOptions): Promise<CommandResult> {
    const command = quoteArgv(options.sudo === true ? withSudo(argv) : argv);
    const release = await this.#limit?.acquire();
    try {
      const result = await this.#runWithReconnect(command, options);
      this.#logger.debug(
        { program: argv[0], exitCode: result.exitCode, durationMs: Math.round(result.durationMs) },
        'ssh command finished',
      );
      if (options.sudo === true && isSudoPasswordPrompt(result.exitCode, result.stderr)) {
        throw new StalledError(
          CODES.sudoRequiresPassword,
          `sudo -n on ${this.host} requires a password for ${this.#target.user}; allow the command with NOPASSWD`,
          { context: { host: this.host, user: this.#target.user, program: argv[0] } },
        );
      }
      return result;
    } finally {
      release?.();
    }
  }

  async #runWithReconnect(command: string, options: RunOptions): Promise<CommandResult> {
    for (let attempt = 0; ; attempt++) {
      const lease = await this.#pool.lease(this.#target);
      try {
        return await execOn(lease.client, command, options, this.#target);
      } catch (error) {
        if (attempt === 0 && error instanceof NotStarted) {
          this.#logger.info({ err: error.cause }, 'ssh connection dropped, reconnecting once');
          this.#pool.drop(this.#target, lease.client);
          continue;
        }
        if (error instanceof NotStarted) {
          throw new ExternalError('ssh', CODES.connectionLost, `cannot start a command on ${this.host}: connection lost`, {
            cause: error.cause,
            context: { host: this.host },
          });
        }
        throw error;
      } finally {
        lease.release();
      }
    }
  }

  /** The pool owns connections; closing a transport ends its host's connection (if any). */
  async close(): Promise<void> {
    this.#pool.release(this.#target.name);
  }
}

/** The command could not even start (the connection was gone): safe to retry once. */
class NotStarted extends Error {
  constructor(cause: unknown) {
    super('command not started', { cause });
  }
}

/**
 * Runs `command` on an exec channel of the pooled ssh2 Client, with a timeout that kills it, and
 * decodes each stream once, whole (never chunk by chunk, which would split multi-byte characters).
 */
function execOn(client: Client, command: string, options: RunOptions, target: SshTarget): Promise<CommandResult> {
  const started = performance.now();
  const context = { host: target.name, timeoutMs: options.timeoutMs };
  return new Promise<CommandResult>((resolve, reject) => {
    const onChannel = (raw: Error | undefined, channel: ClientChannel): void => {
      if (raw !== undefined && raw !== null) {
        reject(new NotStarted(raw));
        return;
      }
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      let exitCode: number | null = null;
      let signal: string | undefined;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        sendKill(channel);
        channel.close();
        reject(
          new ExternalError(
            'ssh',
            CODES.commandTimeout,
            `command on ${target.name} timed out after ${options.timeoutMs} ms and was killed`,
            { context },
          ),
        );
      }, options.timeoutMs);
      const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
      const sizes = { stdout: 0, stderr: 0 };
      let overflowed = false;
      const collect = (stream: 'stdout' | 'stderr', into: Buffer[]) => (chunk: Buffer) => {
        if (overflowed || timedOut) return;
        sizes[stream] += chunk.length;
        if (sizes[stream] <= maxOutput) {
          into.push(chunk);
          return;
        }
        overflowed = true;
        into.length = 0;
        clearTimeout(timer);
        sendKill(channel);
        channel.close();
        reject(
          new ExternalError(
            'ssh',
            CODES.outputTooLarge,
            `command on ${target.name} printed more than ${maxOutput} bytes on ${stream} (the host-output limit) and was killed`,
            { context: { ...context, stream, maxOutputBytes: maxOutput } },
          ),
        );
      };
      channel.on('data', collect('stdout', out));
      channel.stderr.on('data', collect('stderr', errOut));
      const reply = options.reply;
      if (reply !== undefined) {
        let answered = false;
        channel.on('data', () => {
          if (answered || overflowed || timedOut) return;
          const answer = reply(Buffer.concat(out).toString('utf8'));
          if (answer === undefined) return;
          answered = true;
          channel.end(answer);
        });
      }
      channel.on('exit', (code: number | null, signalName?: string) => {
        exitCode = code;
        if (signalName !== undefined) signal = signalName;
      });
      channel.on('close', () => {
        clearTimeout(timer);
        if (timedOut || overflowed) return;
        if (exitCode === null && signal === undefined) {
          reject(
            new ExternalError('ssh', CODES.connectionLost, `connection to ${target.name} closed before the command finished`, { context }),
          );
          return;
        }
        const result: CommandResult = {
          exitCode: exitCode ?? -1,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(errOut).toString('utf8'),
          durationMs: performance.now() - started,
        };
        resolve(signal === undefined ? result : { ...result, signal });
      });
      if (reply === undefined) channel.end(options.stdin ?? undefined);
    };
    try {
      client.exec(command, onChannel);
    } catch (raw) {
      reject(isPatchwardError(raw) ? raw : new NotStarted(raw));
    }
  });
}

interface ChannelInternals {
  readonly outgoing?: { readonly id?: number; readonly state?: string };
  readonly _client?: { readonly _protocol?: { signal?: (id: number, name: string) => void } };
}

/**
 * Sends an SSH `signal` request (KILL) for the remote command. ssh2's `channel.signal()` refuses once
 * our side has sent EOF (which we do right away after stdin, or after the reply), so this goes to the protocol object
 * directly. Servers that ignore signal requests still see the channel close right after.
 */
function sendKill(channel: ClientChannel): void {
  const internals = channel as unknown as ChannelInternals;
  const id = internals.outgoing?.id;
  const protocol = internals._client?._protocol;
  if (id === undefined || internals.outgoing?.state !== 'open' || typeof protocol?.signal !== 'function') return;
  try {
    protocol.signal(id, 'KILL');
  } catch {
    // the connection is going away; closing the channel below is what counts
  }
}
