import { err, ok } from '../../../errors.js';
import type { StateDocumentType, StateStore } from '../../../ports/state-store.js';
import type { HostKeyTrust, TrustedOnFirstUse } from '../../../ports/transport.js';
import { parsePinnedKey } from './host-keys.js';

/** A host key trusted on first use, as stored: document kind `host-key`, name = the Fleet host name. */
export interface TrustedHostKeyRecord {
  readonly host: string;
  /** `type base64`, ready for `ssh.hostKeys`. */
  readonly key: string;
  /** `SHA256:…` of the key. */
  readonly fingerprint: string;
  /** `address:port` where it was first seen. */
  readonly address: string;
  /** ISO time it was recorded. */
  readonly recordedAt: string;
}

/** The `host-key` document type (version 1). Read with `readTrustedHostKeys`; the name is the host. */
export const TRUSTED_HOST_KEY: StateDocumentType<TrustedHostKeyRecord> = {
  kind: 'host-key',
  version: 1,
  decode(data) {
    const record = (typeof data === 'object' && data !== null ? data : {}) as Partial<Record<keyof TrustedHostKeyRecord, unknown>>;
    for (const field of ['host', 'key', 'fingerprint', 'address', 'recordedAt'] as const) {
      if (typeof record[field] !== 'string') return err(`field "${field}" must be a string`);
    }
    const value = record as TrustedHostKeyRecord;
    const parsed = parsePinnedKey(value.key);
    if (parsed === undefined) return err('field "key" is not an OpenSSH public key line');
    if (parsed.fingerprint !== value.fingerprint) return err('field "fingerprint" does not belong to field "key"');
    return ok(value);
  },
};

/** Every host key trusted on first use in a store, sorted by host (what a pin proposal needs). */
export async function readTrustedHostKeys(store: StateStore): Promise<TrustedHostKeyRecord[]> {
  return (await store.list(TRUSTED_HOST_KEY)).map((document) => document.value);
}

/**
 * `HostKeyTrust` on a `StateStore`. The store is obtained on first need (`openStore`, called at
 * most once), so a fleet whose keys are all pinned never opens (or locks) the state directory.
 * Recording is `put` with `{ absent: true }`: of two writers, the first record stays.
 */
export class StateHostKeyTrust implements HostKeyTrust {
  readonly location: string;
  readonly #openStore: () => Promise<StateStore>;
  #store: Promise<StateStore> | undefined;

  constructor(location: string, openStore: () => Promise<StateStore>) {
    this.location = location;
    this.#openStore = openStore;
  }

  async recorded(host: string): Promise<TrustedOnFirstUse | undefined> {
    return (await (await this.#get()).get(TRUSTED_HOST_KEY, host))?.value;
  }

  async record(trusted: TrustedOnFirstUse): Promise<TrustedOnFirstUse> {
    const store = await this.#get();
    const record: TrustedHostKeyRecord = {
      host: trusted.host,
      key: trusted.key,
      fingerprint: trusted.fingerprint,
      address: trusted.address ?? '',
      recordedAt: trusted.recordedAt ?? '',
    };
    const written = await store.put(TRUSTED_HOST_KEY, trusted.host, record, { absent: true });
    if (written.ok) return written.value.value;
    return (await store.get(TRUSTED_HOST_KEY, trusted.host))?.value ?? record;
  }

  /** The store, if it was opened (for the caller to close). */
  async opened(): Promise<StateStore | undefined> {
    return this.#store;
  }

  #get(): Promise<StateStore> {
    this.#store ??= this.#openStore();
    return this.#store;
  }
}
