import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { fingerprintOf, parsePinnedKey } from '../../../../../controller/edges/transport/ssh/host-keys.js';
import { SshConnectionPool } from '../../../../../controller/edges/transport/ssh/ssh-connection-pool.js';
import { SshTransport } from '../../../../../controller/edges/transport/ssh/ssh-transport.js';
import { quoteArgv } from '../../../../../controller/edges/transport/quote.js';
import { Semaphore } from '../../../../../controller/edges/transport/semaphore.js';
import { openLocalStateStore } from '../../../../../controller/edges/state/local/local-state-store.js';
import { readTrustedHostKeys, StateHostKeyTrust } from '../../../../../controller/edges/transport/ssh/state-host-key-trust.js';
import { isPatchwardError } from '../../../../../controller/errors.js';
import type { KeyRef, SecretReader, SshTarget } from '../../../../../controller/ports/transport.js';
import { type ExecReply, FakeSshServer, generateKeyPair } from '../../../../fakes/fake-ssh-server.js';

const logger = pino({ level: 'silent' });
const clientKey = generateKeyPair();
const otherKey = generateKeyPair();
const secrets: SecretReader = {
  read: async (ref: KeyRef) => {
    const file = 'file' in ref ? ref.file : '';
    return Buffer.from(file === 'garbage' ? 'not a private key' : file === 'other' ? otherKey.privateKey : clientKey.privateKey);
  },
};
/** Larger than one SSH channel packet, with a 2-byte character straddling every chunk boundary. */
const wide = 'é'.repeat(100_000);

function reply(command: string): ExecReply {
  if (command.startsWith('sudo -n -- ')) return { stderr: 'sudo: a password is required\n', code: 1 };
  if (command.includes('hang')) return { hang: true };
  if (command.includes('wide')) return { stdout: wide, code: 0 };
  if (command.includes('slow')) return { stdout: 'done\n', code: 0, delayMs: 300 };
  if (command.includes('verdict')) return { ask: 'transaction: upgrade pw-libdemo\n' };
  return { stdout: `ran: ${command}\n`, stderr: 'warn\n', code: 3 };
}

function targetOf(server: FakeSshServer, overrides: Partial<SshTarget> = {}): SshTarget {
  return {
    name: 'h1',
    address: '127.0.0.1',
    port: server.port,
    user: 'patchward',
    key: { file: 'id' },
    hostKeys: [server.hostKeyLine],
    trustOnFirstUse: false,
    sudo: false,
    connectTimeoutMs: 3000,
    commandTimeoutMs: 3000,
    ...overrides,
  };
}

const hasCode = (code: string) => (error: unknown) => isPatchwardError(error) && error.code === code;
/** A person must act: Stalled, never retried. */
const stalledWith = (code: string) => (error: unknown) => isPatchwardError(error) && error.code === code && error.kind === 'Stalled';

