import ssh2 from 'ssh2';
import type { Client, ClientChannel, ConnectConfig } from 'ssh2';
import { StalledError } from '../../../errors.js';
import type { Logger } from '../../../log.js';
import type { HostKeyTrust, SecretReader, SshTarget, TrustedOnFirstUse } from '../../../ports/transport.js';
import { TRANSPORT_ERROR_CODES } from '../../../ports/transport.js';
import { keyFingerprintFree } from './key-text.js';
import { classifyConnectError, classifyForwardError } from './classify-ssh-error.js';
import { createHostVerifier, type HostKey, hostKeyAlgorithmsFor, keyLineOf, parsePinnedKey } from './host-keys.js';

const { Client: SshClient } = ssh2;

export interface SshPoolOptions {
  readonly secrets: SecretReader;
  readonly logger: Logger;
  /**
   * Where keys trusted on first use are recorded and pinned from then on. Without it a host with no
   * pinned key is refused (HostKeyNotPinned) even when `trustOnFirstUse` is set: trust must be durable.
   */
  readonly hostKeyTrust?: HostKeyTrust;
  /** SSH keepalive period; 3 missed replies close the connection. Default 15 s. */
  readonly keepaliveIntervalMs?: number;
  /** How long a private key read from a file or Secret is reused before it is read again. Default 60 s. */
  readonly keyCacheMs?: number;
  /** Monotonic clock in ms for the key cache (injected in tests). */
  readonly clock?: () => number;
  /** Wall clock for the time a key trusted on first use is recorded. */
  readonly now?: () => Date;
}

/** One pooled connection. */
interface Entry {
  readonly name: string;
  /** What the connection was made with (address, port, user, key, pins, jump host): a change means a new connection. */
  readonly identity: string;
  readonly ready: Promise<Client>;
  /** Commands running on it. */
  busy: number;
  /** Connections open (or opening) through it as a jump host. */
  behind: number;
  /** Released or replaced: end it as soon as nothing uses it. */
  closing: boolean;
  closed: boolean;
  client?: Client;
}

/** A connection lent to one command; `release` is idempotent. */
export interface SshLease {
  readonly client: Client;
  release(): void;
}

/**
 * One ssh2 connection per host name, shared by every command to that host and by hosts that jump
 * through it. A connection that closes leaves the pool; the next command connects again. When the
 * Fleet entry of a host changes (address, port, user, key reference, pinned keys, jump host), the
 * next use makes a new connection and the old one ends once its commands are done. Releasing a
 * connection waits for its commands and for the connections through it.
 */
export class SshConnectionPool {
  readonly #options: SshPoolOptions;
  readonly #logger: Logger;
  readonly #entries = new Map<string, Entry>();
  readonly #keys = new Map<string, { readonly value: Promise<Buffer>; readonly expires: number }>();
  readonly #trusted: TrustedOnFirstUse[] = [];

