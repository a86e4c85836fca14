import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rebootHost } from '../../../../controller/edges/host-steps/reboot-host.js';
import { ExternalError, StalledError } from '../../../../controller/errors.js';
import { TRANSPORT_ERROR_CODES } from '../../../../controller/ports/transport.js';
import { FakeTransport } from '../../../fakes/fake-transport.js';

const OLD = '11111111-1111-4111-8111-111111111111';
const NEW = '22222222-2222-4222-8222-222222222222';
const BOOT_ID = ['cat', '/proc/sys/kernel/random/boot_id'];
const lost = () => new ExternalError('ssh', TRANSPORT_ERROR_CODES.connectionLost, 'connection lost');
const refused = () => new ExternalError('ssh', TRANSPORT_ERROR_CODES.connectionRefused, 'connection refused');

describe('rebootHost (fake transport: the order of what a rebooting host answers)', () => {
  it('command cut off by the host going down, refused while down, then a new boot id', async () => {
    const transport = new FakeTransport('h', [
      { argv: ['shutdown', '-r', 'now'], sudo: true, reply: lost() },
      { argv: BOOT_ID, reply: refused() },
      { argv: BOOT_ID, reply: { stdout: `${NEW}\n` } },
    ]);
    const outcome = await rebootHost(transport, {
      command: ['shutdown', '-r', 'now'],
      sudo: true,
      previousBootId: OLD,
      timeoutMs: 10_000,
      pollIntervalMs: 1,
    });
    transport.assertDone();
    assert.equal(outcome.outcome, 'rebooted');
    assert.equal(outcome.outcome === 'rebooted' ? outcome.bootId : '', NEW);
  });

  it('the default command, answered at once, the old boot id still answering for a moment', async () => {
    const transport = new FakeTransport('h', [
      { argv: ['systemctl', 'reboot'], reply: { exitCode: 0 } },
      { argv: BOOT_ID, reply: { stdout: OLD } },
      { argv: BOOT_ID, reply: { stdout: NEW } },
    ]);
    const outcome = await rebootHost(transport, { sudo: false, previousBootId: OLD, timeoutMs: 10_000, pollIntervalMs: 1 });
    transport.assertDone();
    assert.equal(outcome.outcome, 'rebooted');
  });

  it('a changed host key after the reboot is thrown (a person must look), not waited out', async () => {
    const transport = new FakeTransport('h', [
      { argv: ['systemctl', 'reboot'], reply: { exitCode: 0 } },
      { argv: BOOT_ID, reply: new StalledError(TRANSPORT_ERROR_CODES.hostKeyMismatch, 'host key changed') },
    ]);
    await assert.rejects(
      rebootHost(transport, { sudo: false, previousBootId: OLD, timeoutMs: 10_000, pollIntervalMs: 1 }),
      /host key changed/,
    );
  });
});
