/**
 * Hostile input, class "Integrity": a second record with the same id and `modified` cannot replace
 * the real one; an installed version the scheme cannot read makes the host `unknown`, never
 * compliant; a feed redirect to another host is refused unless allowed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runPatchwardChild } from '../../helpers/run-patchward-child.js';
import { buildZip, inventoryList, osvRecord, TestServer, workdir } from './corpus.js';

describe('hostile input: integrity', { timeout: 60_000 }, () => {
  const dir = workdir();
  const inventory = path.join(dir, 'inventory.json');
  const zip = buildZip([{ name: 'DSA-1.json', data: osvRecord('DSA-1') }]);
  const origin = new TestServer((request, response) => {
    if (request.url === '/moved-away') response.writeHead(302, { location: origin.url('/all.zip', 'localhost') }).end();
    else if (request.url === '/moved-here') response.writeHead(301, { location: '/all.zip' }).end();
    else if (request.url === '/loop') response.writeHead(302, { location: '/loop' }).end();
    else response.writeHead(200).end(zip);
  });

  before(async () => {
    await origin.start();
    writeFileSync(inventory, inventoryList([{ host: 'web-1' }]));
  });
  after(async () => {
    await origin.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('two different records with one id and one modified time refuse the load, naming both files', async () => {
    const feed = path.join(dir, 'dup');
    mkdirSync(feed);
    writeFileSync(path.join(feed, 'DSA-1.json'), osvRecord('DSA-1', { fixed: '3.0.15-1~deb12u1' }));
    // The forged copy sorts first and claims the old version is already fixed.
    writeFileSync(path.join(feed, 'AAA-forged.json'), osvRecord('DSA-1', { fixed: '3.0.0-1' }));
    const run = await runPatchwardChild(['assess', '--inventory', inventory, '--advisories', feed], { cwd: dir });
    assert.equal(run.code, 2, run.stdout);
    assert.match(
      run.stderr,
      /advisory DSA-1 has two different records with the same modified time 2026-01-01T00:00:00Z: .*AAA-forged\.json and .*DSA-1\.json/,
    );
    const same = path.join(dir, 'same');
    mkdirSync(same);
    writeFileSync(path.join(same, 'a.json'), osvRecord('DSA-1'));
    writeFileSync(path.join(same, 'b.json'), osvRecord('DSA-1'));
    const identical = await runPatchwardChild(['assess', '--inventory', inventory, '--advisories', same], { cwd: dir });
    assert.equal(identical.code, 0, 'identical copies are harmless');
    assert.match(identical.stdout, /web-1\s+debian-12\s+missing-unapproved-fixes/);
  });

  it('an installed version that is not valid for the scheme makes the host unknown, never compliant', async () => {
    const feed = path.join(dir, 'one');
    mkdirSync(feed);
    writeFileSync(path.join(feed, 'DSA-1.json'), osvRecord('DSA-1'));
    const bad = path.join(dir, 'bad-version.json');
    writeFileSync(
      bad,
      inventoryList([
        {
          host: 'web-2',
          packages: [{ name: 'libssl3', version: '99 not a version', source: 'openssl', sourceVersion: '99 not a version' }],
        },
      ]),
    );
    const run = await runPatchwardChild(['assess', '--inventory', bad, '--advisories', feed, '--output', 'json'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { hosts: { host: string; state: string; reason?: string }[] };
    assert.equal(report.hosts[0]?.state, 'unknown');
    assert.match(report.hosts[0]?.reason ?? '', /libssl3 99 not a version is not a valid version/);
  });

  it('a redirect to another host is refused unless allowed; one on the same host is followed', async () => {
    const args = (url: string, cache: string) => [
      'assess',
      '--inventory',
      inventory,
      '--advisories',
      url,
      '--cache-dir',
      path.join(dir, cache),
    ];
    const refused = await runPatchwardChild(args(origin.url('/moved-away'), 'c1'), { cwd: dir });
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /redirected to another host, http:\/\/localhost:[0-9]+ \(allow it with --allow-redirect localhost\); refused/,
    );
    assert.ok(!origin.requests.some((request) => request.headers.host?.startsWith('localhost')), 'the other host was never asked');
    const allowed = await runPatchwardChild([...args(origin.url('/moved-away'), 'c2'), '--allow-redirect', 'localhost'], { cwd: dir });
    assert.equal(allowed.code, 0, allowed.stderr);
    const same = await runPatchwardChild(args(origin.url('/moved-here'), 'c3'), { cwd: dir });
    assert.equal(same.code, 0, same.stderr);
    const loop = await runPatchwardChild(args(origin.url('/loop'), 'c4'), { cwd: dir });
    assert.equal(loop.code, 2);
    assert.match(loop.stderr, /redirected more than 5 times; refused/);
  });
});
