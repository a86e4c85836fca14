/**
 * OSV records from a directory tree: every `*.json` regular file below `root` is one record, read
 * within the `record` cap. A `*.json` name that is a symbolic link, FIFO, socket, device or
 * directory is not read and is reported as skipped (never silently dropped). The revision is a
 * sha256 over the sorted relative paths and file contents.
 */
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { OsvRecord } from '../../core/advisory/osv-record.js';
import { ExternalError } from '../../errors.js';
import type { AdvisoryBatch, AdvisorySource, SkippedRecord } from '../../ports/advisory-source.js';
import { READ_LIMITS, type ReadLimit, readInputText } from '../io/bounded-read.js';
import { createOsvRecordReader } from './osv-schema.js';

function kindOf(entry: Dirent): string {
  if (entry.isSymbolicLink()) return 'a symbolic link';
  if (entry.isDirectory()) return 'a directory';
  if (entry.isFIFO()) return 'a FIFO';
  if (entry.isSocket()) return 'a socket';
  return 'a device';
}

async function listJsonFiles(root: string): Promise<{ files: string[]; skipped: SkippedRecord[] }> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  const skipped: SkippedRecord[] = [];
  for (const entry of entries) {
    if (!entry.name.endsWith('.json')) continue;
    const relative = path.relative(root, path.join(entry.parentPath, entry.name));
    if (entry.isFile()) files.push(relative);
    else skipped.push({ origin: relative, reason: 'unreadable', detail: `${kindOf(entry)}, not a regular file: not read` });
  }
  return { files: files.sort(), skipped };
}

export class OsvDirectorySource implements AdvisorySource {
  readonly kind = 'osv-dir';
  readonly #root: string;
  readonly #recordLimit: ReadLimit;

  constructor(root: string, limits: { readonly record: ReadLimit } = READ_LIMITS) {
    this.#root = root;
    this.#recordLimit = limits.record;
  }

  async load(): Promise<AdvisoryBatch> {
    let listed: { files: string[]; skipped: SkippedRecord[] };
    try {
      listed = await listJsonFiles(this.#root);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOTDIR' ? 'is not a directory' : 'cannot be listed';
      throw new ExternalError('advisory', 'AdvisoryDirectoryUnreadable', `advisory directory ${this.#root} ${reason}`, {
        cause: error,
        context: { path: this.#root },
      });
    }
    const { files } = listed;
    const read = createOsvRecordReader();
    const hash = createHash('sha256');
    const records: OsvRecord[] = [];
    const origins: string[] = [];
    const skipped: SkippedRecord[] = [...listed.skipped];
    const batchSize = 64;
    for (let start = 0; start < files.length; start += batchSize) {
      const slice = files.slice(start, start + batchSize);
      const texts = await Promise.all(
        slice.map((file) =>
          readInputText(path.join(this.#root, file), { limit: this.#recordLimit, display: file }).catch((error: unknown) => error),
        ),
      );
      slice.forEach((file, i) => {
        const content = texts[i];
        if (typeof content !== 'string') {
          skipped.push({ origin: file, reason: 'unreadable', detail: content instanceof Error ? content.message : 'unreadable' });
          return;
        }
        hash.update(file).update('\u0000').update(content).update('\u0000');
        const result = read(file, content);
        if (result.ok) {
          records.push(result.value);
          origins.push(path.join(this.#root, file));
        } else skipped.push(result.error);
      });
    }
    return { revision: `sha256:${hash.digest('hex')}`, records, origins, skipped, stale: false, location: this.#root };
  }
}
