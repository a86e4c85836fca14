/**
 * The advisory records bundled in test/fixtures/advisories (every real record: AlmaLinux,
 * Debian-derived, Ubuntu, Debian) and the sample known-exploited catalogue, loaded into one index.
 * Shared by the hand-checked assess tests and bench/assess.
 */
import { pino } from 'pino';
import { versionSchemeFor } from '../../controller/core/version/index.js';
import { OsvDirectorySource } from '../../controller/edges/advisory/directory-source.js';
import { KevFileSource } from '../../controller/edges/advisory/kev-file-source.js';
import { loadAdvisoryIndex, type LoadedIndex } from '../../controller/edges/advisory/load-index.js';
import { OsvZipSource } from '../../controller/edges/advisory/zip-source.js';

/** test/fixtures/ as an absolute path ending in '/', from the compiled file's place in dist/. */
export const FIXTURES = new URL('../../../test/fixtures/', import.meta.url).pathname;

export function loadBundledAdvisories(): Promise<LoadedIndex> {
  const logger = pino({ level: 'silent' });
  return loadAdvisoryIndex({
    sources: [
      new OsvZipSource(`${FIXTURES}advisories/almalinux.zip`),
      new OsvZipSource(`${FIXTURES}advisories/debian-derived.zip`),
      new OsvDirectorySource(`${FIXTURES}advisories/ubuntu`),
      new OsvDirectorySource(`${FIXTURES}advisories/debian`),
    ],
    knownExploited: new KevFileSource(`${FIXTURES}advisories/kev/known-exploited-sample.json`, logger),
    schemeFor: versionSchemeFor,
    logger,
  });
}
