import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExternalError, StalledError } from '../../../errors.js';
import { STATE_ERROR_CODES } from '../../../ports/state-store.js';
import { isNotFound, writeFileAtomic } from './atomic-file.js';

/** The format of the directory layout and of every document envelope this code writes. */
export const STORE_FORMAT = 1;
export const MARKER_FILE = 'store.json';

/** Reads `<dir>/store.json`; undefined when the directory or file does not exist yet. Refuses a newer format. */
export async function readStoreMarker(directory: string): Promise<{ format: number } | undefined> {
  const path = join(directory, MARKER_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if (isNotFound(cause)) return undefined;
    throw new ExternalError('filesystem', STATE_ERROR_CODES.io, `cannot read ${path}`, { cause, context: { path } });
  }
  let format: unknown;
  try {
    format = (JSON.parse(text) as { format?: unknown }).format;
  } catch (cause) {
    throw new StalledError(STATE_ERROR_CODES.documentInvalid, `${path} is not JSON; repair or remove it`, { cause, context: { path } });
  }
  if (typeof format !== 'number' || !Number.isInteger(format) || format < 1) {
    throw new StalledError(STATE_ERROR_CODES.documentInvalid, `${path} has no valid "format"; repair or remove it`, { context: { path } });
  }
  if (format > STORE_FORMAT) {
    throw new StalledError(
      STATE_ERROR_CODES.formatTooNew,
      `state directory ${directory} has format ${format}, newer than the ${STORE_FORMAT} this patchward knows; ` +
        'it was written by a newer patchward: upgrade this one',
      { context: { path, format } },
    );
  }
  return { format };
}

export async function writeStoreMarker(directory: string): Promise<void> {
  await writeFileAtomic(join(directory, MARKER_FILE), `${JSON.stringify({ format: STORE_FORMAT, kind: 'patchward-state' })}\n`);
}
