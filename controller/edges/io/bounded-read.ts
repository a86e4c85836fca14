/**
 * Bounded reads of untrusted input (issue 9 "Hostile input"). Every read of a file, a line, a
 * response body or an archive goes through here, with a cap per read and a named error:
 *
 * - `readInputFile(path, { limit })`: opens without blocking (`O_NONBLOCK`, so a FIFO cannot hang
 *   the open), refuses anything that is not a regular file (directory, FIFO, socket, device such as
 *   `/dev/zero`), refuses a file larger than the cap before reading it, and stops reading at the cap
 *   (files whose size lies, such as those under /proc).
 * - `readStreamCapped(stream, { limit, readTimeoutMs })`: collects a stream up to the cap, each
 *   read waiting at most `readTimeoutMs` for the next chunk.
 * - `boundedLines(stream, { limit })`: lines of a stream, each at most `limit.bytes` long.
 *
 * Errors are `InputError`s (`InputTooLarge`, `InputNotRegularFile`, `InputUnreadable`,
 * `InputReadTimeout`), each naming the input and the cap. The caps are per read, never a limit on
 * the whole process; defaults are in `READ_LIMITS` and documented in docs/limits.md.
 */
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { StalledError } from '../../errors.js';

/** A cap on one read: its name (as in `--limit NAME=SIZE` and in error messages) and its size. */
export interface ReadLimit {
  readonly name: string;
  readonly bytes: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;

/** Default caps, one per kind of read. Change one with `--limit NAME=SIZE` on the command line. */
export const READ_LIMITS = {
  /** One inventory JSON file (`assess --inventory`); a directory of per-host files scales further. */
  inventoryFile: { name: 'inventory-file', bytes: 256 * MiB },
  /** A policy file given on its own (`--baseline`, `--fleet`); policy repositories use the YAML limits. */
  policyFile: { name: 'policy-file', bytes: 1 * MiB },
  /** The known-exploited catalogue (the real CISA file is about 1.5 MB). */
  kevFile: { name: 'kev-file', bytes: 64 * MiB },
  /** One OSV record: a file of an advisory directory or one entry of a zip archive. */
  record: { name: 'record', bytes: 4 * MiB },
  /** A local advisory zip archive (compressed size). */
  archiveFile: { name: 'archive-file', bytes: 2 * GiB },
  /** The sum of the uncompressed sizes of the entries read from one zip archive. */
  archiveContent: { name: 'archive-content', bytes: 4 * GiB },
  /** One HTTP response body (streamed to the cache directory, not held in memory). */
  httpBody: { name: 'http-body', bytes: 1 * GiB },
  /** A private key file. */
  keyFile: { name: 'key-file', bytes: 1 * MiB },
  /** One line of `vercmp --batch` input. */
  line: { name: 'line', bytes: 64 * KiB },
  /** What one command on a host may print, per stream (stdout, stderr). */
  hostOutput: { name: 'host-output', bytes: 64 * MiB },
} as const satisfies Record<string, ReadLimit>;

export type ReadLimitKey = keyof typeof READ_LIMITS;
export type ReadLimits = { readonly [K in ReadLimitKey]: ReadLimit };

/** Most entries one zip archive may list (osv.dev's largest feeds hold well under 200,000). */
export const MAX_ARCHIVE_ENTRIES = 1_000_000;

export const INPUT_ERROR_CODES = {
  tooLarge: 'InputTooLarge',
  notRegularFile: 'InputNotRegularFile',
  unreadable: 'InputUnreadable',
  readTimeout: 'InputReadTimeout',
} as const;

export type InputErrorCode = (typeof INPUT_ERROR_CODES)[keyof typeof INPUT_ERROR_CODES];

/** An input that cannot be used as given; a person must fix the input (or raise the cap). */
export class InputError extends StalledError {
  readonly input: string;
  constructor(code: InputErrorCode, input: string, message: string, options: { cause?: unknown; limit?: ReadLimit } = {}) {
    super(code, message, {
      ...(options.cause === undefined ? {} : { cause: options.cause }),
      context: { input, ...(options.limit === undefined ? {} : { limit: options.limit.name, limitBytes: options.limit.bytes }) },
    });
    this.input = input;
  }
}

export function isInputError(value: unknown): value is InputError {
  return value instanceof InputError;
}

/** `1.5 MiB`-style rendering for messages. */
export function formatBytes(bytes: number): string {
  const units: readonly [string, number][] = [
    ['GiB', GiB],
    ['MiB', MiB],
    ['KiB', KiB],
  ];
  for (const [unit, size] of units) if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  return `${bytes} bytes`;
}

export function tooLarge(input: string, limit: ReadLimit, what = 'is larger than'): InputError {
  return new InputError(
    INPUT_ERROR_CODES.tooLarge,
    input,
    `${input} ${what} the ${limit.name} limit of ${formatBytes(limit.bytes)} (raise it with --limit ${limit.name}=SIZE)`,
    { limit },
  );
}

/** Parses `SIZE` of `--limit NAME=SIZE`: bytes, or with a unit K/KiB, M/MiB, G/GiB (powers of 1024). */
export function parseSize(text: string): number | undefined {
  const match = /^([0-9]+(?:\.[0-9]+)?)\s*(|b|k|kib|kb|m|mib|mb|g|gib|gb)$/i.exec(text.trim());
  if (match === null) return undefined;
  const unit = (match[2] ?? '').toLowerCase();
  const factor = unit.startsWith('g') ? GiB : unit.startsWith('m') ? MiB : unit.startsWith('k') ? KiB : 1;
  const bytes = Math.floor(Number(match[1]) * factor);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}

/**
 * Applies `--limit NAME=SIZE` values to the defaults. Returns the limits, or a message naming the
 * bad value (unknown name, unreadable size).
 */
export function readLimitsFrom(values: readonly string[] | undefined): ReadLimits | string {
  const limits: Record<string, ReadLimit> = { ...READ_LIMITS };
  for (const value of values ?? []) {
    const at = value.indexOf('=');
    const name = at < 0 ? value : value.slice(0, at);
    const key = (Object.keys(READ_LIMITS) as ReadLimitKey[]).find((candidate) => READ_LIMITS[candidate].name === name);
    if (key === undefined)
      return `--limit ${JSON.stringify(name)}: unknown limit; known: ${Object.values(READ_LIMITS)
        .map((limit) => limit.name)
        .join(', ')}`;
    const bytes = at < 0 ? undefined : parseSize(value.slice(at + 1));
    if (bytes === undefined)
      return `--limit ${name}: size must be a positive number of bytes, optionally with K, M or G (got ${JSON.stringify(value.slice(at + 1))})`;
    limits[key] = { name, bytes };
  }
  return limits as ReadLimits;
}

function describeFileType(stats: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSymbolicLink(): boolean;
}): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function unreadable(input: string, cause: unknown): InputError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ELOOP'
          ? 'too many symbolic links'
          : code === 'ENOTDIR'
            ? 'a part of the path is not a directory'
            : (code ?? 'cannot be read');
  return new InputError(INPUT_ERROR_CODES.unreadable, input, `${input}: ${reason}`, { cause });
}

