import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../../../../controller/log.js';
import { versionSchemeFor } from '../../../../controller/core/version/index.js';
import { OsvDirectorySource } from '../../../../controller/edges/advisory/directory-source.js';
import { KevFileSource, parseKevCatalogue } from '../../../../controller/edges/advisory/kev-file-source.js';
import { loadAdvisoryIndex } from '../../../../controller/edges/advisory/load-index.js';
import { OsvZipSource } from '../../../../controller/edges/advisory/zip-source.js';
import { isPatchwardError } from '../../../../controller/errors.js';
import { storedZip } from './zip-writer.js';

const FIXTURES = new URL('../../../../../test/fixtures/', import.meta.url).pathname;

const good = (id: string, fixed: string, name = 'openssl') =>
  JSON.stringify({
    id,
    modified: '2025-01-01T00:00:00Z',
    upstream: ['CVE-2024-6119'],
    affected: [{ package: { ecosystem: 'Debian:12', name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed }] }] }],
  });

const BAD = {
  'broken.json': '{ "id": "X-1", ',
  'no-modified.json': JSON.stringify({ id: 'X-2', affected: [] }),
  'wrong-types.json': JSON.stringify({
    id: 'X-3',
    modified: '2025-01-01T00:00:00Z',
    affected: [{ package: { ecosystem: 'Debian:12' }, ranges: 'all' }],
  }),
  'bad-version.json': good('X-4', '3.0.13 -1;reboot'),
  'bad-name.json': good('X-5', '3.0.13-1', '../../etc/passwd'),
};

function capture(): { logger: Logger; lines: () => Record<string, unknown>[] } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return {
    logger: pino({ level: 'debug' }, stream),
    lines: () =>
      Buffer.concat(chunks)
        .toString('utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('OSV directory and zip sources', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'patchward-osv-'));
    await mkdir(path.join(dir, 'nested'));
    await writeFile(path.join(dir, 'nested', 'DSA-1.json'), good('DSA-1', '3.0.13-1~deb12u1'));
    await writeFile(path.join(dir, 'README.md'), 'not a record');
    for (const [name, text] of Object.entries(BAD)) await writeFile(path.join(dir, name), text);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('reads every *.json below a directory, skipping unparsable and schema-failing files with reasons', async () => {
    const batch = await new OsvDirectorySource(dir).load();
    assert.deepEqual(batch.records.map((record) => record.id).sort(), ['DSA-1', 'X-4', 'X-5']);
    assert.deepEqual(batch.skipped.map((skip) => [skip.origin, skip.reason, skip.advisory]).sort(), [
      ['broken.json', 'invalid-json', undefined],
      ['no-modified.json', 'schema', 'X-2'],
      ['wrong-types.json', 'schema', 'X-3'],
    ]);
    assert.match(batch.revision, /^sha256:[0-9a-f]{64}$/);
  });

  it('reads a zip archive the same way, and its revision is the archive hash', async () => {
    const zipPath = path.join(dir, 'feed.zip');
    await writeFile(zipPath, storedZip({ 'debian/DSA-1.json': good('DSA-1', '3.0.13-1~deb12u1'), 'debian/': '', LICENSE: 'MIT', ...BAD }));
    const batch = await new OsvZipSource(zipPath).load();
    assert.deepEqual(batch.records.map((record) => record.id).sort(), ['DSA-1', 'X-4', 'X-5']);
    assert.equal(batch.skipped.length, 3);
    assert.equal((await new OsvZipSource(zipPath).load()).revision, batch.revision);
  });

  it('fails with a typed external error for a missing directory or a file that is not a zip', async () => {
    await writeFile(path.join(dir, 'junk.zip'), 'not a zip at all');
    for (const source of [new OsvDirectorySource(path.join(dir, 'missing')), new OsvZipSource(path.join(dir, 'junk.zip'))]) {
      await assert.rejects(source.load(), (error: unknown) => isPatchwardError(error) && error.kind === 'External');
    }
  });

  it('the loader logs each rejected record and entry at warn with the advisory id; they never reach the index', async () => {
    const { logger, lines } = capture();
    const loaded = await loadAdvisoryIndex({ sources: [new OsvDirectorySource(dir)], schemeFor: versionSchemeFor, logger });
    const warned = lines().filter((line) => line['level'] === 40);
    assert.deepEqual(warned.map((line) => `${String(line['advisory'])} ${String(line['reason'])}`).sort(), [
      'X-2 schema',
      'X-3 schema',
      'X-4 invalid-version',
      'X-5 invalid-package-name',
      'undefined invalid-json',
    ]);
    assert.deepEqual(
      loaded.index.lookup('debian-12', 'openssl').map((entry) => entry.advisory.id),
      ['DSA-1'],
    );
    assert.equal(loaded.index.lookup('debian-12', '../../etc/passwd').length, 0);
  });

  it('loads the real fixtures: 3,427 AlmaLinux records from the zip, Ubuntu and Debian from directories', async () => {
    const [alma, ubuntu, debian] = await Promise.all([
      new OsvZipSource(`${FIXTURES}advisories/almalinux.zip`).load(),
      new OsvDirectorySource(`${FIXTURES}advisories/ubuntu`).load(),
      new OsvDirectorySource(`${FIXTURES}advisories/debian`).load(),
    ]);
    assert.deepEqual([alma.records.length, ubuntu.records.length, debian.records.length], [3427, 8, 9]);
    assert.deepEqual([alma.skipped, ubuntu.skipped, debian.skipped], [[], [], []]);
  });
});

describe('known-exploited catalogue (CISA KEV format)', () => {
  it('reads the sample and marks advisories through their CVE aliases', async () => {
    const logger = pino({ level: 'silent' });
    const catalogue = await new KevFileSource(`${FIXTURES}advisories/kev/known-exploited-sample.json`, logger).load();
    assert.deepEqual([...catalogue.entries.keys()], ['CVE-2023-4911', 'CVE-2024-1086', 'CVE-2024-6387']);
    assert.equal(catalogue.revision, 'sample-2026.11.21');
  });

  it('skips entries without a CVE id and refuses documents of another shape', () => {
    const { logger, lines } = capture();
    const catalogue = parseKevCatalogue(
      JSON.stringify({
        vulnerabilities: [
          { cveID: 'CVE-2024-1086', dateAdded: '2024-05-30' },
          { cveID: 'not-a-cve', dateAdded: 'x' },
        ],
      }),
      'kev.json',
      logger,
    );
    assert.deepEqual([...catalogue.entries.keys()], ['CVE-2024-1086']);
    assert.equal(lines()[0]?.['advisory'], 'not-a-cve');
    assert.throws(
      () => parseKevCatalogue('{"vulns": []}', 'kev.json', logger),
      (error: unknown) => isPatchwardError(error) && error.code === 'KevCatalogueInvalid',
    );
  });
});
