/**
 * `Transport`: run one argument vector on one host (DESIGN.md "interface" table).
 * Implementations: SSH (`edges/transport/ssh/`), local (`edges/transport/local-transport.ts`).
 *
 * Commands are argument vectors, never shell lines: the SSH edge quotes them with one function
 * (`edges/transport/quote.ts`), the local edge runs them without a shell. A non-zero exit code is a
 * result, not an error; errors are what stops a command from running or finishing, thrown with one
 * of `TRANSPORT_ERROR_CODES`: as `StalledError` where a person must act (refused host key, refused
 * authentication, sudo asking for a password, an unusable key or missing Secret), otherwise as
 * `ExternalError('ssh' | 'host' | 'kube' | 'filesystem', code)`.
 */

export interface RunOptions {
  /** The command is killed and `CommandTimeout` thrown after this many milliseconds. */
  readonly timeoutMs: number;
  /** Written to the command's standard input, which is then closed. */
  readonly stdin?: string | Buffer;
  /**
   * A conversation instead of a fixed `stdin`: called with all the command has printed on stdout so
   * far, each time more arrives, until it returns text; that text is written to the command's
   * standard input, which is then closed. Until then the input stays open (the gated install waits
   * there for the controller's verdict; a lost connection closes it, and no verdict means no install).
   */
  readonly reply?: (stdoutSoFar: string) => string | undefined;
  /** Run through `sudo -n --` (non-root users); a password prompt becomes `SudoRequiresPassword`. */
  readonly sudo?: boolean;
  /**
   * Most bytes collected per stream (stdout, stderr); more kills the command and throws
   * `OutputTooLarge`. Default `DEFAULT_MAX_OUTPUT_BYTES` (64 MiB; docs/limits.md `host-output`).
   */
  readonly maxOutputBytes?: number;
}

/** Default cap on what one command may print per stream (the `host-output` limit). */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  /** Set when the remote process died of a signal (then `exitCode` is -1). */
  readonly signal?: string;
}

export interface Transport {
  /** The host name this transport reaches (Fleet name), for logs and errors. */
  readonly host: string;
  run(argv: readonly string[], options: RunOptions): Promise<CommandResult>;
  /** Releases the connection (SSH) or nothing (local). Idempotent. */
  close(): Promise<void>;
}

/** Error codes a transport throws; an edge maps raw failures onto these before returning. */
export const TRANSPORT_ERROR_CODES = {
  // Kinds: the codes marked Stalled are thrown as `StalledError` (a person must act; retrying cannot
  // help), the others as `ExternalError('ssh' | 'host' | 'kube' | 'filesystem')` (retried with backoff).
  /** No route, DNS failure, or the jump host cannot reach the target. */
  hostUnreachable: 'HostUnreachable',
  /** TCP connection refused (nothing listens: sshd down). */
  connectionRefused: 'ConnectionRefused',
  /** TCP or SSH handshake did not finish within the connect timeout. */
  connectTimeout: 'ConnectTimeout',
  /** Stalled: the host presented a key that is not the pinned one (nor the one trusted on first use). */
  hostKeyMismatch: 'HostKeyMismatch',
  /** Stalled: no key is pinned for the host and trust-on-first-use is off (or has nowhere to record the key). */
  hostKeyNotPinned: 'HostKeyNotPinned',
  /** Stalled: the server rejected our key (or the user). */
  authFailed: 'AuthFailed',
  /** Stalled: the private key could not be read (file, key missing in its Secret) or parsed. */
  keyUnavailable: 'KeyUnavailable',
  /** Stalled: the Secret a key reference names does not exist (or may not be read). */
  secretNotFound: 'SecretNotFound',
  /** External (kube): the API server holding the Secret cannot be reached or failed; retried. */
  secretStoreUnavailable: 'SecretStoreUnavailable',
  /** The command ran longer than `timeoutMs` and was killed. */
  commandTimeout: 'CommandTimeout',
  /** Stalled: `sudo -n` needs a password (or a tty); configure NOPASSWD for the commands. */
  sudoRequiresPassword: 'SudoRequiresPassword',
  /** The connection dropped and one reconnect did not help. */
  connectionLost: 'ConnectionLost',
  /** The argv cannot be expressed (NUL byte, empty vector). */
  invalidCommand: 'InvalidCommand',
  /** The program could not be started (local: not found, not executable). */
  spawnFailed: 'SpawnFailed',
  /** The command printed more than `maxOutputBytes` on stdout or stderr and was killed. */
  outputTooLarge: 'OutputTooLarge',
} as const;

export type TransportErrorCode = (typeof TRANSPORT_ERROR_CODES)[keyof typeof TRANSPORT_ERROR_CODES];

/** Where a private key comes from: a file on the controller, or a Kubernetes Secret key. */
export type KeyRef =
  | { readonly file: string }
  | { readonly secretRef: { readonly name: string; readonly key: string; readonly namespace?: string } };

/** Reads secret bytes for a `KeyRef` (port-level: file and Kubernetes implementations). */
export interface SecretReader {
  read(ref: KeyRef): Promise<Buffer>;
}

/** How to reach one host over SSH; mapped from a Fleet host by `edges/inventory/fleet-targets.ts`. */
export interface SshTarget {
  /** Fleet host name. */
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly user: string;
  readonly key: KeyRef;
  /** Pinned host keys as OpenSSH public-key lines: `type base64 [comment]`. */
  readonly hostKeys: readonly string[];
  /** Accept and report an unknown key, but only when `hostKeys` is empty. */
  readonly trustOnFirstUse: boolean;
  /** Reach this host through another one (already resolved). */
  readonly jumpHost?: SshTarget;
  /** Non-root user: privileged commands go through `sudo -n`. */
  readonly sudo: boolean;
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
  readonly labels?: Readonly<Record<string, string>>;
}

/** A host key accepted on first use, for the user to pin. */
export interface TrustedOnFirstUse {
  readonly host: string;
  /** `type base64`, ready to paste into `ssh.hostKeys`. */
  readonly key: string;
  readonly fingerprint: string;
  /** `address:port` where the key was first seen. */
  readonly address?: string;
  /** ISO time the key was recorded. */
  readonly recordedAt?: string;
}

/**
 * The durable record of host keys trusted on first use (implemented on the `StateStore`:
 * `edges/transport/ssh/state-host-key-trust.ts`). Once a key is recorded for a host, that key is
 * pinned: every later connection, in this process or a later one, must present it.
 */
export interface HostKeyTrust {
  /** Where the records live (a state directory), for messages. */
  readonly location: string;
  /** The key recorded for `host` on first use, if any. */
  recorded(host: string): Promise<TrustedOnFirstUse | undefined>;
  /** Records the first key seen for a host; returns the key recorded afterwards (an earlier record wins). */
  record(trusted: TrustedOnFirstUse): Promise<TrustedOnFirstUse>;
}