  constructor(options: SshPoolOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ component: 'ssh-pool' });
  }

  /** Host keys recorded by trust-on-first-use through this pool, for the user to pin. */
  trustedOnFirstUse(): readonly TrustedOnFirstUse[] {
    return [...this.#trusted];
  }

  /** The pooled, ready connection to `target`, held for one command until `release()`. */
  async lease(target: SshTarget): Promise<SshLease> {
    const entry = this.#entryFor(target);
    entry.busy++;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      entry.busy--;
      this.#endIfIdle(entry);
    };
    try {
      return { client: await entry.ready, release };
    } catch (error) {
      release();
      throw error;
    }
  }

  /**
   * Starts connecting to `target` now, without running anything: the next `lease` finds the
   * connection ready or on its way (a failure is met again, classified, by that lease). The
   * connection stays open like a used one, until `release` or `closeAll`.
   */
  connectAhead(target: SshTarget): void {
    this.#entryFor(target);
  }

  /** Forgets `client` for `target` (it dropped) and ends it. */
  drop(target: SshTarget, client: Client): void {
    const entry = this.#entries.get(target.name);
    if (entry?.client === client) this.#entries.delete(target.name);
    client.end();
  }

  /**
   * Ends the connection to `name` once its commands and the connections through it are done; never
   * connects. Using the host again before that keeps the connection.
   */
  release(name: string): void {
    const entry = this.#entries.get(name);
    if (entry === undefined) return;
    entry.closing = true;
    this.#endIfIdle(entry);
  }

  /** Hosts with an open (or opening) connection. */
  get size(): number {
    return this.#entries.size;
  }

  /** Closes every connection now. */
  async closeAll(): Promise<void> {
    const all = [...this.#entries.values()];
    this.#entries.clear();
    const settled = await Promise.allSettled(all.map((entry) => entry.ready));
    for (const outcome of settled) if (outcome.status === 'fulfilled') outcome.value.end();
  }

  #entryFor(target: SshTarget): Entry {
    const identity = identityOf(target);
    const existing = this.#entries.get(target.name);
    if (existing !== undefined && !existing.closed && existing.identity === identity) {
      existing.closing = false;
      return existing;
    }
    if (existing !== undefined) {
      this.#entries.delete(target.name);
      if (!existing.closed) {
        this.#logger.info({ host: target.name }, 'ssh settings of the host changed; reconnecting');
        existing.closing = true;
        this.#endIfIdle(existing, true);
      }
    }
    const ready = this.#open(target, () => {
      entry.closed = true;
      if (this.#entries.get(target.name) === entry) this.#entries.delete(target.name);
    });
    const entry: Entry = { name: target.name, identity, ready, busy: 0, behind: 0, closing: false, closed: false };
    this.#entries.set(target.name, entry);
    ready.then(
      (client) => {
        entry.client = client;
      },
      () => {
        entry.closed = true;
        if (this.#entries.get(target.name) === entry) this.#entries.delete(target.name);
      },
    );
    return entry;
  }

  /** Ends a connection that is closing and unused (`retired`: already out of the map). */
  #endIfIdle(entry: Entry, retired = false): void {
    if (!entry.closing || entry.busy > 0 || entry.behind > 0) return;
    if (!retired && this.#entries.get(entry.name) === entry) this.#entries.delete(entry.name);
    entry.ready.then(
      (client) => client.end(),
      () => undefined,
    );
  }

  #key(target: SshTarget): Promise<Buffer> {
    const id = JSON.stringify(target.key);
    const clock = this.#options.clock ?? (() => performance.now());
    const cached = this.#keys.get(id);
    if (cached !== undefined && cached.expires > clock()) return cached.value;
    const value = this.#options.secrets.read(target.key);
    const entry = { value, expires: clock() + (this.#options.keyCacheMs ?? 60_000) };
    this.#keys.set(id, entry);
    value.catch(() => {
      if (this.#keys.get(id) === entry) this.#keys.delete(id);
    });
    return value;
  }

  /** The pins for `target`: its `hostKeys`, else the key recorded on first use, else none. */
  async #pinsOf(target: SshTarget): Promise<{ pinned: HostKey[]; recorded?: TrustedOnFirstUse }> {
    const pinned: HostKey[] = [];
    for (const [index, line] of target.hostKeys.entries()) {
      const key = parsePinnedKey(line);
      if (key === undefined) {
        throw new StalledError(
          TRANSPORT_ERROR_CODES.hostKeyNotPinned,
          `ssh.hostKeys[${index}] of ${target.name} is not an OpenSSH public key line ("type base64")`,
          { context: { host: target.name } },
        );
      }
      pinned.push(key);
    }
    if (pinned.length > 0 || !target.trustOnFirstUse) return { pinned };
    const trust = this.#options.hostKeyTrust;
    if (trust === undefined) {
      throw new StalledError(
        TRANSPORT_ERROR_CODES.hostKeyNotPinned,
        `host key of ${target.name} is not pinned and trust-on-first-use has no state directory to record it in; pin it in ssh.hostKeys`,
        { context: { host: target.name } },
      );
    }
    const recorded = await trust.recorded(target.name);
    const key = recorded === undefined ? undefined : parsePinnedKey(recorded.key);
    if (recorded !== undefined && key === undefined) {
      throw new StalledError(
        TRANSPORT_ERROR_CODES.hostKeyNotPinned,
        `the host key recorded for ${target.name} in ${trust.location} is not a valid key line; repair or remove the record`,
        { context: { host: target.name } },
      );
    }
    return key === undefined || recorded === undefined ? { pinned } : { pinned: [key], recorded };
  }

  /** Connects (through the jump host, if any); `onClose` runs when the connection ends. */
  async #open(target: SshTarget, onClose: () => void): Promise<Client> {
    const { pinned, recorded } = await this.#pinsOf(target);
    const privateKey = await this.#key(target);
    const jumpEntry = target.jumpHost === undefined ? undefined : this.#entryFor(target.jumpHost);
    let leftJump = false;
    const leaveJump = (): void => {
      if (jumpEntry === undefined || leftJump) return;
      leftJump = true;
      jumpEntry.behind--;
      this.#endIfIdle(jumpEntry, this.#entries.get(jumpEntry.name) !== jumpEntry);
    };
    let sock: ClientChannel | undefined;
    if (jumpEntry !== undefined && target.jumpHost !== undefined) {
      jumpEntry.behind++;
      try {
        sock = await forwardOut(await jumpEntry.ready, target, target.jumpHost.name);
      } catch (error) {
        leaveJump();
        throw error;
      }
    }
    const { verify, state } = createHostVerifier(pinned, target.trustOnFirstUse && recorded === undefined);
    const logger = this.#logger.child({ host: target.name });
    const started = performance.now();
    const config: ConnectConfig = {
      host: target.address,
      port: target.port,
      username: target.user,
      privateKey,
      readyTimeout: target.connectTimeoutMs,
      keepaliveInterval: this.#options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => verify(key),
      ...(pinned.length > 0 ? { algorithms: { serverHostKey: hostKeyAlgorithmsFor(pinned.map((pin) => pin.type)) as never } } : {}),
      ...(sock === undefined ? {} : { sock }),
    };
    const client = new SshClient();
    try {
      await handshake(client, config, logger, () => {
        onClose();
        leaveJump();
      });
    } catch (raw) {
      client.destroy();
      leaveJump();
      if (raw instanceof KeyRefused) {
        throw new StalledError(
          TRANSPORT_ERROR_CODES.keyUnavailable,
          `cannot use the SSH key for ${target.name}: ${keyFingerprintFree(raw.cause)}`,
          { cause: raw.cause, context: { host: target.name } },
        );
      }
      const trust = recorded === undefined ? undefined : this.#options.hostKeyTrust;
      throw classifyConnectError(raw, target, state, pinned, target.jumpHost?.name, trust);
    }
    if (state.trustedOnFirstUse && state.seen !== undefined) await this.#recordFirstUse(target, state.seen, client, logger);
    logger.debug({ durationMs: performance.now() - started, via: target.jumpHost?.name }, 'ssh connected');
    return client;
  }

  /** Records a key accepted on first use before any command runs; a different earlier record wins. */
  async #recordFirstUse(target: SshTarget, seen: HostKey, client: Client, logger: Logger): Promise<void> {
    const trust = this.#options.hostKeyTrust;
    if (trust === undefined) return;
    const candidate: TrustedOnFirstUse = {
      host: target.name,
      key: keyLineOf(seen.blob),
      fingerprint: seen.fingerprint,
      address: `${target.address}:${target.port}`,
      recordedAt: (this.#options.now ?? (() => new Date()))().toISOString(),
    };
    let recorded: TrustedOnFirstUse;
    try {
      recorded = await trust.record(candidate);
    } catch (error) {
      client.end();
      throw error;
    }
    if (recorded.key !== candidate.key) {
      client.end();
      throw new StalledError(
        TRANSPORT_ERROR_CODES.hostKeyMismatch,
        `HOST KEY MISMATCH for ${target.name}: expected ${recorded.fingerprint} (trusted on first use and recorded in ${trust.location}), ` +
          `seen ${seen.type} ${seen.fingerprint}; refusing the host`,
        { context: { host: target.name, expectedFingerprints: recorded.fingerprint, seenFingerprint: seen.fingerprint } },
      );
    }
    this.#trusted.push(recorded);
    logger.warn({ fingerprint: recorded.fingerprint, hostKey: recorded.key }, 'host key trusted on first use; pin it in ssh.hostKeys');
  }
}

