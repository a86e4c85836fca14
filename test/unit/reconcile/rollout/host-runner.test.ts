/**
 * `runHost`'s records: an intent is durable before every step acts on the host, and one write
 * carries a step's outcome together with the next step's intent. Fakes: the package manager and the
 * state writes are recorded in one timeline, so the order is what is checked.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Ring } from '../../../../controller/core/model/generated/kinds.js';
import { type HostSequence, newHostSequence } from '../../../../controller/core/rollout/rollout-state.js';
import { EMPTY_TRANSACTION } from '../../../../controller/core/transaction/index.js';
import type { HostFacts, PackageManager } from '../../../../controller/ports/package-manager.js';
import type { Transport } from '../../../../controller/ports/transport.js';
import { type HostRunContext, runHost } from '../../../../controller/reconcile/rollout/host-runner.js';

const TARGETS = { 'pw-libdemo': '1.0-2' };
const AFTER = {
  packages: [{ name: 'pw-libdemo', version: '1.0-2', arch: 'all' }],
  packageDb: { healthy: true, problems: [] },
  reboot: { required: false, reasons: [] },
  bootId: 'boot-a',
} as unknown as HostFacts;

function harness() {
  const timeline: string[] = [];
  const saved: HostSequence[] = [];
  const pm = {
    id: 'apt',
    checkedApply: async (targets, _options, accept) => {
      const transaction = {
        ...EMPTY_TRANSACTION,
        upgrades: targets.map((t) => ({ name: t.name, version: t.version, fromVersion: '1.0-1' })),
      };
      timeline.push('effect apply');
      assert.ok(accept(transaction));
      return { kind: 'applied', transaction, outcome: { exitCode: 0, output: '', durationMs: 1, after: AFTER } };
    },
  } as Partial<PackageManager> as PackageManager;
  const context: HostRunContext = {
    ring: { metadata: { name: 'canary' }, spec: { order: 0, windows: [] } } as unknown as Ring,
    access: { name: 'web1', address: '127.0.0.1', sudo: false, transport: {} as Transport, packageManager: pm, commandTimeoutMs: 1000 },
    clock: () => new Date('2026-12-02T12:00:00Z'),
    save: async (sequence) => {
      saved.push(sequence);
      timeline.push(`save ${sequence.phase} done=[${sequence.done.join(',')}] intent=${sequence.intent?.step ?? '-'}`);
    },
    audit: async () => undefined,
    halt: async () => undefined,
    print: () => undefined,
    boundary: (_host, step, point) => timeline.push(`boundary ${step} ${point}`),
  };
  return { timeline, saved, context };
}

describe('runHost: intent records', () => {
  it('writes each step intent before the step acts, sharing one write with the previous outcome', async () => {
    const { timeline, saved, context } = harness();
    const initial: HostSequence = { ...newHostSequence('bench@abc', 'web1', 'canary'), targets: TARGETS, packageManager: 'apt' };
    const passFacts = {
      collectedAt: '2026-12-02T11:59:59Z',
      bootId: 'boot-a',
      packages: [{ name: 'pw-libdemo', version: '1.0-1' }],
      metadataRefreshed: true,
    };
    const finished = await runHost(initial, { attempt: 1, resume: false, passFacts }, context);
    assert.equal(finished.phase, 'succeeded');
    assert.deepEqual(finished.after, TARGETS);
    // Before each step's intent boundary, the last write holds that step's intent.
    for (const [index, entry] of timeline.entries()) {
      const intent = /^boundary (\S+) intent$/.exec(entry);
      if (intent === null) continue;
      const lastSave = timeline.slice(0, index).findLast((line) => line.startsWith('save '));
      assert.match(lastSave ?? '', new RegExp(`intent=${intent[1]}$`), `before ${entry}`);
    }
    assert.ok(timeline.indexOf('effect apply') > timeline.indexOf('boundary apply intent'));
    // The attempt with the first intent, five outcome+intent writes, the last outcome, the end: 8, not 14.
    assert.equal(saved.length, 8);
    assert.deepEqual(
      saved.map((sequence) => sequence.intent?.step ?? '-'),
      ['observe', 'pre-hook', 'apply', 'verify', 'reboot', 'health', '-', '-'],
    );
  });
});
