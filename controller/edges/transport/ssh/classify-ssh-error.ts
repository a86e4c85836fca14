import { ExternalError, type PatchwardError, StalledError } from '../../../errors.js';
import type { SshTarget, TransportErrorCode } from '../../../ports/transport.js';
import { TRANSPORT_ERROR_CODES as CODES } from '../../../ports/transport.js';
import type { HostKey, Verification } from './host-keys.js';

const SOCKET_CODES: Readonly<Record<string, TransportErrorCode>> = {
  ECONNREFUSED: CODES.connectionRefused,
  EHOSTUNREACH: CODES.hostUnreachable,
  ENETUNREACH: CODES.hostUnreachable,
  EHOSTDOWN: CODES.hostUnreachable,
  ENOTFOUND: CODES.hostUnreachable,
  EAI_AGAIN: CODES.hostUnreachable,
  EADDRNOTAVAIL: CODES.hostUnreachable,
  ETIMEDOUT: CODES.connectTimeout,
  ECONNRESET: CODES.connectionLost,
  EPIPE: CODES.connectionLost,
};

interface RawSshError {
  readonly code?: unknown;
  readonly level?: unknown;
  readonly reason?: unknown;
  readonly message?: unknown;
}

/**
 * Maps a raw ssh2 / socket failure during connect onto one typed error. The host-key outcome comes
 * from our verifier's state, never from ssh2's message text. A refused host key and a refused
 * authentication are Stalled (a person must act; retrying would only hammer the host), the rest
 * External('ssh').
 */
export function classifyConnectError(
  raw: unknown,
  target: SshTarget,
  verification: Verification,
  pinned: readonly HostKey[],
  via?: string,
  trustedOnFirstUse?: { readonly location: string },
): PatchwardError {
  const error = (typeof raw === 'object' && raw !== null ? raw : {}) as RawSshError;
  const where = `${target.name} (${target.address}:${target.port}${via === undefined ? '' : ` via ${via}`})`;
  const context = { host: target.name, address: `${target.address}:${target.port}`, jumpHost: via };
  if (verification.rejected && verification.seen !== undefined) {
    const seen = verification.seen.fingerprint;
    if (pinned.length === 0) {
      return new StalledError(
        CODES.hostKeyNotPinned,
        `host key of ${where} is not pinned (seen ${verification.seen.type} ${seen}); add it to ssh.hostKeys or set trustOnFirstUse`,
        { cause: raw, context: { ...context, seenFingerprint: seen } },
      );
    }
    const expected = pinned.map((pin) => pin.fingerprint).join(', ');
    const origin =
      trustedOnFirstUse === undefined
        ? 'pinned in ssh.hostKeys'
        : `trusted on first use and recorded in ${trustedOnFirstUse.location}; if the new key is expected, pin it in ssh.hostKeys`;
    return new StalledError(
      CODES.hostKeyMismatch,
      `HOST KEY MISMATCH for ${where}: expected ${expected} (${origin}), seen ${verification.seen.type} ${seen}; refusing the host`,
      { cause: raw, context: { ...context, expectedFingerprints: expected, seenFingerprint: seen } },
    );
  }
  const message = typeof error.message === 'string' ? error.message : String(raw);
  if (error.level === 'client-authentication') {
    return new StalledError(CODES.authFailed, `authentication as ${target.user} failed on ${where}`, { cause: raw, context });
  }
  if (error.level === 'client-timeout') {
    return new ExternalError('ssh', CODES.connectTimeout, `no SSH handshake with ${where} within ${target.connectTimeoutMs} ms`, {
      cause: raw,
      context,
    });
  }
  if (typeof error.code === 'string' && SOCKET_CODES[error.code] !== undefined) {
    return new ExternalError('ssh', SOCKET_CODES[error.code] ?? CODES.hostUnreachable, `cannot connect to ${where}: ${error.code}`, {
      cause: raw,
      context,
    });
  }
  if (error.level === 'client-dns') {
    return new ExternalError('ssh', CODES.hostUnreachable, `cannot resolve ${target.address}`, { cause: raw, context });
  }
  return new ExternalError('ssh', CODES.connectionLost, `SSH connection to ${where} failed: ${message}`, { cause: raw, context });
}

/** Maps a jump host's `forwardOut` refusal (channel open failure) onto the target's reachability. */
export function classifyForwardError(raw: unknown, target: SshTarget, via: string): ExternalError {
  const error = (typeof raw === 'object' && raw !== null ? raw : {}) as RawSshError;
  const message = typeof error.message === 'string' ? error.message : String(raw);
  // RFC 4254 5.1 reason 2 = SSH_OPEN_CONNECT_FAILED; OpenSSH's description says "Connection refused".
  const code = error.reason === 2 && /refused/i.test(message) ? CODES.connectionRefused : CODES.hostUnreachable;
  return new ExternalError('ssh', code, `jump host ${via} cannot reach ${target.name} (${target.address}:${target.port}): ${message}`, {
    cause: raw,
    context: { host: target.name, jumpHost: via },
  });
}
