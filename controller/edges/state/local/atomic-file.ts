import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Prefix of the temporary files a write leaves behind when the process dies before its rename. */
export const TEMPORARY_PREFIX = '.tmp-';

/** Points where a test can stop a write (fault injection into the real code path). */
export interface WriteFaults {
  /** Called after the temporary file is written and fsynced, before it is renamed into place. */
  readonly beforeRename?: (temporaryPath: string, path: string) => Promise<void>;
}

/**
 * Replaces `path` atomically and durably: the content goes to a new temporary file in the same
 * directory (created exclusively, mode 0600), which is fsynced, renamed over `path`, and then the
 * directory is fsynced so that the rename itself survives a power cut. A crash at any point leaves
 * either the old file or the new one (plus, at worst, a temporary file that `removeTemporaryFiles`
 * clears).
 */
export async function writeFileAtomic(path: string, content: string, faults: WriteFaults = {}): Promise<void> {
  const directory = dirname(path);
  const temporary = join(directory, `${TEMPORARY_PREFIX}${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await faults.beforeRename?.(temporary, path);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}

/** Removes `path` and makes the removal durable (fsync of its directory). False when it was absent. */
export async function unlinkDurably(path: string): Promise<boolean> {
  try {
    await unlink(path);
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
  await syncDirectory(dirname(path));
  return true;
}

/** fsync of a directory: makes the creation, rename or removal of its entries durable. */
export async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function isNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT';
}
