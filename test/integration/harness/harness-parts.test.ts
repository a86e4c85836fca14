import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { buildFleet } from '../../harness/fleet-yaml.js';
import { fingerprintOf } from '../../harness/host-dir.js';
import { loopbackAddresses } from '../../harness/host-runtime.js';
import { runChecked } from '../../harness/os-process.js';

/* The pieces of the sandbox harness that need no root and no hosts. */

describe('sandbox harness parts', () => {
  it('computes host key fingerprints exactly as ssh-keygen -l -E sha256 prints them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'patchward-fp-'));
    try {
      for (const type of ['ed25519', 'ecdsa']) {
        const key = join(dir, type);
        await runChecked('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', key]);
        const printed = (await runChecked('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${key}.pub`])).split(' ')[1];
        assert.equal(fingerprintOf(readFileSync(`${key}.pub`, 'utf8').split(' ')[1] ?? ''), printed);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hands out one loopback address per host, 254 per /24, in one random 127.A.B.0 block per fleet', () => {
    const fixed = (values: number[]) => () => values.shift() ?? 0;
    const addresses = loopbackAddresses(256, fixed([0.5, 0.999]));
    assert.equal(new Set(addresses).size, 256);
    assert.deepEqual(addresses.slice(0, 2), ['127.128.255.1', '127.128.255.2']);
    assert.deepEqual(addresses.slice(253, 256), ['127.128.255.254', '127.128.0.1', '127.128.0.2']);
    assert.ok(loopbackAddresses(3, fixed([0, 0])).every((address) => address.startsWith('127.2.0.')));
  });

  it('builds a Fleet with default rings canary, early, broad and sudo only for the patchward user', () => {
    const hosts = Array.from({ length: 5 }, (_, i) => ({
      name: `pw-apt-0${i + 1}`,
      address: '127.0.0.1',
      port: 40000 + i,
      flavour: 'apt' as const,
      os: 'debian-12',
      hostKeyPublic: `ssh-ed25519 AAAA${i}`,
    }));
    const asRoot = buildFleet(hosts, '/run/key');
    assert.deepEqual(
      asRoot.spec.hosts.map((h) => h.labels?.['ring']),
      ['canary', 'early', 'early', 'broad', 'broad'],
    );
    assert.deepEqual(asRoot.spec.hosts[0]?.ssh, {
      user: 'root',
      keyRef: { file: '/run/key' },
      hostKeys: ['ssh-ed25519 AAAA0'],
      sudo: false,
    });
    const asUser = buildFleet(hosts, '/run/key', { user: 'patchward', name: 'demo', labels: () => ({ env: 'test' }) });
    assert.equal(asUser.metadata.name, 'demo');
    assert.ok(asUser.spec.hosts.every((h) => h.ssh?.sudo === true && h.labels?.['env'] === 'test'));
  });
});
