/**
 * The real logger configuration (`createLogger`) keeps keys, tokens, passwords and Secret data out
 * of log lines: directly, and end to end through the CLI and the SSH edge at debug level.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { resolveFleetHosts } from '../../controller/core/model/index.js';
import { collectFleetInventory } from '../../controller/edges/inventory/collect-fleet-inventory.js';
import { KubeSecretReader } from '../../controller/edges/transport/secrets/kube-secret-reader.js';
import { createLogger } from '../../controller/log.js';
import { FakeSshServer, generateKeyPair } from '../fakes/fake-ssh-server.js';
import { factsOutput } from '../fakes/fake-transport.js';
import { runCliCaptured } from '../helpers/run-cli.js';

function capture(level: string): { logger: ReturnType<typeof createLogger>; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { logger: createLogger({ level, destination: stream }), text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Distinct pieces of a private key (the base64 body lines), any of which in a log is a leak. */
function keyPieces(privateKey: string): string[] {
  return privateKey
    .split('\n')
    .filter((line) => line.length > 20 && !line.startsWith('-----'))
    .map((line) => line.slice(8, 40));
}

function assertAbsent(text: string, secrets: readonly string[]): void {
  assert.ok(text.length > 0, 'something was logged');
  for (const secret of secrets) assert.ok(!text.includes(secret), `a log line holds ${secret.slice(0, 12)}…:\n${text}`);
}

const FACTS = factsOutput({
  'os-release': ['ID=debian\nVERSION_ID="12"', '0'],
  uname: ['6.1.0-18-amd64\nx86_64', '0'],
  pm: ['apt', '0'],
  arch: ['amd64', '0'],
  packages: ['bash\t5.2.15-2+b2\tamd64\tbash\t5.2.15-2', '0'],
  reboot: ['', 'absent'],
  locks: ['', '0'],
});

describe('log redaction with the real logger configuration', () => {
  const clientKey = generateKeyPair();
  const server = new FakeSshServer({ exec: () => ({ stdout: FACTS }), authorizedKey: clientKey.publicKey });
  let dir = '';
  before(async () => {
    await server.listen();
    dir = mkdtempSync(join(tmpdir(), 'pw-redact-'));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('censors secrets by field name at any depth, Secret data, raw bytes, key blocks and URL credentials anywhere', () => {
    const { logger, text } = capture('trace');
    const key = generateKeyPair().privateKey;
    const secrets = ['tok-1111', 'bearer-2222', 'pw-3333', 'tok-4444', 'c2VjcmV0LWRhdGE=', 'pw-5555', 'pw-6666', 'cookie-7777', 'sd-8888'];
    logger.info({ token: 'tok-1111', headers: { authorization: 'Bearer bearer-2222' } }, 'request');
    logger.info({ forge: { settings: { deep: { password: 'pw-3333', adminToken: 'tok-4444' } } } }, 'deep');
    logger.info({ resource: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ssh' }, data: { id: 'c2VjcmV0LWRhdGE=' } } }, 'secret');
    logger.info({ url: 'https://bot:pw-5555@git.example.com/r.git' }, 'clone');
    logger.info({ note: `key follows ${key}`, list: [{ privateKey: key }], bytes: Buffer.from(key) }, 'key material');
    logger.warn({ err: new Error(`cannot use ${key}`, { cause: new Error('fetch https://u:pw-6666@h/x failed') }) }, 'failed');
    logger.debug({ request: { cookie: 'cookie-7777', stringData: { k: 'sd-8888' } } }, 'more');
    logger.info('message with https://x:pw-5555@example.org/ inside');
    assertAbsent(text(), [...secrets, ...keyPieces(key)]);
    // What is not secret stays readable.
    assert.match(text(), /"name":"ssh"/);
    assert.match(text(), /git\.example\.com\/r\.git/);
    assert.match(text(), /\[redacted\] private key/);
  });

  it('a CLI inventory at debug level logs no private key, not even of a key file that is not a key', async () => {
    const junk = 'NOT-A-KEY-secret-material-9999';
    writeFileSync(join(dir, 'id'), clientKey.privateKey, { mode: 0o600 });
    writeFileSync(join(dir, 'junk'), `-----BEGIN OPENSSH PRIVATE KEY-----\n${junk}\n`, { mode: 0o600 });
    const wrong = generateKeyPair();
    writeFileSync(join(dir, 'wrong'), wrong.privateKey, { mode: 0o600 });
    const host = (name: string, file: string) => ({
      name,
      address: '127.0.0.1',
      port: server.port,
      ssh: { keyRef: { file }, hostKeys: [server.hostKeyLine] },
    });
    const fleet = {
      apiVersion: 'patchward.io/v1alpha1',
      kind: 'Fleet',
      metadata: { name: 'redact' },
      spec: { defaults: { ssh: { user: 'root' } }, hosts: [host('good', 'id'), host('junk', 'junk'), host('wrong', 'wrong')] },
    };
    writeFileSync(join(dir, 'fleet.yaml'), stringify(fleet));
    const run = await runCliCaptured(['inventory', '--fleet', 'fleet.yaml', '--output', 'json', '--state', 'state'], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    assert.ok(
      run.logs.some((line) => line['msg'] === 'ssh connected'),
      'debug lines were captured',
    );
    assertAbsent(`${run.logText}${run.stderr}${run.stdout}`, [junk, ...keyPieces(clientKey.privateKey), ...keyPieces(wrong.privateKey)]);
  });

  it('an inventory with keys from Kubernetes Secrets logs neither the Secret data nor the key', async () => {
    const base64 = Buffer.from(clientKey.privateKey).toString('base64');
    const api = {
      readNamespacedSecret: async ({ name }: { name: string; namespace: string }) => {
        if (name === 'ssh') return { data: { id: base64 } };
        throw Object.assign(new Error(`HTTP-Code: 404 ${name}`), { code: 404 });
      },
    };
    const { logger, text } = capture('debug');
    const hosts = resolveFleetHosts({
      apiVersion: 'patchward.io/v1alpha1',
      kind: 'Fleet',
      metadata: { name: 'k' },
      spec: {
        defaults: { ssh: { user: 'root', keyRef: { secretRef: { name: 'ssh', key: 'id' } } } },
        hosts: [
          { name: 'k1', address: '127.0.0.1', port: server.port, ssh: { hostKeys: [server.hostKeyLine] } },
          {
            name: 'k2',
            address: '127.0.0.1',
            port: server.port,
            ssh: { hostKeys: [server.hostKeyLine], keyRef: { secretRef: { name: 'gone', key: 'id' } } },
          },
        ],
      },
    });
    const collected = await collectFleetInventory(hosts, { secrets: new KubeSecretReader(api, 'default'), logger, concurrency: 2 });
    assert.deepEqual(
      collected.inventory.items.map((item) => item.status),
      ['ok', 'refused'],
    );
    assertAbsent(text(), [base64.slice(20, 60), ...keyPieces(clientKey.privateKey)]);
  });
});
