import { createHash } from 'node:crypto';

/** A host key as raw SSH wire bytes ("blob"), with its type and OpenSSH fingerprint. */
export interface HostKey {
  readonly type: string;
  readonly blob: Buffer;
  readonly fingerprint: string;
}

/** OpenSSH `SHA256:<base64 without padding>` fingerprint of a key blob (what `ssh-keygen -lf` prints). */
export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type inside a blob: its first SSH `string` (uint32 length + bytes). */
export function keyTypeOfBlob(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || blob.length < 4 + length) return undefined;
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** Parses a pinned key line `type base64 [comment]` (known_hosts style without host field). */
export function parsePinnedKey(line: string): HostKey | undefined {
  const [type, data] = line.trim().split(/\s+/);
  if (type === undefined || data === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) return undefined;
  const blob = Buffer.from(data, 'base64');
  if (keyTypeOfBlob(blob) !== type) return undefined;
  return { type, blob, fingerprint: fingerprintOf(blob) };
}

/** The `type base64` line of a blob, ready to pin. */
export function keyLineOf(blob: Buffer): string {
  return `${keyTypeOfBlob(blob) ?? 'unknown'} ${blob.toString('base64')}`;
}

/**
 * Host-key algorithms to offer for the pinned key types, so the server presents a pinned key and
 * not another of its keys (an sshd has several: ed25519, ecdsa, rsa).
 */
export function hostKeyAlgorithmsFor(types: readonly string[]): string[] {
  const algorithms: string[] = [];
  for (const type of types) {
    const names = type === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [type];
    for (const name of names) if (!algorithms.includes(name)) algorithms.push(name);
  }
  return algorithms;
}

/** What the verifier saw during one handshake, for the error message. */
export interface Verification {
  seen?: HostKey;
  /** The verifier said no. */
  rejected: boolean;
  /** Accepted only because trust-on-first-use was on and nothing was pinned. */
  trustedOnFirstUse: boolean;
}

/**
 * A strict verifier for ssh2's `hostVerifier` (raw key blob, no hashing): accepts only a pinned key
 * (byte equality); with no pins, accepts any key only when `trustOnFirstUse` is set, marking it.
 */
export function createHostVerifier(
  pinned: readonly HostKey[],
  trustOnFirstUse: boolean,
): { verify: (key: Buffer) => boolean; state: Verification } {
  const state: Verification = { rejected: false, trustedOnFirstUse: false };
  const verify = (key: Buffer): boolean => {
    const type = keyTypeOfBlob(key) ?? 'unknown';
    state.seen = { type, blob: Buffer.from(key), fingerprint: fingerprintOf(key) };
    if (pinned.some((pin) => pin.blob.equals(key))) return true;
    if (pinned.length === 0 && trustOnFirstUse) {
      state.trustedOnFirstUse = true;
      return true;
    }
    state.rejected = true;
    return false;
  };
  return { verify, state };
}
