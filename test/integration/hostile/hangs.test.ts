/**
 * Hostile input, class "Hangs": a FIFO or /dev/zero given as any input file, a key file that is a
 * FIFO, and a feed that stalls or drips. Each is refused with a message naming the input; a hang
 * would be caught by this suite's own timeout (no elapsed-time assertion).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hasStackTrace, runPatchwardChild } from '../../helpers/run-patchward-child.js';
import { inventoryList, osvRecord, TestServer, workdir } from './corpus.js';

const HOST_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE6Ks3v3x8K2+ekNUqwC6DOoExNxEwKrTvjwwhKNgjkE';

function fleetYaml(keyFile: string): string {
  return `apiVersion: patchward.io/v1alpha1
kind: Fleet
metadata:
  name: hostile
spec:
  hosts:
    - name: web-1
      address: 127.0.0.1
      port: 9
      labels: { ring: canary }
      ssh:
        user: root
        keyRef: { file: ${JSON.stringify(keyFile)} }
        hostKeys: ["${HOST_KEY}"]
`;
}

describe('hostile input: hangs', { timeout: 120_000 }, () => {
  const dir = workdir();
  const fifo = path.join(dir, 'pipe.json');
  const fifoZip = path.join(dir, 'pipe.zip');
  const fifoYaml = path.join(dir, 'pipe.yaml');
  const inventory = path.join(dir, 'inventory.json');
  const advisories = path.join(dir, 'osv');
  const dripping: NodeJS.Timeout[] = [];
  const server = new TestServer((request, response) => {
    if (request.url === '/stall') {
      response.writeHead(200, { 'content-type': 'application/zip' });
      response.write('PK');
      return; // and then nothing, for ever
    }
    response.writeHead(200, { 'content-type': 'application/zip' });
    dripping.push(setInterval(() => response.write('P'), 200)); // a byte at a time, never finishing
  });

  before(async () => {
    for (const file of [fifo, fifoZip, fifoYaml]) execFileSync('mkfifo', [file]);
    writeFileSync(inventory, inventoryList([{ host: 'web-1' }]));
    mkdirSync(advisories);
    writeFileSync(path.join(advisories, 'DSA-1.json'), osvRecord('DSA-1'));
    await server.start();
  });
  after(async () => {
    for (const timer of dripping) clearInterval(timer);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const base = ['assess', '--inventory', inventory, '--advisories', advisories];
  const cases: [string, string[], RegExp][] = [
    [
      'a FIFO as --inventory',
      ['assess', '--inventory', fifo, '--advisories', advisories],
      /pipe\.json is a FIFO \(named pipe\), not a regular file/,
    ],
    [
      '/dev/zero as --inventory',
      ['assess', '--inventory', '/dev/zero', '--advisories', advisories],
      /\/dev\/zero is a character device, not a regular file/,
    ],
    ['a FIFO as --baseline', [...base, '--baseline', fifoYaml], /pipe\.yaml is a FIFO \(named pipe\), not a regular file/],
    ['/dev/zero as --baseline', [...base, '--baseline', '/dev/zero'], /\/dev\/zero is a character device, not a regular file/],
    ['a FIFO as --kev', [...base, '--kev', fifo], /pipe\.json is a FIFO \(named pipe\), not a regular file/],
    ['/dev/zero as --kev', [...base, '--kev', '/dev/zero'], /\/dev\/zero is a character device/],
    [
      'a FIFO as an advisory zip',
      ['assess', '--inventory', inventory, '--advisories', fifoZip],
      /pipe\.zip is a FIFO \(named pipe\), not a regular file/,
    ],
    ['a FIFO as --fleet', ['inventory', '--fleet', fifoYaml], /pipe\.yaml is a FIFO \(named pipe\), not a regular file/],
  ];
  for (const [name, args, message] of cases) {
    it(`${name} is refused, naming it`, async () => {
      const run = await runPatchwardChild(args, { cwd: dir });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
      assert.equal(hasStackTrace(run.stderr), false);
    });
  }

  it('a FIFO inside an advisory directory or a policy repository is reported by name, not waited on', async () => {
    const feed = path.join(dir, 'feed-with-fifo');
    mkdirSync(feed);
    writeFileSync(path.join(feed, 'DSA-1.json'), osvRecord('DSA-1'));
    execFileSync('mkfifo', [path.join(feed, 'DSA-2.json')]);
    const run = await runPatchwardChild(['assess', '--inventory', inventory, '--advisories', feed, '--log-level', 'warn'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /"origin":"DSA-2\.json".*"detail":"a FIFO, not a regular file: not read".*advisory record skipped/);
    const repo = path.join(dir, 'repo');
    mkdirSync(repo);
    execFileSync('mkfifo', [path.join(repo, 'fleet.yaml')]);
    const validate = await runPatchwardChild(['validate', repo], { cwd: dir });
    assert.equal(validate.code, 1);
    assert.match(validate.stdout, /fleet\.yaml:1:1: error: is a FIFO \(named pipe\), not a regular file: not read/);
  });

  it('a key file that is a FIFO fails that host with a message, and the command ends', async () => {
    const key = path.join(dir, 'id_ed25519');
    execFileSync('mkfifo', [key]);
    const fleet = path.join(dir, 'fleet.yaml');
    writeFileSync(fleet, fleetYaml(key));
    const run = await runPatchwardChild(['inventory', '--fleet', fleet, '--timeout', '20'], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /web-1\s+refused.*cannot read SSH key file .*id_ed25519: is a FIFO \(named pipe\), not a regular file/);
  });

  it('a feed that stalls is abandoned after the per-read timeout, a dripping one as too slow, or at the feed timeout', async () => {
    const stall = await runPatchwardChild(
      [
        'assess',
        '--inventory',
        inventory,
        '--advisories',
        server.url('/stall'),
        '--cache-dir',
        path.join(dir, 'c1'),
        '--feed-read-timeout',
        '1',
      ],
      { cwd: dir },
    );
    assert.equal(stall.code, 2);
    assert.match(stall.stderr, /advisory feed http:\/\/127\.0\.0\.1:[0-9]+\/stall sent nothing for 1 s; the read was abandoned/);
    const drip = await runPatchwardChild(
      [
        'assess',
        '--inventory',
        inventory,
        '--advisories',
        server.url('/drip'),
        '--cache-dir',
        path.join(dir, 'c2'),
        '--feed-read-timeout',
        '2',
      ],
      { cwd: dir },
    );
    assert.equal(drip.code, 2);
    assert.match(
      drip.stderr,
      /advisory feed http:\/\/127\.0\.0\.1:[0-9]+\/drip sent only [0-9]+ bytes in 2 s \(at least 1024 are expected\); the read was abandoned as too slow/,
    );
    const total = await runPatchwardChild(
      ['assess', '--inventory', inventory, '--advisories', server.url('/drip'), '--cache-dir', path.join(dir, 'c3'), '--feed-timeout', '1'],
      { cwd: dir },
    );
    assert.equal(total.code, 2);
    assert.match(total.stderr, /advisory feed http:\/\/127\.0\.0\.1:[0-9]+\/drip did not finish within 1 s/);
  });
});
