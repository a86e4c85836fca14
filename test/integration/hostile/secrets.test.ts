/**
 * Hostile input, class "Secrets": a feed URL with credentials works (sent as an Authorization
 * header, never in the URL given to fetch) and the password appears nowhere: not on stdout, not
 * in messages, not in debug logs, not in the JSON report.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hasStackTrace, runPatchwardChild } from '../../helpers/run-patchward-child.js';
import { buildZip, inventoryList, osvRecord, TestServer, workdir } from './corpus.js';

const PASSWORD = 's3cr%40t-pw';
const DECODED = 's3cr@t-pw';

describe('hostile input: secrets in feed URLs', { timeout: 60_000 }, () => {
  const dir = workdir();
  const zip = buildZip([{ name: 'DSA-1.json', data: osvRecord('DSA-1') }]);
  const expected = `Basic ${Buffer.from(`feeder:${DECODED}`).toString('base64')}`;
  const server = new TestServer((request, response) => {
    if (request.headers.authorization !== expected) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="feed"' }).end('no');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/zip' }).end(zip);
  });
  const inventory = path.join(dir, 'inventory.json');

  before(async () => {
    await server.start();
    writeFileSync(inventory, inventoryList([{ host: 'web-1' }]));
  });
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the credentials as an Authorization header and never shows them', async () => {
    const url = server.url('/Debian/all.zip', '127.0.0.1', `feeder:${PASSWORD}@`);
    const run = await runPatchwardChild(
      [
        'assess',
        '--inventory',
        inventory,
        '--advisories',
        url,
        '--cache-dir',
        path.join(dir, 'cache'),
        '--output',
        'json',
        '--log-level',
        'debug',
      ],
      { cwd: dir },
    );
    assert.equal(run.code, 0, run.stderr);
    const request = server.requests.at(-1);
    assert.equal(request?.headers.authorization, expected);
    assert.equal(request?.url, '/Debian/all.zip');
    assert.match(run.stdout, /"location": "http:\/\/127\.0\.0\.1:[0-9]+\/Debian\/all\.zip"/);
    for (const secret of [PASSWORD, DECODED, expected.slice(6)]) {
      assert.ok(!run.stdout.includes(secret), 'report holds no credentials');
      assert.ok(!run.stderr.includes(secret), 'messages and debug logs hold no credentials');
    }
  });

  it('a refused password fails with a message that names the feed without its credentials', async () => {
    const url = server.url('/Debian/all.zip', '127.0.0.1', 'feeder:wrong-Pa55@');
    const run = await runPatchwardChild(
      ['assess', '--inventory', inventory, '--advisories', url, '--cache-dir', path.join(dir, 'cache2'), '--log-level', 'debug'],
      { cwd: dir },
    );
    assert.equal(run.code, 2);
    assert.match(run.stderr, /patchward assess: advisory feed http:\/\/127\.0\.0\.1:[0-9]+\/Debian\/all\.zip answered HTTP 401/);
    assert.ok(!run.stderr.includes('wrong-Pa55'));
    assert.ok(!run.stderr.includes('feeder'), 'not even the user name');
  });

  it('a debug log of an unreachable feed with credentials holds no password and no stack outside debug', async () => {
    const url = 'http://feeder:hunter2@127.0.0.1:9/all.zip';
    const quiet = await runPatchwardChild(['assess', '--inventory', inventory, '--advisories', url, '--cache-dir', path.join(dir, 'c3')], {
      cwd: dir,
    });
    assert.equal(quiet.code, 2);
    assert.match(quiet.stderr, /advisory feed http:\/\/127\.0\.0\.1:9\/all\.zip is unreachable/);
    assert.ok(!quiet.stderr.includes('hunter2'));
    assert.equal(hasStackTrace(quiet.stderr), false);
  });
});
