/** OSV records from a local zip archive; the revision is the archive's sha256. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ExternalError } from '../../errors.js';
import type { AdvisoryBatch, AdvisorySource } from '../../ports/advisory-source.js';
import { readOsvZip } from './zip-archive.js';

export class OsvZipSource implements AdvisorySource {
  readonly kind = 'osv-zip';
  readonly #path: string;

  constructor(path: string) {
    this.#path = path;
  }

  async load(): Promise<AdvisoryBatch> {
    let buffer: Buffer;
    try {
      buffer = await readFile(this.#path);
    } catch (error) {
      throw new ExternalError('advisory', 'AdvisoryArchiveUnreadable', `cannot read advisory archive ${this.#path}`, {
        cause: error,
        context: { path: this.#path },
      });
    }
    let content;
    try {
      content = await readOsvZip(buffer);
    } catch (error) {
      throw new ExternalError('advisory', 'AdvisoryArchiveInvalid', `advisory archive ${this.#path} is not a readable zip`, {
        cause: error,
        context: { path: this.#path },
      });
    }
    const revision = `sha256:${createHash('sha256').update(buffer).digest('hex')}`;
    return { revision, ...content, stale: false, location: this.#path };
  }
}
