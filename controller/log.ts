import { redactFields, scrubbingDestination } from './log-redaction.js';
import { pino, type Logger, type LoggerOptions } from 'pino';

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

/** Builds the root logger. Only `main.ts` and the CLI entry call this; everything else gets a child. */
export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    base: { app: 'patchward' },
    // Secrets at any depth by field name, Secret objects' data, raw bytes (redact below covers fixed paths only).
    formatters: { log: redactFields },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  // Every finished line is scrubbed of private key blocks and URL credentials, whichever field carries them.
  return pino(options, scrubbingDestination(settings.destination ?? process.stderr) as pino.DestinationStream);
}
