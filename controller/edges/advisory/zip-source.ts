/** OSV records from a local zip archive; the revision is the archive's sha256. */
import { createHash } from 'node:crypto';
import { ExternalError } from '../../errors.js';
import type { AdvisoryBatch, AdvisorySource } from '../../ports/advisory-source.js';
import { isInputError, openRegularFile, READ_LIMITS, type ReadLimit, readStreamCapped } from '../io/bounded-read.js';
import { readOsvZipFile, type ZipLimits } from './zip-archive.js';

export interface ZipSourceLimits extends ZipLimits {
  readonly archiveFile: ReadLimit;
}

/** sha256 of a regular file, read in a stream within `limit`. */
export async function sha256OfFile(path: string, limit: ReadLimit, display = path): Promise<string> {
  const handle = await openRegularFile(path, { display });
  const hash = createHash('sha256');
  try {
    await readStreamCapped(handle.createReadStream({ autoClose: false }), {
      input: display,
      limit,
      onChunk: (chunk) => void hash.update(chunk),
    });
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

export class OsvZipSource implements AdvisorySource {
  readonly kind = 'osv-zip';
  readonly #path: string;
  readonly #limits: ZipSourceLimits;

  constructor(path: string, limits: ZipSourceLimits = READ_LIMITS) {
    this.#path = path;
    this.#limits = limits;
  }

  async load(): Promise<AdvisoryBatch> {
    let sha256: string;
    let content;
    try {
      sha256 = await sha256OfFile(this.#path, this.#limits.archiveFile);
      content = await readOsvZipFile(this.#path, { limits: this.#limits });
    } catch (error) {
      if (isInputError(error)) throw error;
      throw new ExternalError('advisory', 'AdvisoryArchiveInvalid', `advisory archive ${this.#path} is not a readable zip archive`, {
        cause: error,
        context: { path: this.#path },
      });
    }
    return { revision: `sha256:${sha256}`, ...content, stale: false, location: this.#path };
  }
}
