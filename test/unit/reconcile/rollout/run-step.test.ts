import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostInventory } from '../../../../controller/core/inventory/host-inventory.js';
import type { Ring } from '../../../../controller/core/model/generated/kinds.js';
import type { HostSequence } from '../../../../controller/core/rollout/rollout-state.js';
import { EMPTY_TRANSACTION } from '../../../../controller/core/transaction/index.js';
import type { HostFacts, PackageManager } from '../../../../controller/ports/package-manager.js';
import type { Transport } from '../../../../controller/ports/transport.js';
import type { HostRunContext } from '../../../../controller/reconcile/rollout/host-runner.js';
import {
  PASS_FACTS_MAX_AGE_MS,
  passFactsOf,
  runStep,
  type StepMemo,
  versionsOfFacts,
} from '../../../../controller/reconcile/rollout/run-step.js';

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

describe('runStep: apply and verify in as few remote calls as the run allows', () => {
  const TARGETS = { 'pw-libdemo': '1.0-2', 'pw-demo-utils': '1.0-2' };
  const after = {
    packages: [
      { name: 'pw-libdemo', version: '1.0-2', arch: 'amd64' },
      { name: 'pw-demo-utils', version: '1.0-2', arch: 'amd64' },
    ],
    packageDb: { healthy: true, problems: [] },
    reboot: { required: true, reasons: ['reboot-required file'] },
    bootId: 'boot-b',
  } as unknown as HostFacts;

  /** A PackageManager recording every call; `checkedApply` answers with the facts read after the install. */
  function recordingPackageManager(calls: string[]): PackageManager {
    const refuse = (name: string) => () => {
      calls.push(name);
      return Promise.reject(new Error(`${name} was called`));
    };
    return {
      id: 'apt',
      collectFacts: refuse('collectFacts'),
      readState: refuse('readState'),
      refreshMetadata: refuse('refreshMetadata'),
      installedVersions: refuse('installedVersions'),
      offeredVersions: refuse('offeredVersions'),
      rebootRequired: refuse('rebootRequired'),
      simulate: refuse('simulate'),
      apply: refuse('apply'),
      checkedApply: async (targets, _options, accept) => {
        calls.push('checkedApply');
        const transaction = {
          ...EMPTY_TRANSACTION,
          upgrades: targets.map((target) => ({ name: target.name, version: target.version, fromVersion: '1.0-1' })),
        };
        if (!accept(transaction)) return { kind: 'refused', transaction };
        return { kind: 'applied', transaction, outcome: { exitCode: 0, output: '', durationMs: 1, after } };
      },
    };
  }

  function context(pm: PackageManager, ring: Partial<Ring['spec']> = {}): HostRunContext {
    return {
      ring: { metadata: { name: 'canary' }, spec: { order: 0, windows: [], ...ring } } as unknown as Ring,
      access: { name: 'web1', address: '127.0.0.1', sudo: false, transport: {} as Transport, packageManager: pm, commandTimeoutMs: 1000 },
    } as unknown as HostRunContext;
  }

  const sequence = {
    host: 'web1',
    targets: TARGETS,
    before: { 'pw-libdemo': '1.0-1', 'pw-demo-utils': '1.0-1' },
  } as unknown as HostSequence;

  it('apply decides from what observe read and verify checks what the apply read back: the checked apply is the only call', async () => {
    const calls: string[] = [];
    const passFacts = { collectedAt: NOW.toISOString(), bootId: 'boot-a', packages: [], metadataRefreshed: true };
    const memo: StepMemo = { passFacts, observed: { 'pw-libdemo': '1.0-1', 'pw-demo-utils': '1.0-1' } };
    const run = context(recordingPackageManager(calls));
    await runStep('apply', sequence, run, memo);
    const [update] = await runStep('verify', sequence, run, memo);
    assert.deepEqual(calls, ['checkedApply']);
    assert.deepEqual(update, { after: TARGETS, bootId: 'boot-b' });
    assert.deepEqual(memo.reboot, { required: true, reasons: ['reboot-required file'] });
  });

  it('without what observe read (a resumed host), apply asks the host first', async () => {
    const calls: string[] = [];
    await assert.rejects(runStep('apply', sequence, context(recordingPackageManager(calls)), {}), /installedVersions was called/);
    assert.deepEqual(calls, ['installedVersions']);
  });

  it('a preHook drops what observe read: the hook may have changed packages', async () => {
    const memo: StepMemo = { observed: { 'pw-libdemo': '1.0-1' } };
    const hookless = context(recordingPackageManager([]));
    await runStep('pre-hook', sequence, hookless, memo);
    assert.notEqual(memo.observed, undefined);
    const transport = { host: 'web1', run: async () => ({ exitCode: 0, stdout: '', stderr: '', durationMs: 1 }), close: async () => {} };
    const hooked = context(recordingPackageManager([]), { preHook: { command: ['true'], timeout: '10s' } } as Partial<Ring['spec']>);
    await runStep('pre-hook', sequence, { ...hooked, access: { ...hooked.access, transport } }, memo);
    assert.equal(memo.observed, undefined);
  });
});
