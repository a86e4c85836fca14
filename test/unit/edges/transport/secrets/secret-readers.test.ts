import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FileSecretReader } from '../../../../../controller/edges/transport/secrets/file-secret-reader.js';
import { KubeSecretReader, type SecretsApi } from '../../../../../controller/edges/transport/secrets/kube-secret-reader.js';
import { isPatchwardError } from '../../../../../controller/errors.js';

/** A fake CoreV1Api slice that fails on unexpected calls and records what it was asked. */
function fakeApi(secrets: Record<string, Record<string, string>>): SecretsApi & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async readNamespacedSecret({ name, namespace }) {
      asked.push(`${namespace}/${name}`);
      const data = secrets[`${namespace}/${name}`];
      if (namespace === 'down')
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
      if (namespace === 'busy') throw Object.assign(new Error('HTTP-Code: 503'), { code: 503 });
      if (namespace === 'rbac') throw Object.assign(new Error('HTTP-Code: 403'), { code: 403 });
      if (data === undefined) throw Object.assign(new Error('HTTP-Code: 404'), { code: 404 });
      return { data };
    },
  };
}

const hasCode = (code: string) => (error: unknown) => isPatchwardError(error) && error.code === code;
const is = (kind: string, code: string) => (error: unknown) => isPatchwardError(error) && error.kind === kind && error.code === code;

describe('secret readers', () => {
  it('reads a key from a Kubernetes Secret (base64 data), default namespace applied', async () => {
    const api = fakeApi({ 'patchward/ssh': { id_ed25519: Buffer.from('KEY').toString('base64') } });
    const reader = new KubeSecretReader(api, 'patchward');
    assert.equal((await reader.read({ secretRef: { name: 'ssh', key: 'id_ed25519' } })).toString(), 'KEY');
    await assert.rejects(reader.read({ secretRef: { name: 'ssh', key: 'missing' } }), is('Stalled', 'KeyUnavailable'));
    await assert.rejects(reader.read({ secretRef: { name: 'nope', key: 'k', namespace: 'other' } }), is('Stalled', 'SecretNotFound'));
    assert.deepEqual(api.asked, ['patchward/ssh', 'patchward/ssh', 'other/nope']);
  });

  it('"Secret not found" (a person must act) and "API server down" (retry) are different kinds', async () => {
    const reader = new KubeSecretReader(fakeApi({}), 'patchward');
    await assert.rejects(reader.read({ secretRef: { name: 's', key: 'k' } }), is('Stalled', 'SecretNotFound'));
    await assert.rejects(reader.read({ secretRef: { name: 's', key: 'k', namespace: 'rbac' } }), is('Stalled', 'SecretNotFound'));
    await assert.rejects(reader.read({ secretRef: { name: 's', key: 'k', namespace: 'down' } }), (error: unknown) => {
      assert.ok(is('External', 'SecretStoreUnavailable')(error), String(error));
      assert.equal((error as { system?: string }).system, 'kube');
      return true;
    });
    await assert.rejects(reader.read({ secretRef: { name: 's', key: 'k', namespace: 'busy' } }), is('External', 'SecretStoreUnavailable'));
  });

  it('reads files relative to the base dir and delegates secretRefs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-secret-'));
    writeFileSync(join(dir, 'id'), 'FILEKEY');
    const api = fakeApi({ 'ns/s': { k: Buffer.from('SECRETKEY').toString('base64') } });
    const reader = new FileSecretReader({ baseDir: dir, secrets: new KubeSecretReader(api, 'ns') });
    assert.equal((await reader.read({ file: 'id' })).toString(), 'FILEKEY');
    assert.equal((await reader.read({ secretRef: { name: 's', key: 'k' } })).toString(), 'SECRETKEY');
    await assert.rejects(reader.read({ file: 'absent' }), is('Stalled', 'KeyUnavailable'));
    await assert.rejects(new FileSecretReader({ baseDir: dir }).read({ secretRef: { name: 's', key: 'k' } }), hasCode('KeyUnavailable'));
  });
});
