import { NodeSSH, type Config } from 'node-ssh';
import { ExternalError } from '../../../errors.js';
import type { Logger } from '../../../log.js';
import type { SecretReader, SshTarget, TrustedOnFirstUse } from '../../../ports/transport.js';
import { TRANSPORT_ERROR_CODES } from '../../../ports/transport.js';
import { keyFingerprintFree } from './key-text.js';
import { classifyConnectError, classifyForwardError } from './classify-ssh-error.js';
import { createHostVerifier, type HostKey, hostKeyAlgorithmsFor, keyLineOf, parsePinnedKey } from './host-keys.js';

export interface SshPoolOptions {
  readonly secrets: SecretReader;
  readonly logger: Logger;
  /** SSH keepalive period; 3 missed replies close the connection. Default 15 s. */
  readonly keepaliveIntervalMs?: number;
  /** Called once per host whose key was accepted by trust-on-first-use. */
  readonly onTrustedOnFirstUse?: (trusted: TrustedOnFirstUse) => void;
}

/**
 * One SSH connection (a node-ssh `NodeSSH`) per host, shared by every command to that host and by
 * hosts that jump through it. A connection that closes leaves the pool; the next command connects
 * again. Releasing a jump host's connection waits until no connection through it is left.
 */
export class SshConnectionPool {
  readonly #options: SshPoolOptions;
  readonly #logger: Logger;
  readonly #connections = new Map<string, Promise<NodeSSH>>();
  readonly #keys = new Map<string, Promise<Buffer>>();
  /** Keys accepted on first use in this process: later connections must present the same key. */
  readonly #firstUse = new Map<string, HostKey>();
  readonly #trusted: TrustedOnFirstUse[] = [];
  /** Per jump host, one token per connection open (or opening) through it. */
  readonly #behind = new Map<string, Set<object>>();
  /** Jump hosts released while connections through them were still open. */
  readonly #releasePending = new Set<string>();

