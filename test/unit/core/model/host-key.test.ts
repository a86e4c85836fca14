import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { hostKeyProblem } from '../../../../controller/core/model/host-key.js';

function sshString(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

function blob(...fields: (string | Buffer)[]): string {
  return Buffer.concat(fields.map((field) => sshString(typeof field === 'string' ? Buffer.from(field) : field))).toString('base64');
}

function ecdsaPoint(curve: 'P-256' | 'P-384'): Buffer {
  const jwk = generateKeyPairSync('ec', { namedCurve: curve }).publicKey.export({ format: 'jwk' }) as { x: string; y: string };
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, 'base64url'), Buffer.from(jwk.y, 'base64url')]);
}

function rsaFields(bits: number): Buffer[] {
  const jwk = generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const mpint = (text: string) => {
    const raw = Buffer.from(text, 'base64url');
    return (raw[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw;
  };
  return [mpint(jwk.e), mpint(jwk.n)];
}

describe('hostKeyProblem', () => {
  const ed = Buffer.alloc(32, 7);
  const cases: [string, string | undefined | RegExp][] = [
    ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE6Ks3v3x8K2+ekNUqwC6DOoExNxEwKrTvjwwhKNgjkE', undefined],
    [`ssh-ed25519 ${blob('ssh-ed25519', ed)} comment here`, undefined],
    [`ecdsa-sha2-nistp256 ${blob('ecdsa-sha2-nistp256', 'nistp256', ecdsaPoint('P-256'))}`, undefined],
    [`ecdsa-sha2-nistp384 ${blob('ecdsa-sha2-nistp384', 'nistp384', ecdsaPoint('P-384'))}`, undefined],
    [`ssh-rsa ${blob('ssh-rsa', ...rsaFields(2048))}`, undefined],
    [`ssh-rsa ${blob('ssh-rsa', ...rsaFields(512))}`, /RSA modulus has 512 bits/],
    [`ssh-ed25519 ${blob('ssh-rsa', ...rsaFields(2048))}`, /declared ssh-ed25519 but its key data is a "ssh-rsa" key/],
    [`ssh-ed25519 ${blob('ssh-ed25519', ed.subarray(0, 31))}`, /not 32 bytes/],
    [`ssh-ed25519 ${blob('ssh-ed25519', ed, 'extra')}`, /trailing bytes/],
    [`ecdsa-sha2-nistp256 ${blob('ecdsa-sha2-nistp256', 'nistp384', ecdsaPoint('P-384'))}`, /curve is not nistp256/],
    ['ssh-ed25519 AAAA', /not an SSH public key/],
    ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE6Ks3v3x8K2', /not valid base64|not 32 bytes|not an SSH public key/],
    ['ssh-ed25519', /must be "type base64"/],
  ];
  for (const [line, expected] of cases) {
    it(line.slice(0, 60), () => {
      const problem = hostKeyProblem(line);
      if (expected === undefined) assert.equal(problem, undefined);
      else assert.match(problem ?? '', expected as RegExp);
    });
  }
});