/** Opens a regular file for reading without ever blocking on a FIFO; refuses every other type. */
export async function openRegularFile(path: string, options: { readonly display?: string } = {}): Promise<FileHandle> {
  const input = options.display ?? path;
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENXIO')
      throw new InputError(INPUT_ERROR_CODES.notRegularFile, input, `${input} is a socket or device, not a regular file`, { cause });
    throw unreadable(input, cause);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile())
      throw new InputError(INPUT_ERROR_CODES.notRegularFile, input, `${input} is ${describeFileType(stats)}, not a regular file`);
    return handle;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads a whole regular file, at most `limit.bytes`; see the module comment. */
export async function readInputFile(path: string, options: { readonly limit: ReadLimit; readonly display?: string }): Promise<Buffer> {
  const input = options.display ?? path;
  const { limit } = options;
  const handle = await openRegularFile(path, options);
  try {
    const size = (await handle.stat()).size;
    if (size > limit.bytes) throw tooLarge(input, limit, `(${formatBytes(size)}) is larger than`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const want = Math.min(Math.max(size - total, 64 * KiB), limit.bytes + 1 - total);
      const buffer = Buffer.allocUnsafe(Math.max(want, 1));
      let read: number;
      try {
        ({ bytesRead: read } = await handle.read(buffer, 0, buffer.length, null));
      } catch (cause) {
        throw unreadable(input, cause);
      }
      if (read === 0) break;
      total += read;
      if (total > limit.bytes) throw tooLarge(input, limit);
      chunks.push(read === buffer.length ? buffer : buffer.subarray(0, read));
    }
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

/** `readInputFile` decoded as UTF-8 text. */
export async function readInputText(path: string, options: { readonly limit: ReadLimit; readonly display?: string }): Promise<string> {
  return (await readInputFile(path, options)).toString('utf8');
}

/** Waits for the next item of an async iterator at most `timeoutMs` (when given). */
async function nextWithin<T>(
  iterator: AsyncIterator<T>,
  timeoutMs: number | undefined,
  onTimeout: () => Error,
): Promise<IteratorResult<T>> {
  if (timeoutMs === undefined) return iterator.next();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
  });
  try {
    return await Promise.race([iterator.next(), expired]);
  } finally {
    clearTimeout(timer);
  }
}

