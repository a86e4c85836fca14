import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Fleet } from '../../../../controller/core/model/index.js';
import { resolveFleetHosts } from '../../../../controller/core/model/index.js';

const fleet: Fleet = {
  apiVersion: 'patchward.io/v1alpha1',
  kind: 'Fleet',
  metadata: { name: 'prod' },
  spec: {
    defaults: {
      port: 2200,
      labels: { env: 'prod', ring: 'broad' },
      ssh: { user: 'patchward', keyRef: { file: '/k' }, hostKeys: ['ssh-ed25519 AAAA'], sudo: true },
    },
    hosts: [
      { name: 'a', address: '10.0.0.1' },
      {
        name: 'b',
        address: '10.0.0.2',
        port: 22,
        labels: { ring: 'canary' },
        ssh: { user: 'root', hostKeys: [], trustOnFirstUse: true, sudo: false, jumpHost: 'a' },
      },
    ],
  },
};

describe('resolveFleetHosts', () => {
  it('applies defaults, lets host fields win, merges labels per key and ssh per field', () => {
    const [a, b] = resolveFleetHosts(fleet);
    assert.deepEqual(a, {
      fleet: 'prod',
      name: 'a',
      address: '10.0.0.1',
      port: 2200,
      labels: { env: 'prod', ring: 'broad' },
      ssh: {
        user: 'patchward',
        keyRef: { file: '/k' },
        hostKeys: ['ssh-ed25519 AAAA'],
        trustOnFirstUse: false,
        jumpHost: undefined,
        sudo: true,
        connectTimeoutSeconds: 15,
        commandTimeoutSeconds: 1800,
      },
      index: 0,
    });
    assert.equal(b?.port, 22);
    assert.deepEqual(b?.labels, { env: 'prod', ring: 'canary' });
    assert.deepEqual(b?.ssh, {
      user: 'root',
      keyRef: { file: '/k' },
      hostKeys: [],
      trustOnFirstUse: true,
      jumpHost: 'a',
      sudo: false,
      connectTimeoutSeconds: 15,
      commandTimeoutSeconds: 1800,
    });
  });

  it('defaults the port to 22 without fleet defaults', () => {
    const bare: Fleet = { ...fleet, spec: { hosts: [{ name: 'c', address: 'c.example' }] } };
    assert.equal(resolveFleetHosts(bare)[0]?.port, 22);
  });
});