  constructor(options: SshPoolOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ component: 'ssh-pool' });
  }

  /** Host keys accepted by trust-on-first-use so far, for the user to pin. */
  trustedOnFirstUse(): readonly TrustedOnFirstUse[] {
    return [...this.#trusted];
  }

  /** The pooled, ready connection to `target` (connecting, through its jump host, if needed). */
  connect(target: SshTarget): Promise<NodeSSH> {
    this.#releasePending.delete(target.name);
    const existing = this.#connections.get(target.name);
    if (existing !== undefined) return existing;
    const pending = this.#open(target);
    this.#connections.set(target.name, pending);
    pending.catch(() => {
      if (this.#connections.get(target.name) === pending) this.#connections.delete(target.name);
    });
    return pending;
  }

  /** Forgets `ssh` for `target` (it dropped) and ends it. */
  drop(target: SshTarget, ssh: NodeSSH): void {
    this.#forget(target.name, ssh);
    ssh.dispose();
  }

  /**
   * Ends the connection to `name` if one is open or opening; never connects. A jump host's
   * connection ends only once the last connection through it has closed.
   */
  release(name: string): void {
    const pending = this.#connections.get(name);
    if (pending === undefined) return;
    if ((this.#behind.get(name)?.size ?? 0) > 0) {
      this.#releasePending.add(name);
      return;
    }
    this.#releasePending.delete(name);
    this.#connections.delete(name);
    pending.then(
      (ssh) => ssh.dispose(),
      () => undefined,
    );
  }

  /** Hosts with an open (or opening) connection. */
  get size(): number {
    return this.#connections.size;
  }

  /** Closes every connection: targets first, then the jump hosts they used. */
  async closeAll(): Promise<void> {
    const all = [...this.#connections.values()];
    this.#connections.clear();
    this.#behind.clear();
    this.#releasePending.clear();
    const connections = await Promise.allSettled(all);
    for (const settled of connections) if (settled.status === 'fulfilled') settled.value.dispose();
  }

  /** Removes `name` from the pool if `ssh` is still its connection. */
  #forget(name: string, ssh: NodeSSH): void {
    void this.#connections.get(name)?.then(
      (current) => {
        if (current === ssh) this.#connections.delete(name);
      },
      () => undefined,
    );
  }

  /** Counts one connection through `jump`; the returned function (idempotent) uncounts it. */
  #useJump(jump: string): () => void {
    const token = {};
    let users = this.#behind.get(jump);
    if (users === undefined) {
      users = new Set();
      this.#behind.set(jump, users);
    }
    users.add(token);
    return () => {
      if (!users.delete(token) || users.size > 0) return;
      if (this.#behind.get(jump) === users) this.#behind.delete(jump);
      if (this.#releasePending.has(jump)) this.release(jump);
    };
  }

  #key(target: SshTarget): Promise<Buffer> {
    const id = JSON.stringify(target.key);
    let key = this.#keys.get(id);
    if (key === undefined) {
      key = this.#options.secrets.read(target.key);
      this.#keys.set(id, key);
      key.catch(() => this.#keys.delete(id));
    }
    return key;
  }

  async #open(target: SshTarget): Promise<NodeSSH> {
    const pinned: HostKey[] = [];
    for (const [index, line] of target.hostKeys.entries()) {
      const key = parsePinnedKey(line);
      if (key === undefined) {
        throw new ExternalError(
          'ssh',
          TRANSPORT_ERROR_CODES.hostKeyNotPinned,
          `ssh.hostKeys[${index}] of ${target.name} is not an OpenSSH public key line ("type base64")`,
          { context: { host: target.name } },
        );
      }
      pinned.push(key);
    }
    const remembered = this.#firstUse.get(target.name);
    if (pinned.length === 0 && remembered !== undefined) pinned.push(remembered);
    const privateKey = (await this.#key(target)).toString('utf8');
    let sock: Config['sock'];
    const leaveJump = target.jumpHost === undefined ? () => undefined : this.#useJump(target.jumpHost.name);
    if (target.jumpHost !== undefined) {
      try {
        const jump = await this.connect(target.jumpHost);
        sock = await forwardOut(jump, target, target.jumpHost.name);
      } catch (error) {
        leaveJump();
        throw error;
      }
    }
    const { verify, state } = createHostVerifier(pinned, target.trustOnFirstUse);
    const logger = this.#logger.child({ host: target.name });
    const started = performance.now();
    // node-ssh hands this config to ssh2's `Client.connect` as is.
    const config: Config = {
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
    const ssh = new NodeSSH();
    const connecting = ssh.connect(config);
    // node-ssh creates its ssh2 Client synchronously inside `connect`; we listen to it ourselves
    // because node-ssh's rejection hides what happened: a socket that closed without an error becomes
    // a generic ETIMEDOUT, and a failure that was thrown (ssh2 could not parse the private key) rather
    // than emitted looks like any other. Our `error` listener also outlives the handshake (node-ssh
    // removes its own at `ready`), so a later error is logged instead of crashing the process.
    const client = ssh.connection;
    // Commands are small request/response exchanges: with Nagle on, every exec channel waits out
    // the peer's delayed ACK (~40 ms on loopback, measured 45-50 ms per `true` vs 4-6 ms without).
    client?.setNoDelay(true);
    let ready = false;
    let failure: { raw: unknown } | undefined;
    let closed = false;
    client?.on('error', (raw: unknown) => {
      if (ready) logger.warn({ err: raw }, 'ssh connection error');
      else failure ??= { raw };
    });
    client?.on('close', () => {
      closed = true;
      this.#forget(target.name, ssh);
      leaveJump();
    });
    try {
      await connecting;
      ready = true;
      if (client === null) ssh.connection?.on('error', (raw: unknown) => logger.warn({ err: raw }, 'ssh connection error'));
    } catch (raw) {
      ssh.dispose();
      leaveJump();
      if (failure === undefined && !closed) {
        throw new ExternalError(
          'ssh',
          TRANSPORT_ERROR_CODES.keyUnavailable,
          `cannot use the SSH key for ${target.name}: ${keyFingerprintFree(raw)}`,
          { cause: raw, context: { host: target.name } },
        );
      }
      throw classifyConnectError(
        failure?.raw ?? new Error('connection closed during handshake'),
        target,
        state,
        pinned,
        target.jumpHost?.name,
      );
    }
    if (state.trustedOnFirstUse && state.seen !== undefined && !this.#firstUse.has(target.name)) {
      this.#firstUse.set(target.name, state.seen);
      const trusted = { host: target.name, key: keyLineOf(state.seen.blob), fingerprint: state.seen.fingerprint };
      this.#trusted.push(trusted);
      logger.warn({ fingerprint: trusted.fingerprint, key: trusted.key }, 'host key trusted on first use; pin it in ssh.hostKeys');
      this.#options.onTrustedOnFirstUse?.(trusted);
    }
    logger.debug({ durationMs: performance.now() - started, via: target.jumpHost?.name }, 'ssh connected');
    return ssh;
  }
}

/** A `direct-tcpip` channel from `jump` to the target, to use as the target connection's socket. */
async function forwardOut(jump: NodeSSH, target: SshTarget, via: string): Promise<Config['sock']> {
  try {
    return await jump.forwardOut('127.0.0.1', 0, target.address, target.port);
  } catch (raw) {
    throw classifyForwardError(raw, target, via);
  }
}
