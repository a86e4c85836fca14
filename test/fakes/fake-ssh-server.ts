import { timingSafeEqual } from 'node:crypto';
import { connect, type AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection, ServerChannel } from 'ssh2';

const { Server, utils } = ssh2;

/** What the fake server answers to one exec request. `hang` never answers (until killed). */
export interface ExecReply {
  readonly stdout?: string;
  readonly stderr?: string;
  readonly code?: number;
  readonly hang?: boolean;
  /** Answer only after this many milliseconds. */
  readonly delayMs?: number;
  /** Answer only once this settles (the test decides when the command finishes). */
  readonly waitFor?: Promise<unknown>;
  /**
   * A conversation: print this, then read the client's stdin up to a newline and print
   * `answer: LINE`, exit 0; a stdin closed without a line prints `no answer`, exit 1.
   */
  readonly ask?: string;
}

export interface FakeSshServerOptions {
  /** Answers each command line (already quoted by the client). */
  readonly exec: (command: string, user: string) => ExecReply;
  /** Client public key allowed to log in, OpenSSH line. */
  readonly authorizedKey: string;
  /** Host key; generated when absent. */
  readonly hostKeyPrivate?: string;
  /** Allow `direct-tcpip` (jump host) forwarding. */
  readonly allowForwarding?: boolean;
}

export interface KeyPair {
  readonly privateKey: string;
  /** `type base64` */
  readonly publicKey: string;
}

export function generateKeyPair(): KeyPair {
  const pair = utils.generateKeyPairSync('ed25519');
  return { privateKey: pair.private, publicKey: pair.public.split(' ').slice(0, 2).join(' ') };
}

/** An ssh2 `Server` on 127.0.0.1 for edge tests and the benchmark: real SSH protocol, fake commands. */
export class FakeSshServer {
  readonly hostKey: KeyPair;
  readonly commands: string[] = [];
  readonly signals: string[] = [];
  readonly #server: InstanceType<typeof Server>;
  readonly #connections = new Set<Connection>();
  #port = 0;
  connectionsAccepted = 0;
  /** Commands running right now, as the server sees them: from the exec request until its exit status is sent. */
  activeCommands = 0;
  /** The highest `activeCommands` seen since the last `resetPeak()`. */
  peakCommands = 0;

  constructor(options: FakeSshServerOptions) {
    this.hostKey = options.hostKeyPrivate === undefined ? generateKeyPair() : keyPairOf(options.hostKeyPrivate);
    const allowed = utils.parseKey(options.authorizedKey);
    if (allowed instanceof Error) throw allowed;
    const allowedBlob = allowed.getPublicSSH();
    this.#server = new Server({ hostKeys: [this.hostKey.privateKey] }, (client) => {
      this.connectionsAccepted++;
      this.#connections.add(client);
      client.on('close', () => this.#connections.delete(client));
      client.on('error', () => undefined);
      let user = '';
      client.on('authentication', (ctx) => {
        user = ctx.username;
        if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
        const blob = ctx.key.data;
        if (ctx.key.algo !== allowed.type || blob.length !== allowedBlob.length || !timingSafeEqual(blob, allowedBlob))
          return ctx.reject(['publickey']);
        if (ctx.signature !== undefined && ctx.blob !== undefined && allowed.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true)
          return ctx.reject(['publickey']);
        ctx.accept();
      });
      client.on('ready', () => {
        client.on('session', (accept) => {
          const session = accept();
          session.on('exec', (acceptExec, _reject, info) => {
            const channel = acceptExec();
            this.commands.push(info.command);
            this.activeCommands++;
            this.peakCommands = Math.max(this.peakCommands, this.activeCommands);
            let finished = false;
            const finish = (): void => {
              if (finished) return;
              finished = true;
              this.activeCommands--;
            };
            channel.once('close', finish);
            answer(channel, options.exec(info.command, user), (name) => this.signals.push(name), finish);
          });
          session.on('signal', (acceptSignal, _reject, info) => {
            this.signals.push(info.name);
            acceptSignal?.();
          });
        });
        client.on('tcpip', (accept, reject, info) => {
          if (options.allowForwarding !== true) return reject();
          const socket = connect(info.destPort, info.destIP);
          socket.on('error', () => reject());
          socket.on('connect', () => {
            const stream = accept();
            stream.pipe(socket).pipe(stream);
          });
        });
      });
    });
  }

  get port(): number {
    return this.#port;
  }

  /** Client connections open right now. */
  get openConnections(): number {
    return this.#connections.size;
  }

  /** The pinned-key line of this server. */
  get hostKeyLine(): string {
    return this.hostKey.publicKey;
  }

  listen(port = 0): Promise<number> {
    return new Promise((resolve) => {
      this.#server.listen(port, '127.0.0.1', () => {
        this.#port = (this.#server.address() as AddressInfo).port;
        resolve(this.#port);
      });
    });
  }

  resetPeak(): void {
    this.peakCommands = this.activeCommands;
  }

  /** Cuts every client connection (to test reconnects). */
  dropConnections(): void {
    for (const connection of this.#connections) connection.end();
  }

  close(): Promise<void> {
    this.dropConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

function keyPairOf(privateKey: string): KeyPair {
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error) throw parsed;
  return { privateKey, publicKey: `${parsed.type} ${parsed.getPublicSSH().toString('base64')}` };
}

function answer(channel: ServerChannel, reply: ExecReply, onSignal: (name: string) => void, finish: () => void): void {
  if (reply.hang === true) {
    // ssh2's server drops `signal` requests after exec, so the client's kill shows as the channel closing.
    channel.on('close', () => onSignal('closed'));
    channel.resume();
    return;
  }
  if (reply.waitFor !== undefined) {
    const rest = { ...reply, waitFor: undefined };
    void reply.waitFor.finally(() => answer(channel, rest, onSignal, finish));
    channel.resume();
    return;
  }
  if (reply.delayMs !== undefined) {
    const timer = setTimeout(() => answer(channel, { ...reply, delayMs: undefined }, onSignal, finish), reply.delayMs);
    channel.on('close', () => clearTimeout(timer));
    channel.resume();
    return;
  }
  if (reply.ask !== undefined) {
    let heard = '';
    let done = false;
    const end = (text: string, code: number): void => {
      if (done) return;
      done = true;
      channel.write(text);
      finish();
      channel.exit(code);
      channel.end();
    };
    channel.on('data', (chunk: Buffer) => {
      heard += chunk.toString('utf8');
      const newline = heard.indexOf('\n');
      if (newline >= 0) end(`answer: ${heard.slice(0, newline)}\n`, 0);
    });
    channel.on('end', () => end('no answer\n', 1));
    channel.write(reply.ask);
    return;
  }
  if (reply.stdout !== undefined) channel.write(reply.stdout);
  if (reply.stderr !== undefined) channel.stderr.write(reply.stderr);
  finish();
  channel.exit(reply.code ?? 0);
  channel.end();
}