export interface StreamReadOptions {
  /** Names the input in errors (a path, a redacted URL, `stdin`). */
  readonly input: string;
  readonly limit: ReadLimit;
  /** Longest wait for the next chunk (a stalled source); none when absent. */
  readonly readTimeoutMs?: number;
  /**
   * With `readTimeoutMs`: each window of that length must bring at least this many bytes, or the
   * read is abandoned as too slow (a source that drips a byte at a time). Like curl's --speed-limit.
   */
  readonly minBytesPerWindow?: number;
  /** Called with each chunk instead of collecting it (streaming to a file or a hash). */
  readonly onChunk?: (chunk: Uint8Array) => void | Promise<void>;
}

function readTimedOut(input: string, timeoutMs: number): InputError {
  return new InputError(INPUT_ERROR_CODES.readTimeout, input, `${input} sent nothing for ${timeoutMs / 1000} s; the read was abandoned`);
}

/**
 * Reads a stream to its end, at most `limit.bytes`, each read waiting at most `readTimeoutMs`.
 * Collects the bytes unless `onChunk` takes them. The stream is destroyed on every error.
 */
export async function readStreamCapped(
  stream: AsyncIterable<Uint8Array>,
  options: StreamReadOptions,
): Promise<{ bytes: number; body?: Buffer }> {
  const iterator = stream[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let total = 0;
  const windowMs = options.readTimeoutMs;
  let windowStart = Date.now();
  let windowBytes = 0;
  try {
    for (;;) {
      const next = await nextWithin(iterator, options.readTimeoutMs, () => readTimedOut(options.input, options.readTimeoutMs ?? 0));
      if (next.done === true) break;
      total += next.value.byteLength;
      windowBytes += next.value.byteLength;
      if (windowMs !== undefined && options.minBytesPerWindow !== undefined && Date.now() - windowStart >= windowMs) {
        if (windowBytes < options.minBytesPerWindow)
          throw new InputError(
            INPUT_ERROR_CODES.readTimeout,
            options.input,
            `${options.input} sent only ${windowBytes} bytes in ${windowMs / 1000} s (at least ${options.minBytesPerWindow} are expected); the read was abandoned as too slow`,
          );
        windowStart = Date.now();
        windowBytes = 0;
      }
      if (total > options.limit.bytes) throw tooLarge(options.input, options.limit);
      if (options.onChunk !== undefined) await options.onChunk(next.value);
      else chunks.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
    }
  } catch (error) {
    // Not awaited: a stream's return() may wait for the very read that stalled.
    iterator.return?.().catch(() => undefined);
    throw error;
  }
  return options.onChunk !== undefined ? { bytes: total } : { bytes: total, body: Buffer.concat(chunks, total) };
}

/**
 * The lines of a stream (LF or CRLF; the CR is removed), each at most `limit.bytes` long: a longer
 * line throws `InputTooLarge` naming its number before it is held in memory whole.
 */
export async function* boundedLines(
  stream: AsyncIterable<Uint8Array | string>,
  options: { readonly input: string; readonly limit: ReadLimit },
): AsyncGenerator<string> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNumber = 1;
  const overflow = (): InputError => tooLarge(`${options.input}: line ${lineNumber}`, options.limit, 'is longer than');
  for await (const raw of stream) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    let start = 0;
    for (let newline = chunk.indexOf(10, start); newline !== -1; newline = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, newline);
      if (pendingBytes + piece.length > options.limit.bytes + 1) throw overflow();
      const line = pendingBytes === 0 ? piece : Buffer.concat([...pending, piece]);
      pending = [];
      pendingBytes = 0;
      const end = line.length > 0 && line[line.length - 1] === 13 ? line.length - 1 : line.length;
      if (end > options.limit.bytes) throw overflow();
      yield line.toString('utf8', 0, end);
      lineNumber++;
      start = newline + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      pendingBytes += rest.length;
      if (pendingBytes > options.limit.bytes + 1) throw overflow();
      pending.push(Buffer.from(rest));
    }
  }
  if (pendingBytes > 0) {
    const line = Buffer.concat(pending);
    const end = line[line.length - 1] === 13 ? line.length - 1 : line.length;
    if (end > options.limit.bytes) throw overflow();
    yield line.toString('utf8', 0, end);
  }
}
