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
      if (data === undefined) throw Object.assign(new Error('HTTP-Code: 404'), { code: 404 });
      return { data };
    },
  };
}

const hasCode = (code: string) => (error: unknown) => isPatchwardError(error) && error.code === code;

describe('secret readers', () => {
  it('reads a key from a Kubernetes Secret (base64 data), default namespace applied', async () => {
    const api = fakeApi({ 'patchward/ssh': { id_ed25519: Buffer.from('KEY').toString('base64') } });
    const reader = new KubeSecretReader(api, 'patchward');
    assert.equal((await reader.read({ secretRef: { name: 'ssh', key: 'id_ed25519' } })).toString(), 'KEY');
    await assert.rejects(reader.read({ secretRef: { name: 'ssh', key: 'missing' } }), hasCode('KeyUnavailable'));
    await assert.rejects(reader.read({ secretRef: { name: 'nope', key: 'k', namespace: 'other' } }), hasCode('KeyUnavailable'));
    assert.deepEqual(api.asked, ['patchward/ssh', 'patchward/ssh', 'other/nope']);
  });

  it('reads files relative to the base dir and delegates secretRefs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-secret-'));
    writeFileSync(join(dir, 'id'), 'FILEKEY');
    const api = fakeApi({ 'ns/s': { k: Buffer.from('SECRETKEY').toString('base64') } });
    const reader = new FileSecretReader({ baseDir: dir, secrets: new KubeSecretReader(api, 'ns') });
    assert.equal((await reader.read({ file: 'id' })).toString(), 'FILEKEY');
    assert.equal((await reader.read({ secretRef: { name: 's', key: 'k' } })).toString(), 'SECRETKEY');
    await assert.rejects(reader.read({ file: 'absent' }), hasCode('KeyUnavailable'));
    await assert.rejects(new FileSecretReader({ baseDir: dir }).read({ secretRef: { name: 's', key: 'k' } }), hasCode('KeyUnavailable'));
  });
});
