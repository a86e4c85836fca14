/**
 * What keeps secrets out of log lines, beyond pino's path-based `redact` (which only reaches the
 * paths it lists): `redactFields` censors, at any depth, fields whose names say they hold a secret,
 * the `data`/`stringData` of Kubernetes Secret objects, and raw bytes; `scrubLine` removes private
 * key blocks and URL credentials from the finished line, whatever field or message carries them.
 */
import { stripCredentials } from './errors.js';

export const CENSOR = '[redacted]';

/** Field-name endings (lower case, without `-` and `_`) that mark a secret value. */
const SECRET_NAME_ENDINGS = ['token', 'password', 'passphrase', 'privatekey', 'authorization', 'cookie', 'secret', 'apikey', 'credentials'];

const MAX_DEPTH = 8;

export function isSecretFieldName(name: string): boolean {
  const normalised = name.toLowerCase().replace(/[-_]/g, '');
  return normalised === 'stringdata' || SECRET_NAME_ENDINGS.some((ending) => normalised.endsWith(ending));
}

/**
 * A copy of a log line's fields with secrets censored (pino `formatters.log`). Errors are left to
 * the `err` serializer and the line scrubber; objects deeper than 8 levels are cut.
 */
export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  return redactObject(fields, 0);
}

function redactValue(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Buffer.isBuffer(value) || ArrayBuffer.isView(value)) return `[${value.byteLength} bytes redacted]`;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1));
  if (value instanceof Date || value instanceof Map || value instanceof Set) return value;
  return redactObject(value as Record<string, unknown>, depth + 1);
}

function redactObject(object: Record<string, unknown>, depth: number): Record<string, unknown> {
  const isKubeSecret = object['kind'] === 'Secret';
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(object)) {
    if (isSecretFieldName(name) || (isKubeSecret && name === 'data')) copy[name] = value === undefined ? undefined : CENSOR;
    else copy[name] = redactValue(value, depth);
  }
  return copy;
}

/** A private key block (PEM or OpenSSH), whole or cut off, as it appears in a JSON line (newlines escaped). */
const PRIVATE_KEY_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:(?!-----END)[^"])*(?:-----END [A-Z0-9 ]*PRIVATE KEY-----)?/g;

/** Removes private key blocks and `user:password@` in URLs from one finished log line. */
export function scrubLine(line: string): string {
  return stripCredentials(line.replace(PRIVATE_KEY_BLOCK, `${CENSOR} private key`));
}

/** A destination that scrubs every line before handing it on. */
export function scrubbingDestination(destination: NodeJS.WritableStream): { write(line: string): boolean } {
  return { write: (line: string) => destination.write(scrubLine(line)) };
}
