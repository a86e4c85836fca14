import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  createHostVerifier,
  hostKeyAlgorithmsFor,
  keyLineOf,
  parsePinnedKey,
} from '../../../../../controller/edges/transport/ssh/host-keys.js';
import { generateKeyPair } from '../../../../fakes/fake-ssh-server.js';

describe('host keys', () => {
  it('computes the same SHA256 fingerprint as ssh-keygen -lf', () => {
    const key = generateKeyPair().publicKey;
    const file = join(mkdtempSync(join(tmpdir(), 'pw-key-')), 'k.pub');
    writeFileSync(file, `${key} test\n`);
    const expected = execFileSync('ssh-keygen', ['-lf', file], { encoding: 'utf8' }).split(' ')[1];
    assert.equal(parsePinnedKey(key)?.fingerprint, expected);
  });

  it('rejects malformed pins and a type that does not match the blob', () => {
    const key = generateKeyPair().publicKey;
    assert.equal(parsePinnedKey('garbage'), undefined);
    assert.equal(parsePinnedKey(key.replace('ssh-ed25519', 'ssh-rsa')), undefined);
    assert.equal(keyLineOf(parsePinnedKey(`${key} comment`)?.blob ?? Buffer.alloc(0)), key);
  });

  it('verifies by byte equality; trust-on-first-use only with no pins', () => {
    const a = parsePinnedKey(generateKeyPair().publicKey);
    const b = parsePinnedKey(generateKeyPair().publicKey);
    assert.ok(a !== undefined && b !== undefined);
    assert.equal(createHostVerifier([a], true).verify(b.blob), false);
    assert.equal(createHostVerifier([a], false).verify(a.blob), true);
    const tofu = createHostVerifier([], true);
    assert.equal(tofu.verify(b.blob), true);
    assert.equal(tofu.state.trustedOnFirstUse, true);
    assert.equal(createHostVerifier([], false).verify(b.blob), false);
  });

  it('offers only the pinned key types, rsa with its sha2 signatures', () => {
    assert.deepEqual(hostKeyAlgorithmsFor(['ssh-ed25519', 'ssh-rsa']), ['ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  });
});
