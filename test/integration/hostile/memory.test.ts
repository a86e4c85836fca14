/**
 * Hostile input, class "Memory": every read is capped, so a huge input costs its cap, not its size.
 * Each case runs the real CLI as a child under GNU time and asserts exit code, message and the
 * child's peak resident memory (`MAX_PEAK_MIB`: the CLI alone peaks near 80 MiB, the worst case
 * here near 200 MiB on Node 24, against inputs of 300 MB to 3 GiB). The big inputs
 * are made here: sparse files, streamed responses and highly compressible archives.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { hasStackTrace, runPatchwardChild } from '../../helpers/run-patchward-child.js';
import { buildZip, inventoryList, osvRecord, TestServer, workdir } from './corpus.js';

const MAX_PEAK_MIB = 300;
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

function assertBounded(run: { peakMiB: number; stderr: string }): void {
  assert.ok(run.peakMiB < MAX_PEAK_MIB, `peak memory ${run.peakMiB.toFixed(0)} MiB must stay below ${MAX_PEAK_MIB} MiB`);
  assert.equal(hasStackTrace(run.stderr), false, 'no stack trace');
}

describe('hostile input: memory', { timeout: 300_000 }, () => {
  const dir = workdir();
  const inventory = path.join(dir, 'inventory.json');
  const zeros = Buffer.alloc(16 * MiB);
  const gzipMember = gzipSync(zeros, { level: 9 });
  const server = new TestServer((request, response) => {
    if (request.url === '/declared-2g') {
      response.writeHead(200, { 'content-length': String(2 * GiB) });
      response.write(zeros.subarray(0, MiB));
      return;
    }
    // 2 GiB of zeros with no length, or a gzip bomb: 128 members of 16 MiB each, about 2 MiB on the wire.
    const bomb = request.url === '/gzip-bomb';
    response.writeHead(200, bomb ? { 'content-encoding': 'gzip' } : {});
    let sent = 0;
    const pump = (): void => {
      while (sent < 2 * GiB) {
        sent += 16 * MiB;
        if (!response.write(bomb ? gzipMember : zeros)) {
          response.once('drain', pump);
          return;
        }
      }
      response.end();
    };
    response.on('error', () => undefined);
    pump();
  });

  before(async () => {
    writeFileSync(inventory, inventoryList([{ host: 'web-1' }]));
    await server.start();
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const assess = (advisories: string, ...more: string[]) => ['assess', '--inventory', inventory, '--advisories', advisories, ...more];

  it('a 2 GiB HTTP body: refused by its Content-Length, or streamed to the cap without a length', async () => {
    const declared = await runPatchwardChild(assess(server.url('/declared-2g'), '--cache-dir', path.join(dir, 'c1')), { cwd: dir });
    assert.equal(declared.code, 2);
    assert.match(
      declared.stderr,
      /advisory feed http:\/\/127\.0\.0\.1:[0-9]+\/declared-2g \(Content-Length 2147483648\) is larger than the http-body limit of 1 GiB \(raise it with --limit http-body=SIZE\)/,
    );
    assertBounded(declared);
    const streamed = await runPatchwardChild(
      assess(server.url('/endless'), '--cache-dir', path.join(dir, 'c2'), '--limit', 'http-body=64MiB'),
      {
        cwd: dir,
      },
    );
    assert.equal(streamed.code, 2);
    assert.match(streamed.stderr, /advisory feed http:\/\/127\.0\.0\.1:[0-9]+\/endless is larger than the http-body limit of 64 MiB/);
    assertBounded(streamed);
  });

  it('a gzip bomb (Content-Encoding: gzip, 2 GiB inflated) stops at the cap', async () => {
    const run = await runPatchwardChild(
      assess(server.url('/gzip-bomb'), '--cache-dir', path.join(dir, 'c3'), '--limit', 'http-body=64MiB'),
      { cwd: dir },
    );
    assert.equal(run.code, 2);
    assert.match(run.stderr, /gzip-bomb is larger than the http-body limit of 64 MiB/);
    assertBounded(run);
  });

  it('a zip of many large entries, of overlapping entries, and of oversized entries', async () => {
    const record = osvRecord('DSA-1');
    const many = path.join(dir, 'many.zip');
    writeFileSync(
      many,
      buildZip([
        { name: 'DSA-1.json', data: record },
        ...Array.from({ length: 40 }, (_, i) => ({ name: `big-${i}.json`, data: Buffer.alloc(3 * MiB, 32) })),
      ]),
    );
    const manyRun = await runPatchwardChild(assess(many, '--limit', 'archive-content=64MiB'), { cwd: dir });
    assert.equal(manyRun.code, 2);
    assert.match(manyRun.stderr, /many\.zip \(its entries' uncompressed content\) is larger than the archive-content limit of 64 MiB/);
    assertBounded(manyRun);

    const overlapping = path.join(dir, 'overlap.zip');
    writeFileSync(
      overlapping,
      buildZip([
        { name: 'a.json', data: Buffer.alloc(3 * MiB, 32) },
        ...Array.from({ length: 1000 }, (_, i) => ({ name: `x-${i}.json`, data: '', sameDataAs: 0 })),
      ]),
    );
    const overlapRun = await runPatchwardChild(assess(overlapping), { cwd: dir });
    assert.equal(overlapRun.code, 2);
    assert.match(
      overlapRun.stderr,
      /overlap\.zip: entry "x-0\.json" overlaps an earlier entry \(a zip bomb, or entries out of order\); the archive is refused/,
    );
    assertBounded(overlapRun);

    const oversized = path.join(dir, 'oversized.zip');
    writeFileSync(
      oversized,
      buildZip([
        { name: 'DSA-1.json', data: record },
        { name: 'huge.json', data: Buffer.alloc(64 * MiB, 32) },
      ]),
    );
    const oversizedRun = await runPatchwardChild(assess(oversized, '--log-level', 'warn'), { cwd: dir });
    assert.equal(oversizedRun.code, 0, oversizedRun.stderr);
    assert.match(oversizedRun.stderr, /"origin":"huge\.json".*entry of 64 MiB exceeds the record limit of 4 MiB.*advisory record skipped/);
    assert.match(oversizedRun.stdout, /web-1\s+debian-12\s+missing-unapproved-fixes/);
    assertBounded(oversizedRun);
  });

  it('a symlinked zip: a link to /dev/zero is refused; a symbolic-link entry is skipped by name', async () => {
    const link = path.join(dir, 'link.zip');
    symlinkSync('/dev/zero', link);
    const run = await runPatchwardChild(assess(link), { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /link\.zip is a character device, not a regular file/);
    assertBounded(run);
    const withLink = path.join(dir, 'with-link.zip');
    writeFileSync(
      withLink,
      buildZip([
        { name: 'DSA-1.json', data: osvRecord('DSA-1') },
        { name: 'passwd.json', data: '/etc/passwd', unixMode: 0o120777 },
      ]),
    );
    const entry = await runPatchwardChild(assess(withLink, '--log-level', 'warn'), { cwd: dir });
    assert.equal(entry.code, 0, entry.stderr);
    assert.match(entry.stderr, /"origin":"passwd\.json".*a symbolic link entry, not read/);
  });

  it('one record with a million entries is skipped with a warning naming it', async () => {
    const feed = path.join(dir, 'million');
    mkdirSync(feed);
    writeFileSync(path.join(feed, 'DSA-1.json'), osvRecord('DSA-1'));
    const entry = { package: { ecosystem: 'Debian:12', name: 'x' } };
    writeFileSync(
      path.join(feed, 'DSA-2.json'),
      JSON.stringify({ id: 'DSA-2', modified: '2026-01-01T00:00:00Z', affected: Array.from({ length: 1_000_000 }, () => entry) }),
    );
    writeFileSync(
      path.join(feed, 'DSA-3.json'),
      JSON.stringify({ id: 'DSA-3', modified: '2026-01-01T00:00:00Z', affected: Array.from({ length: 20_000 }, () => entry) }),
    );
    const run = await runPatchwardChild(assess(feed, '--log-level', 'warn'), { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /"origin":"DSA-2\.json".*is larger than the record limit of 4 MiB.*advisory record skipped/);
    assert.match(
      run.stderr,
      /"advisory":"DSA-3".*"origin":"DSA-3\.json".*\/affected must NOT have more than 10000 items.*advisory record skipped/,
    );
    assert.match(run.stdout, /web-1\s+debian-12\s+missing-unapproved-fixes/);
    assertBounded(run);
  });

  it('a huge inventory is refused by its size before it is read', async () => {
    const huge = path.join(dir, 'huge.json');
    writeFileSync(huge, '');
    truncateSync(huge, 3 * GiB); // sparse: costs no disk
    const feed = path.join(dir, 'osv');
    mkdirSync(feed);
    writeFileSync(path.join(feed, 'DSA-1.json'), osvRecord('DSA-1'));
    const run = await runPatchwardChild(['assess', '--inventory', huge, '--advisories', feed], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /huge\.json \(3 GiB\) is larger than the inventory-file limit of 256 MiB \(raise it with --limit inventory-file=SIZE\)/,
    );
    assertBounded(run);
  });

  it('deeply nested JSON (an inventory, a record) is refused before it is parsed', async () => {
    const deep = path.join(dir, 'deep.json');
    const nest = 500_000;
    writeFileSync(deep, `{"apiVersion":"patchward.io/v1alpha1","kind":"HostInventory","labels":${'['.repeat(nest)}${']'.repeat(nest)}}`);
    const feed = path.join(dir, 'deep-osv');
    mkdirSync(feed);
    writeFileSync(path.join(feed, 'DSA-1.json'), osvRecord('DSA-1'));
    writeFileSync(
      path.join(feed, 'DSA-9.json'),
      `{"id":"DSA-9","modified":"2026-01-01T00:00:00Z","database_specific":${'{"a":'.repeat(nest)}1${'}'.repeat(nest)}}`,
    );
    const inventoryRun = await runPatchwardChild(['assess', '--inventory', deep, '--advisories', feed], { cwd: dir });
    assert.equal(inventoryRun.code, 2);
    assert.match(inventoryRun.stderr, /deep\.json: JSON nested deeper than 64 levels at offset [0-9]+/);
    assertBounded(inventoryRun);
    const recordRun = await runPatchwardChild(['assess', '--inventory', inventory, '--advisories', feed, '--log-level', 'warn'], {
      cwd: dir,
    });
    assert.equal(recordRun.code, 0, recordRun.stderr);
    assert.match(recordRun.stderr, /"origin":"DSA-9\.json".*nested deeper than 64 levels.*advisory record skipped/);
    assertBounded(recordRun);
  });

  it('a 300 MB vercmp --batch line is refused at the line cap', async () => {
    const chunk = Buffer.alloc(MiB, 0x31);
    function* stdin(): Generator<Buffer> {
      yield Buffer.from('1.0\t2.0\n');
      for (let i = 0; i < 300; i++) yield chunk;
      yield Buffer.from('\t1\n');
    }
    const run = await runPatchwardChild(['vercmp', '--scheme', 'dpkg', '--batch'], { cwd: dir, stdin: stdin() });
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '-1\n', 'the line before was answered');
    assert.match(run.stderr, /patchward vercmp: stdin: line 2 is longer than the line limit of 64 KiB/);
    assertBounded(run);
  });
});
