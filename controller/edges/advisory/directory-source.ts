/**
 * OSV records from a directory tree: every `*.json` file below `root` is one record. The revision
 * is a sha256 over the sorted relative paths and file contents.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ExternalError } from '../../errors.js';
import type { OsvRecord } from '../../core/advisory/osv-record.js';
import type { AdvisoryBatch, AdvisorySource, SkippedRecord } from '../../ports/advisory-source.js';
import { createOsvRecordReader } from './osv-schema.js';

async function listJsonFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .sort();
}

export class OsvDirectorySource implements AdvisorySource {
  readonly kind = 'osv-dir';
  readonly #root: string;

  constructor(root: string) {
    this.#root = root;
  }

  async load(): Promise<AdvisoryBatch> {
    let files: string[];
    try {
      files = await listJsonFiles(this.#root);
    } catch (error) {
      throw new ExternalError('advisory', 'AdvisoryDirectoryUnreadable', `cannot list advisory directory ${this.#root}`, {
        cause: error,
        context: { path: this.#root },
      });
    }
    const read = createOsvRecordReader();
    const hash = createHash('sha256');
    const records: OsvRecord[] = [];
    const skipped: SkippedRecord[] = [];
    const batchSize = 64;
    for (let start = 0; start < files.length; start += batchSize) {
      const slice = files.slice(start, start + batchSize);
      const texts = await Promise.all(slice.map((file) => readFile(path.join(this.#root, file), 'utf8').catch((error: unknown) => error)));
      slice.forEach((file, i) => {
        const content = texts[i];
        if (typeof content !== 'string') {
          skipped.push({ origin: file, reason: 'unreadable', detail: content instanceof Error ? content.message : 'unreadable' });
          return;
        }
        hash.update(file).update('\u0000').update(content).update('\u0000');
        const result = read(file, content);
        if (result.ok) records.push(result.record);
        else skipped.push(result.skipped);
      });
    }
    return { revision: `sha256:${hash.digest('hex')}`, records, skipped, stale: false, location: this.#root };
  }
}
