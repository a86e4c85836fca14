import ssh2 from 'ssh2';
import type { Client, ClientChannel, ConnectConfig } from 'ssh2';
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
 * One SSH connection per host, shared by every command to that host and by hosts that jump
 * through it. A connection that closes leaves the pool; the next command connects again.
 */
export class SshConnectionPool {
  readonly #options: SshPoolOptions;
  readonly #logger: Logger;
  readonly #connections = new Map<string, Promise<Client>>();
  readonly #keys = new Map<string, Promise<Buffer>>();
  /** Keys accepted on first use in this process: later connections must present the same key. */
  readonly #firstUse = new Map<string, HostKey>();
  readonly #trusted: TrustedOnFirstUse[] = [];

  constructor(options: SshPoolOptions) {
    this.#options = options;
    this.#logger = options.logger.child({ component: 'ssh-pool' });
  }

  /** Host keys accepted by trust-on-first-use so far, for the user to pin. */
  trustedOnFirstUse(): readonly TrustedOnFirstUse[] {
    return [...this.#trusted];
  }

  /** The pooled, ready connection to `target` (connecting, through its jump host, if needed). */
  connect(target: SshTarget): Promise<Client> {
    const existing = this.#connections.get(target.name);
    if (existing !== undefined) return existing;
    const pending = this.#open(target);
    this.#connections.set(target.name, pending);
    pending.catch(() => {
      if (this.#connections.get(target.name) === pending) this.#connections.delete(target.name);
    });
    return pending;
  }

  /** Forgets `client` for `target` (it dropped) and ends it. */
  drop(target: SshTarget, client: Client): void {
    void this.#connections.get(target.name)?.then((current) => {
      if (current === client) this.#connections.delete(target.name);
    }, () => undefined);
    client.end();
  }

  /** Ends the connection to `name` if one is open or opening; never connects. */
  release(name: string): void {
    const pending = this.#connections.get(name);
    if (pending === undefined) return;
    this.#connections.delete(name);
    pending.then((client) => client.end(), () => undefined);
  }

  /** Hosts with an open (or opening) connection. */
  get size(): number {
    return this.#connections.size;
  }

  /** Closes every connection: targets first, then the jump hosts they used. */
  async closeAll(): Promise<void> {
    const all = [...this.#connections.values()];
    this.#connections.clear();
    const clients = await Promise.allSettled(all);
    for (const settled of clients) if (settled.status === 'fulfilled') settled.value.end();
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

  async #open(target: SshTarget): Promise<Client> {
    const pinned: HostKey[] = [];
    for (const [index, line] of target.hostKeys.entries()) {
      const key = parsePinnedKey(line);
      if (key === undefined) {
        throw new ExternalError('ssh', TRANSPORT_ERROR_CODES.hostKeyNotPinned, `ssh.hostKeys[${index}] of ${target.name} is not an OpenSSH public key line ("type base64")`, { context: { host: target.name } });
      }
      pinned.push(key);
    }
    const remembered = this.#firstUse.get(target.name);
    if (pinned.length === 0 && remembered !== undefined) pinned.push(remembered);
    const privateKey = await this.#key(target);
    let sock: ClientChannel | undefined;
    if (target.jumpHost !== undefined) {
      const jump = await this.connect(target.jumpHost);
      sock = await forwardOut(jump, target, target.jumpHost.name);
    }
    const { verify, state } = createHostVerifier(pinned, target.trustOnFirstUse);
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
    const client = new ssh2.Client();
    return new Promise<Client>((resolve, reject) => {
      let ready = false;
      client.on('error', (raw: unknown) => {
        if (!ready) {
          client.end();
          reject(classifyConnectError(raw, target, state, pinned, target.jumpHost?.name));
          return;
        }
        logger.warn({ err: raw }, 'ssh connection error');
      });
      client.on('close', () => {
        void this.#connections.get(target.name)?.then((current) => {
          if (current === client) this.#connections.delete(target.name);
        }, () => undefined);
        if (!ready) reject(classifyConnectError(new Error('connection closed during handshake'), target, state, pinned, target.jumpHost?.name));
      });
      client.on('ready', () => {
        ready = true;
        if (state.trustedOnFirstUse && state.seen !== undefined && !this.#firstUse.has(target.name)) {
          this.#firstUse.set(target.name, state.seen);
          const trusted = { host: target.name, key: keyLineOf(state.seen.blob), fingerprint: state.seen.fingerprint };
          this.#trusted.push(trusted);
          logger.warn({ fingerprint: trusted.fingerprint, key: trusted.key }, 'host key trusted on first use; pin it in ssh.hostKeys');
          this.#options.onTrustedOnFirstUse?.(trusted);
        }
        logger.debug({ durationMs: performance.now() - started, via: target.jumpHost?.name }, 'ssh connected');
        resolve(client);
      });
      try {
        client.connect(config);
      } catch (raw) {
        reject(new ExternalError('ssh', TRANSPORT_ERROR_CODES.keyUnavailable, `cannot use the SSH key for ${target.name}: ${keyFingerprintFree(raw)}`, { cause: raw, context: { host: target.name } }));
      }
    });
  }
}

function forwardOut(jump: Client, target: SshTarget, via: string): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    try {
      jump.forwardOut('127.0.0.1', 0, target.address, target.port, (raw, stream) => {
        if (raw !== undefined && raw !== null) reject(classifyForwardError(raw, target, via));
        else resolve(stream);
      });
    } catch (raw) {
      reject(classifyForwardError(raw, target, via));
    }
  });
}
