import { readFile } from 'node:fs/promises';
import { StalledError } from '../../../errors.js';
import type { KeyRef, SecretReader } from '../../../ports/transport.js';
import { TRANSPORT_ERROR_CODES } from '../../../ports/transport.js';

/**
 * Reads `{ file }` key references from the controller's file system (relative paths against
 * `baseDir`, normally the policy repository); delegates `{ secretRef }` to `secrets` when given.
 */
export class FileSecretReader implements SecretReader {
  readonly #baseDir: string;
  readonly #secrets: SecretReader | undefined;

  constructor(options: { baseDir: string; secrets?: SecretReader }) {
    this.#baseDir = options.baseDir;
    this.#secrets = options.secrets;
  }

  async read(ref: KeyRef): Promise<Buffer> {
    if ('secretRef' in ref) {
      if (this.#secrets === undefined) {
        throw new StalledError(
          TRANSPORT_ERROR_CODES.keyUnavailable,
          `key ${ref.secretRef.name}/${ref.secretRef.key} is in a Kubernetes Secret, but no cluster is configured`,
          { context: { secret: ref.secretRef.name } },
        );
      }
      return this.#secrets.read(ref);
    }
    const path = ref.file.startsWith('/') ? ref.file : `${this.#baseDir}/${ref.file}`;
    try {
      return await readFile(path);
    } catch (cause) {
      // Stalled: a missing or unreadable key file does not fix itself; a person must put it there.
      throw new StalledError(TRANSPORT_ERROR_CODES.keyUnavailable, `cannot read SSH key file ${path}`, {
        cause,
        context: { path },
      });
    }
  }
}
