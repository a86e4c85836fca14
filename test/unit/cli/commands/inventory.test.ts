import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { FakeSshServer, generateKeyPair } from '../../../fakes/fake-ssh-server.js';
import { factsOutput } from '../../../fakes/fake-transport.js';
import { runCliCaptured } from '../../../helpers/run-cli.js';
import { inventorySchemaErrors } from '../../../helpers/validate-inventory.js';

const FACTS = factsOutput({
  'os-release': ['ID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.4"', '0'],
  uname: ['5.14.0-427.13.1.el9_4.x86_64\nx86_64', '0'],
  pm: ['dnf', '0'],
  arch: ['x86_64', '0'],
  packages: ['bash\t(none)\t5.1.8\t9.el9\tx86_64\tbash-5.1.8-9.el9.src.rpm', '0'],
  reboot: ['', 'absent'],
  locks: ['', '0'],
});

describe('patchward inventory', () => {
  const clientKey = generateKeyPair();
  const server = new FakeSshServer({ exec: () => ({ stdout: FACTS }), authorizedKey: clientKey.publicKey });
  let dir = '';
  before(async () => {
    await server.listen();
    dir = mkdtempSync(join(tmpdir(), 'pw-inv-cli-'));
    writeFileSync(join(dir, 'id'), clientKey.privateKey, { mode: 0o600 });
    const fleet = {
      apiVersion: 'patchward.io/v1alpha1',
      kind: 'Fleet',
      metadata: { name: 'test' },
      spec: {
        defaults: { ssh: { user: 'root', keyRef: { file: 'id' } } },
        hosts: [
          { name: 'r1', address: '127.0.0.1', port: server.port, labels: { ring: 'canary' }, ssh: { hostKeys: [server.hostKeyLine] } },
          { name: 'r2', address: '127.0.0.1', port: server.port, ssh: { hostKeys: [generateKeyPair().publicKey] } },
          { name: 'r3', address: '127.0.0.1', port: server.port, ssh: { trustOnFirstUse: true } },
        ],
      },
    };
    writeFileSync(join(dir, 'fleet.yaml'), stringify(fleet));
  });
  after(() => server.close());

  it('prints a HostInventoryList as JSON, exits 1 when a host was refused, reports TOFU keys', async () => {
    const run = await runCliCaptured(['inventory', '--fleet', 'fleet.yaml', '--output', 'json', '--concurrency', '2', '--state', 'state'], {
      cwd: dir,
    });
    assert.equal(run.code, 1, run.stderr);
    const list = JSON.parse(run.stdout) as {
      items: { host: string; status: string; os?: { release: string }; labels?: Record<string, string> }[];
    };
    assert.deepEqual(inventorySchemaErrors(list), []);
    assert.deepEqual(
      list.items.map((item) => [item.host, item.status]),
      [
        ['r1', 'ok'],
        ['r2', 'refused'],
        ['r3', 'ok'],
      ],
    );
    assert.equal(list.items[0]?.os?.release, 'rocky-9');
    assert.deepEqual(list.items[0]?.labels, { ring: 'canary' });
    const pinLine = `  hostKeys: ["${server.hostKeyLine}"]`;
    assert.match(
      run.stderr,
      /r3: host key trusted on first use \(SHA256:[A-Za-z0-9+/]+\), recorded in .*\/state and pinned from now on; pin it in the Fleet:\n/,
    );
    const recorded = JSON.parse(readFileSync(join(dir, 'state', 'host-key', 'r3.json'), 'utf8')) as { data: { key: string } };
    assert.equal(recorded.data.key, server.hostKeyLine);
    assert.ok(run.stderr.includes(`pin it in the Fleet:\n${pinLine}\n`), run.stderr);
  });

  it('prints a table', async () => {
    const run = await runCliCaptured(['inventory', '--fleet', join(dir, 'fleet.yaml'), '--state', join(dir, 'state')], { cwd: dir });
    assert.match(run.stdout, /^HOST +STATUS +OS +PACKAGES/m);
    assert.match(run.stdout, /^r1 +ok +rocky-9 +1 +no +healthy/m);
    assert.match(run.stdout, /^r2 +refused .*HOST KEY MISMATCH/m);
  });

  it('reads the Fleets of a policy repository with -f', async () => {
    const run = await runCliCaptured(['inventory', '-f', '.', '--output', 'json', '--state', 'state'], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    const list = JSON.parse(run.stdout) as { items: { host: string; status: string }[] };
    assert.deepEqual(
      list.items.map((item) => [item.host, item.status]),
      [
        ['r1', 'ok'],
        ['r2', 'refused'],
        ['r3', 'ok'],
      ],
    );
  });

  it('refuses bad usage with exit 2', async () => {
    assert.equal((await runCliCaptured(['inventory', '-f', dir, '--fleet', 'x'])).code, 2);
    assert.equal((await runCliCaptured(['inventory'])).code, 2);
    assert.equal((await runCliCaptured(['inventory', '--fleet', 'x', '--output', 'xml'])).code, 2);
    assert.equal((await runCliCaptured(['inventory', '--fleet', join(dir, 'absent.yaml')])).code, 2);
  });

  it('refuses a --fleet file that fails the Fleet schema, naming file, line, column and field, and contacts no host', async () => {
    const file = join(dir, 'bad-fleet.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: patchward.io/v1alpha1',
        'kind: Fleet',
        'metadata: { name: bad }',
        'spec:',
        '  hosts:',
        '    - name: a',
        '      address: 127.0.0.1',
        '      port: "22"',
        '',
      ].join('\n'),
    );
    const run = await runCliCaptured(['inventory', '--fleet', file]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.ok(run.stderr.includes(`${file}:8:13: error: spec.hosts[0].port: must be a whole number`), run.stderr);
  });
});