describe('SshTransport against an in-process SSH server', () => {
  let server: FakeSshServer;
  let jump: FakeSshServer;
  before(async () => {
    server = new FakeSshServer({ exec: reply, authorizedKey: clientKey.publicKey });
    jump = new FakeSshServer({ exec: reply, authorizedKey: clientKey.publicKey, allowForwarding: true });
    await server.listen();
    await jump.listen();
  });
  after(async () => {
    await server.close();
    await jump.close();
  });

  it('runs the quoted argv, returns exit code and both streams, reuses one connection', async () => {
    const pool = new SshConnectionPool({ secrets, logger });
    const transport = new SshTransport(targetOf(server), pool, { logger });
    const before = server.connectionsAccepted;
    const argv = ['printf', '%s', "it's $(id)"];
    const first = await transport.run(argv, { timeoutMs: 3000 });
    await transport.run(['true'], { timeoutMs: 3000 });
    assert.equal(first.exitCode, 3);
    assert.equal(first.stdout, `ran: ${quoteArgv(argv)}\n`);
    assert.equal(first.stderr, 'warn\n');
    assert.equal(server.connectionsAccepted - before, 1);
    await pool.closeAll();
  });

  it('converses: the reply to what the command printed is its stdin; without one the stdin is closed at once', async () => {
    const pool = new SshConnectionPool({ secrets, logger });
    const transport = new SshTransport(targetOf(server), pool, { logger });
    const seen: string[] = [];
    const answered = await transport.run(['verdict'], {
      timeoutMs: 3000,
      reply: (stdout) => {
        seen.push(stdout);
        return stdout.includes('upgrade pw-libdemo\n') ? 'install\n' : undefined;
      },
    });
    assert.equal(answered.exitCode, 0);
    assert.equal(answered.stdout, 'transaction: upgrade pw-libdemo\nanswer: install\n');
    assert.deepEqual(seen, ['transaction: upgrade pw-libdemo\n']);
    // No reply option: stdin ends right away, and the command hears no verdict.
    const unanswered = await transport.run(['verdict'], { timeoutMs: 3000 });
    assert.equal(unanswered.exitCode, 1);
    assert.match(unanswered.stdout, /no answer\n$/);
    await pool.closeAll();
  });

  it('refuses a host whose key is not the pinned one, naming both fingerprints', async () => {
    const pinned = generateKeyPair().publicKey;
    const pool = new SshConnectionPool({ secrets, logger });
    const transport = new SshTransport(targetOf(server, { hostKeys: [pinned] }), pool, { logger });
    await assert.rejects(transport.run(['true'], { timeoutMs: 3000 }), (error: unknown) => {
      assert.ok(stalledWith('HostKeyMismatch')(error), String(error));
      const message = (error as Error).message;
      assert.ok(message.includes(parsePinnedKey(pinned)?.fingerprint ?? 'x'), message);
      assert.ok(message.includes(parsePinnedKey(server.hostKeyLine)?.fingerprint ?? 'x'), message);
      return true;
    });
  });

  it('refuses an unpinned host unless trust-on-first-use is asked for and has a state directory to record the key in', async () => {
    const pool = new SshConnectionPool({ secrets, logger });
    await assert.rejects(
      new SshTransport(targetOf(server, { hostKeys: [] }), pool, { logger }).run(['true'], { timeoutMs: 3000 }),
      stalledWith('HostKeyNotPinned'),
    );
    await assert.rejects(
      new SshTransport(targetOf(server, { name: 'h2', hostKeys: [], trustOnFirstUse: true }), pool, { logger }).run(['true'], {
        timeoutMs: 3000,
      }),
      stalledWith('HostKeyNotPinned'),
    );
  });

  it('trust-on-first-use records the key in the state store and pins it: a later cycle (new pool) refuses a changed key', async () => {
    const root = mkdtempSync(join(tmpdir(), 'pw-tofu-'));
    const directory = join(root, 'state');
    const store = await openLocalStateStore({ directory, now: new Date('2026-12-02T14:00:00Z') });
    const trust = new StateHostKeyTrust(directory, async () => store);
    try {
      const first = new SshConnectionPool({ secrets, logger, hostKeyTrust: trust, now: () => new Date('2026-12-02T14:00:00Z') });
      const tofu = targetOf(server, { name: 'h2', hostKeys: [], trustOnFirstUse: true });
      assert.equal((await new SshTransport(tofu, first, { logger }).run(['true'], { timeoutMs: 3000 })).exitCode, 3);
      const blob = parsePinnedKey(server.hostKeyLine)?.blob ?? Buffer.alloc(0);
      const expected = {
        host: 'h2',
        key: server.hostKeyLine,
        fingerprint: fingerprintOf(blob),
        address: `127.0.0.1:${server.port}`,
        recordedAt: '2026-12-02T14:00:00.000Z',
      };
      assert.deepEqual(first.trustedOnFirstUse(), [expected]);
      assert.deepEqual(await readTrustedHostKeys(store), [expected]);
      await first.closeAll();
      // Next cycle: a new pool, same store. The same host (name) now answers with another key.
      const next = new SshConnectionPool({ secrets, logger, hostKeyTrust: trust });
      const moved = targetOf(jump, { name: 'h2', hostKeys: [], trustOnFirstUse: true });
      await assert.rejects(new SshTransport(moved, next, { logger }).run(['true'], { timeoutMs: 3000 }), (error: unknown) => {
        assert.ok(stalledWith('HostKeyMismatch')(error), String(error));
        assert.match((error as Error).message, new RegExp(`trusted on first use and recorded in ${directory}`));
        return true;
      });
      assert.deepEqual(next.trustedOnFirstUse(), []);
      assert.deepEqual(await readTrustedHostKeys(store), [expected], 'the first record stays');
      // The same key again is fine, and is not reported as newly trusted.
      assert.equal((await new SshTransport(tofu, next, { logger }).run(['true'], { timeoutMs: 3000 })).exitCode, 3);
      assert.deepEqual(next.trustedOnFirstUse(), []);
      await next.closeAll();
    } finally {
      await store.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('reconnects when the Fleet entry of a host changes (address, port, user or key) and ends the old connection', async () => {
    const pool = new SshConnectionPool({ secrets, logger });
    const before = { server: server.connectionsAccepted, jump: jump.connectionsAccepted };
    await new SshTransport(targetOf(server, { name: 'mv' }), pool, { logger }).run(['true'], { timeoutMs: 3000 });
    await new SshTransport(targetOf(server, { name: 'mv' }), pool, { logger }).run(['true'], { timeoutMs: 3000 });
    assert.equal(server.connectionsAccepted - before.server, 1, 'same settings: one connection');
    const moved = targetOf(jump, { name: 'mv', hostKeys: [jump.hostKeyLine] });
    await new SshTransport(moved, pool, { logger }).run(['true'], { timeoutMs: 3000 });
    assert.equal(jump.connectionsAccepted - before.jump, 1, 'new port: a new connection to the new place');
    await new SshTransport({ ...moved, user: 'root' }, pool, { logger }).run(['true'], { timeoutMs: 3000 });
    await new SshTransport({ ...moved, user: 'root', key: { file: 'id2' } }, pool, { logger }).run(['true'], { timeoutMs: 3000 });
    assert.equal(jump.connectionsAccepted - before.jump, 3, 'new user, then new key reference: new connections');
    assert.equal(pool.size, 1);
    await pool.closeAll();
  });

  it('a command running when the Fleet entry changes finishes on the old connection, which ends after it', async () => {
    let finish = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const old = new FakeSshServer({
      exec: (command) => (command === 'gated' ? { stdout: 'done\n', code: 0, waitFor: gate } : reply(command)),
      authorizedKey: clientKey.publicKey,
    });
    await old.listen();
    const pool = new SshConnectionPool({ secrets, logger });
    try {
      const running = new SshTransport(targetOf(old, { name: 'mv2' }), pool, { logger }).run(['gated'], { timeoutMs: 10_000 });
      for (let waited = 0; old.activeCommands === 0 && waited < 3000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      const moved = targetOf(jump, { name: 'mv2', hostKeys: [jump.hostKeyLine] });
      assert.equal((await new SshTransport(moved, pool, { logger }).run(['true'], { timeoutMs: 3000 })).exitCode, 3);
      assert.equal(old.openConnections, 1, 'the old connection stays while its command runs');
      finish();
      assert.equal((await running).stdout, 'done\n', 'the running command was not cut off');
      for (let waited = 0; old.openConnections > 0 && waited < 3000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(old.openConnections, 0, 'the old connection ended once its command was done');
    } finally {
      finish();
      await pool.closeAll();
      await old.close();
    }
  });

  it('reads a private key again once its cache time has passed (a rotated Secret is picked up)', async () => {
    let reads = 0;
    let clock = 0;
    const counting: SecretReader = {
      read: async (ref) => {
        reads++;
        return secrets.read(ref);
      },
    };
    const pool = new SshConnectionPool({ secrets: counting, logger, keyCacheMs: 1000, clock: () => clock });
    const open = async (name: string) => {
      await new SshTransport(targetOf(server, { name }), pool, { logger }).run(['true'], { timeoutMs: 3000 });
    };
    await open('k1');
    await open('k2');
    assert.equal(reads, 1, 'within the cache time the key is read once');
    clock = 1001;
    await open('k3');
    assert.equal(reads, 2, 'after it, the key is read again');
    await pool.closeAll();
  });

  it('kills a command at its timeout with CommandTimeout and keeps the connection usable', async () => {
    const pool = new SshConnectionPool({ secrets, logger });
    const transport = new SshTransport(targetOf(server), pool, { logger });
    await assert.rejects(transport.run(['hang'], { timeoutMs: 200 }), hasCode('CommandTimeout'));
    assert.equal((await transport.run(['true'], { timeoutMs: 3000 })).exitCode, 3);
    assert.ok(server.signals.includes('closed'), `server saw: ${server.signals.join()}`);
    await pool.closeAll();
  });

  it('prefixes sudo -n and classifies a password prompt as SudoRequiresPassword', async () => {
    const pool = new SshConnectionPool({ secrets, logger });
    await assert.rejects(
      new SshTransport(targetOf(server), pool, { logger }).run(['id'], { timeoutMs: 3000, sudo: true }),
      stalledWith('SudoRequiresPassword'),
    );
    assert.equal(server.commands.at(-1), 'sudo -n -- id');
    await pool.closeAll();
  });

  it('reconnects once when the pooled connection dropped', async () => {
    const pool = new SshConnectionPool({ secrets, logger });
    const transport = new SshTransport(targetOf(server), pool, { logger });
    await transport.run(['true'], { timeoutMs: 3000 });
    const before = server.connectionsAccepted;
    server.dropConnections();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal((await transport.run(['true'], { timeoutMs: 3000 })).exitCode, 3);
    assert.equal(server.connectionsAccepted - before, 1);
    await pool.closeAll();
  });

  it('decodes large multi-byte output whole, not chunk by chunk', async () => {
    const pool = new SshConnectionPool({ secrets, logger });
    const result = await new SshTransport(targetOf(server), pool, { logger }).run(['wide'], { timeoutMs: 3000 });
    assert.equal(result.exitCode, 0);
    assert.ok(result.stdout === wide, `stdout differs (${result.stdout.length} vs ${wide.length} characters)`);
    await pool.closeAll();
  });

  it('classifies an unparseable private key as KeyUnavailable, without quoting it', async () => {
    const pool = new SshConnectionPool({ secrets, logger });
    await assert.rejects(
      new SshTransport(targetOf(server, { name: 'h4', key: { file: 'garbage' } }), pool, { logger }).run(['true'], { timeoutMs: 3000 }),
      (error: unknown) => {
        assert.ok(stalledWith('KeyUnavailable')(error), String(error));
        assert.ok(!(error as Error).message.includes('not a private key'), (error as Error).message);
        return true;
      },
    );
    assert.equal(pool.size, 0);
  });

  it('classifies a silent endpoint as ConnectTimeout and one that hangs up as ConnectionLost', async () => {
    const listen = (server: Server): Promise<number> =>
      new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
    const held: Socket[] = [];
    const silent = createServer((socket) => void held.push(socket));
    const hangUp = createServer((socket) => socket.end());
    const pool = new SshConnectionPool({ secrets, logger });
    try {
      await assert.rejects(
        new SshTransport(targetOf(server, { name: 's1', port: await listen(silent), connectTimeoutMs: 300 }), pool, { logger }).run(
          ['true'],
          { timeoutMs: 3000 },
        ),
        hasCode('ConnectTimeout'),
      );
      await assert.rejects(
        new SshTransport(targetOf(server, { name: 's2', port: await listen(hangUp) }), pool, { logger }).run(['true'], { timeoutMs: 3000 }),
        hasCode('ConnectionLost'),
      );
    } finally {
      for (const socket of held) socket.destroy();
      silent.close();
      hangUp.close();
    }
  });

  it('classifies refused connections and failed authentication', async () => {
    const closed = new FakeSshServer({ exec: reply, authorizedKey: clientKey.publicKey });
    const port = await closed.listen();
    await closed.close();
    const pool = new SshConnectionPool({ secrets, logger });
    await assert.rejects(
      new SshTransport(targetOf(server, { port }), pool, { logger }).run(['true'], { timeoutMs: 3000 }),
      hasCode('ConnectionRefused'),
    );
    await assert.rejects(
      new SshTransport(targetOf(server, { name: 'h3', key: { file: 'other' } }), pool, { logger }).run(['true'], { timeoutMs: 3000 }),
      stalledWith('AuthFailed'),
    );
  });

  it('reaches a host through a jump host, verifying both keys', async () => {
    const pool = new SshConnectionPool({ secrets, logger });
    const jumpTarget = targetOf(jump, { name: 'jump' });
    const via = new SshTransport(targetOf(server, { name: 'behind', jumpHost: jumpTarget }), pool, { logger });
    assert.equal((await via.run(['true'], { timeoutMs: 3000 })).exitCode, 3);
    const wrongJump = { ...jumpTarget, name: 'jump2', hostKeys: [server.hostKeyLine] };
    await assert.rejects(
      new SshTransport(targetOf(server, { name: 'behind2', jumpHost: wrongJump }), pool, { logger }).run(['true'], { timeoutMs: 3000 }),
      hasCode('HostKeyMismatch'),
    );
    const badTarget = targetOf(server, { name: 'behind3', jumpHost: jumpTarget, hostKeys: [jump.hostKeyLine] });
    await assert.rejects(new SshTransport(badTarget, pool, { logger }).run(['true'], { timeoutMs: 3000 }), hasCode('HostKeyMismatch'));
    await pool.closeAll();
  });

  it('keeps a jump host connected while hosts behind it use it, even after its own transport closed', async () => {
    const pool = new SshConnectionPool({ secrets, logger });
    const jumpTarget = targetOf(jump, { name: 'jump3' });
    const jumpTransport = new SshTransport(jumpTarget, pool, { logger });
    assert.equal((await jumpTransport.run(['true'], { timeoutMs: 3000 })).exitCode, 3);
    const behind = new SshTransport(targetOf(server, { name: 'behind4', jumpHost: jumpTarget }), pool, { logger });
    const running = behind.run(['slow'], { timeoutMs: 3000 });
    for (let waited = 0; server.commands.at(-1) !== 'slow' && waited < 3000; waited += 10)
      await new Promise((resolve) => setTimeout(resolve, 10));
    await jumpTransport.close();
    assert.equal((await running).stdout, 'done\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await jumpTransport.close();
    assert.equal(pool.size, 2, 'both connections stay until the host behind is done');
    await behind.close();
    for (let waited = 0; pool.size > 0 && waited < 2000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(pool.size, 0, 'the jump connection ends with the last host behind it');
    await pool.closeAll();
  });

  it('never runs more commands at once than the fleet-wide limit, as the server counts them', async () => {
    const counted = new FakeSshServer({ exec: reply, authorizedKey: clientKey.publicKey });
    await counted.listen();
    const pool = new SshConnectionPool({ secrets, logger });
    const limit = new Semaphore(2);
    const transports = [1, 2, 3, 4, 5].map((n) => new SshTransport(targetOf(counted, { name: `c${n}` }), pool, { logger, limit }));
    // Connect first, so that every command is ready to start at once and only the limit holds them back.
    await Promise.all(transports.map((transport) => transport.run(['true'], { timeoutMs: 3000 })));
    assert.equal(counted.activeCommands, 0);
    counted.resetPeak();
    // Each 'slow' command stays open on the server until it answers, so commands that run together overlap there.
    try {
      const results = await Promise.all(transports.map((transport) => transport.run(['slow'], { timeoutMs: 5000 })));
      assert.deepEqual(
        results.map((result) => result.stdout),
        ['done\n', 'done\n', 'done\n', 'done\n', 'done\n'],
      );
      assert.equal(counted.peakCommands, 2, 'the server saw exactly the limit of commands at once');
    } finally {
      await pool.closeAll();
      await counted.close();
    }
  });
});
