import { redactFields, scrubbingDestination } from './log-redaction.js';
import { pino, type Logger, type LoggerOptions } from 'pino';
import { stripCredentials } from './errors.js';

export type { Logger };

/** Paths whose values never reach a log line (STYLE.md §6); `log-redaction.ts` covers every other depth. */
export const REDACTED_PATHS = [
  'token',
  'password',
  'passphrase',
  'privateKey',
  'authorization',
  '*.token',
  '*.password',
  '*.passphrase',
  '*.privateKey',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
];

export interface LoggerSettings {
  readonly level: string;
  /** Where lines go; defaults to stderr so that command output on stdout stays machine-readable. */
  readonly destination?: NodeJS.WritableStream;
}

/** Levels at which error stacks are logged; above them an error is its type, code and message. */
const STACK_LEVELS = new Set(['debug', 'trace']);

/**
 * The `err` serializer: credentials stripped from the message, and the stack (and the causes'
 * stacks) only at debug or trace, so that a default-level error line is one readable record.
 */
export function errorSerializer(level: string): (error: unknown) => unknown {
  const withStack = STACK_LEVELS.has(level);
  const serialize = (error: unknown, depth: number): unknown => {
    if (!(error instanceof Error)) return typeof error === 'string' ? stripCredentials(error) : error;
    const fields = error as Error & { code?: unknown; kind?: unknown; context?: unknown };
    return {
      type: error.name,
      message: stripCredentials(error.message),
      ...(fields.code === undefined ? {} : { code: fields.code }),
      ...(fields.kind === undefined ? {} : { kind: fields.kind }),
      ...(fields.context === undefined ? {} : { context: fields.context }),
      ...(withStack && error.stack !== undefined ? { stack: stripCredentials(error.stack) } : {}),
      ...(error.cause === undefined || depth >= 4 ? {} : { cause: serialize(error.cause, depth + 1) }),
    };
  };
  return (error) => serialize(error, 0);
}

/** Builds the root logger. Only `main.ts` and the CLI entry call this; everything else gets a child. */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { app: 'patchward' },
    // Secrets at any depth by field name, Secret objects' data, raw bytes (redact below covers fixed paths only).
    formatters: { log: redactFields },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: errorSerializer(settings.level) },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  // Every finished line is scrubbed of private key blocks and URL credentials, whichever field carries them.
  return pino(options, scrubbingDestination(settings.destination ?? process.stderr) as pino.DestinationStream);
}