/** The settings a connection was made with; jump hosts included, recursively. */
function identityOf(target: SshTarget): string {
  return JSON.stringify([
    target.address,
    target.port,
    target.user,
    target.key,
    target.hostKeys,
    target.trustOnFirstUse,
    target.jumpHost === undefined ? null : identityOf(target.jumpHost),
  ]);
}

/** ssh2 could not use the private key (it throws while reading the config, before any I/O). */
class KeyRefused extends Error {
  constructor(cause: unknown) {
    super('private key refused', { cause });
  }
}

/**
 * Connects `client` and resolves at `ready`. The first `error` (or a `close` without one) decides
 * the failure; an `error` after `ready` is logged (a listener stays, so it never crashes the
 * process); `onClose` runs when the connection ends, whenever that is.
 */
function handshake(client: Client, config: ConnectConfig, logger: Logger, onClose: () => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    client.on('ready', () => {
      settled = true;
      resolve();
    });
    client.on('error', (raw: unknown) => {
      if (settled) {
        logger.warn({ err: raw }, 'ssh connection error');
        return;
      }
      settled = true;
      reject(raw);
    });
    client.on('close', () => {
      onClose();
      if (settled) return;
      settled = true;
      reject(new Error('connection closed during handshake'));
    });
    try {
      client.connect(config);
      // ssh2 made its socket inside connect(). Commands are small request/response exchanges: with
      // Nagle on, every exec channel waits out the peer's delayed ACK (~40 ms on loopback: a `true`
      // took 45-50 ms instead of 4-6 ms, the handshake 255 ms instead of 48 ms). A jump host's
      // channel has no such option (ssh2 skips it).
      client.setNoDelay(true);
    } catch (raw) {
      settled = true;
      reject(new KeyRefused(raw));
    }
  });
}

/** A `direct-tcpip` channel from `jump` to the target, to use as the target connection's socket. */
function forwardOut(jump: Client, target: SshTarget, via: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    try {
      jump.forwardOut('127.0.0.1', 0, target.address, target.port, (raw, channel) => {
        if (raw !== undefined && raw !== null) reject(classifyForwardError(raw, target, via));
        else resolve(channel);
      });
    } catch (raw) {
      reject(classifyForwardError(raw, target, via));
    }
  });
}
