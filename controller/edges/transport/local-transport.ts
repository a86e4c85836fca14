import { spawn } from 'node:child_process';
import { ExternalError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { CommandResult, RunOptions, Transport } from '../../ports/transport.js';
import { DEFAULT_MAX_OUTPUT_BYTES, TRANSPORT_ERROR_CODES } from '../../ports/transport.js';
import { isSudoPasswordPrompt, withSudo } from './quote.js';

/**
 * Runs argv on this machine without a shell (`spawn` with an argument array), with the same
 * timeout, stdin and sudo semantics as the SSH transport. Used for tests and for `--local`.
 */
export class LocalTransport implements Transport {
  readonly host: string;
  readonly #logger: Logger | undefined;

  constructor(options: { host?: string; logger?: Logger } = {}) {
    this.host = options.host ?? 'localhost';
    this.#logger = options.logger?.child({ component: 'local-transport', host: this.host });
  }

  run(argv: readonly string[], options: RunOptions): Promise<CommandResult> {
    const full = options.sudo === true ? withSudo(argv) : argv;
    const [program, ...args] = full;
    if (program === undefined || full.some((arg) => arg.includes('\0'))) {
      return Promise.reject(
        new ExternalError('host', TRANSPORT_ERROR_CODES.invalidCommand, 'empty argv or NUL byte in argv', { context: { host: this.host } }),
      );
    }
    const started = performance.now();
    return new Promise<CommandResult>((resolve, reject) => {
      const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'], shell: false });
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      let timedOut = false;
      let overflow: 'stdout' | 'stderr' | undefined;
      const maxOutput = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES;
      const sizes = { stdout: 0, stderr: 0 };
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, options.timeoutMs);
      const collect = (stream: 'stdout' | 'stderr', into: Buffer[]) => (chunk: Buffer) => {
        if (overflow !== undefined) return;
        sizes[stream] += chunk.length;
        if (sizes[stream] > maxOutput) {
          overflow = stream;
          into.length = 0;
          child.kill('SIGKILL');
          return;
        }
        into.push(chunk);
      };
      child.stdout.on('data', collect('stdout', out));
      child.stderr.on('data', collect('stderr', errOut));
      const reply = options.reply;
      if (reply !== undefined) {
        let answered = false;
        child.stdout.on('data', () => {
          if (answered || overflow !== undefined) return;
          const answer = reply(Buffer.concat(out).toString('utf8'));
          if (answer === undefined) return;
          answered = true;
          child.stdin.end(answer);
        });
        child.on('exit', () => {
          if (!child.stdin.writableEnded) child.stdin.end();
        });
      }
      child.stdin.on('error', () => undefined); // EPIPE when the program does not read stdin
      child.on('error', (cause) => {
        clearTimeout(timer);
        reject(
          new ExternalError('host', TRANSPORT_ERROR_CODES.spawnFailed, `cannot start ${program}`, {
            cause,
            context: { host: this.host, program },
          }),
        );
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const durationMs = performance.now() - started;
        const stderr = Buffer.concat(errOut).toString('utf8');
        this.#logger?.debug({ program, exitCode: code, signal, durationMs }, 'local command finished');
        if (overflow !== undefined) {
          reject(
            new ExternalError(
              'host',
              TRANSPORT_ERROR_CODES.outputTooLarge,
              `${program} printed more than ${maxOutput} bytes on ${overflow} (the host-output limit) and was killed`,
              { context: { host: this.host, program, stream: overflow, maxOutputBytes: maxOutput } },
            ),
          );
          return;
        }
        if (timedOut) {
          reject(
            new ExternalError('host', TRANSPORT_ERROR_CODES.commandTimeout, `${program} timed out after ${options.timeoutMs} ms`, {
              context: { host: this.host, program, timeoutMs: options.timeoutMs },
            }),
          );
          return;
        }
        const exitCode = code ?? -1;
        if (options.sudo === true && isSudoPasswordPrompt(exitCode, stderr)) {
          reject(
            new ExternalError('host', TRANSPORT_ERROR_CODES.sudoRequiresPassword, 'sudo -n requires a password', {
              context: { host: this.host, program: argv[0] },
            }),
          );
          return;
        }
        const result: CommandResult = { exitCode, stdout: Buffer.concat(out).toString('utf8'), stderr, durationMs };
        resolve(signal === null ? result : { ...result, signal });
      });
      if (reply === undefined) child.stdin.end(options.stdin ?? '');
    });
  }

  async close(): Promise<void> {}
}
