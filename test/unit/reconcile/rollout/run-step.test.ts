import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostInventory } from '../../../../controller/core/inventory/host-inventory.js';
import { PASS_FACTS_MAX_AGE_MS, passFactsOf, versionsOfFacts } from '../../../../controller/reconcile/rollout/run-step.js';
import type { HostFacts } from '../../../../controller/ports/package-manager.js';

const NOW = new Date('2026-12-02T12:00:00Z');

function snapshot(extra: Partial<HostInventory> = {}): HostInventory {
  return {
    apiVersion: 'patchward.io/v1alpha1',
    kind: 'HostInventory',
    host: 'web1',
    collectedAt: new Date(NOW.getTime() - 5_000).toISOString(),
    status: 'ok',
    packages: [{ name: 'pw-libdemo', version: '1.0-1', arch: 'amd64' }],
    bootId: 'boot-a',
    metadataRefreshed: true,
    packageDb: { healthy: true, problems: [] },
    ...extra,
  };
}

describe('passFactsOf: when a host sequence may start from the inventory of its pass', () => {
  it('takes a healthy, recent snapshot with a boot id', () => {
    assert.deepEqual(passFactsOf([snapshot()], 'web1', NOW), {
      collectedAt: '2026-12-02T11:59:55.000Z',
      bootId: 'boot-a',
      packages: [{ name: 'pw-libdemo', version: '1.0-1' }],
      metadataRefreshed: true,
    });
    assert.equal(passFactsOf([snapshot({ metadataRefreshed: false })], 'web1', NOW)?.metadataRefreshed, false);
    assert.equal(passFactsOf([snapshot({ metadataRefreshed: undefined })], 'web1', NOW)?.metadataRefreshed, false);
  });

  it('refuses anything else: another host, not ok, unhealthy or locked database, no boot id, too old, from the future', () => {
    const old = new Date(NOW.getTime() - PASS_FACTS_MAX_AGE_MS - 1).toISOString();
    const future = new Date(NOW.getTime() + 1_000).toISOString();
    const cases: [string, HostInventory][] = [
      ['host', snapshot({ host: 'web2' })],
      ['status', snapshot({ status: 'unreachable' })],
      ['lock', snapshot({ packageDb: { healthy: false, problems: [{ kind: 'lock-held', path: '/var/lib/dpkg/lock', detail: 'held' }] } })],
      ['no db', snapshot({ packageDb: undefined })],
      ['boot id', snapshot({ bootId: undefined })],
      ['old', snapshot({ collectedAt: old })],
      ['future', snapshot({ collectedAt: future })],
    ];
    for (const [name, item] of cases) assert.equal(passFactsOf([item], 'web1', NOW), undefined, name);
  });
});

describe('versionsOfFacts: the verify step reads the targets from the facts script', () => {
  it('lists the targets only, and marks a target dpkg did not finish as not installed at its version', () => {
    const facts = {
      packages: [
        { name: 'pw-libdemo', version: '1.0-2', arch: 'amd64' },
        { name: 'pw-demo-utils', version: '1.0-2', arch: 'amd64' },
        { name: 'bash', version: '5.2', arch: 'amd64' },
      ],
      packageDb: {
        healthy: false,
        problems: [{ kind: 'half-configured', package: 'pw-demo-utils', detail: 'pw-demo-utils 1.0-2 is half-configured' }],
      },
    } as unknown as HostFacts;
    assert.deepEqual(versionsOfFacts(['pw-libdemo', 'pw-demo-utils'], facts), [
      { name: 'pw-libdemo', version: '1.0-2' },
      { name: 'pw-demo-utils', version: '1.0-2 (half-configured)' },
    ]);
  });
});
