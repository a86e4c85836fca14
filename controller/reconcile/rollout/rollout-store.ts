/**
 * The engine's narrow view of the `StateStore` port (keys → JSON documents, each carrying a
 * format version) and the typed reads and writes of rollout state on top of it.
 */
import { type CordonRecord, type HostProgress, ROLLOUT_FORMAT_VERSION, type RolloutRecord } from '../../core/rollout/rollout-state.js';
import { StalledError } from '../../errors.js';

export interface RolloutStateStore {
  /** The document under `key`, or undefined when there is none. */
  read(key: string): Promise<unknown>;
  /** Replaces the document under `key` atomically and durably. */
  write(key: string, value: unknown): Promise<void>;
  /** Keys directly under `prefix` (one level). */
  list(prefix: string): Promise<string[]>;
}

const rolloutKey = (id: string): string => `rollouts/${id}/rollout`;
const hostsPrefix = (id: string): string => `rollouts/${id}/hosts`;
const hostKey = (id: string, host: string): string => `${hostsPrefix(id)}/${host}`;
export const CORDONS_KEY = 'cordons';

function checkVersion<T extends { formatVersion: number }>(value: unknown, key: string): T | undefined {
  if (value === undefined) return undefined;
  const version = (value as { formatVersion?: unknown }).formatVersion;
  if (version !== ROLLOUT_FORMAT_VERSION) {
    throw new StalledError(
      'StateFormatUnknown',
      `state ${key} has format version ${String(version)}; this patchward reads ${ROLLOUT_FORMAT_VERSION}`,
      {
        context: { key },
      },
    );
  }
  return value as T;
}

export async function readRollout(store: RolloutStateStore, id: string): Promise<RolloutRecord | undefined> {
  return checkVersion<RolloutRecord>(await store.read(rolloutKey(id)), rolloutKey(id));
}

export function writeRollout(store: RolloutStateStore, rollout: RolloutRecord): Promise<void> {
  return store.write(rolloutKey(rollout.id), rollout);
}

export async function listRollouts(store: RolloutStateStore): Promise<string[]> {
  return store.list('rollouts');
}

export async function readHosts(store: RolloutStateStore, id: string): Promise<Record<string, HostProgress>> {
  const hosts: Record<string, HostProgress> = {};
  for (const name of await store.list(hostsPrefix(id))) {
    const progress = checkVersion<HostProgress>(await store.read(hostKey(id, name)), hostKey(id, name));
    if (progress !== undefined) hosts[progress.host] = progress;
  }
  return hosts;
}

export function writeHost(store: RolloutStateStore, id: string, progress: HostProgress): Promise<void> {
  return store.write(hostKey(id, progress.host), progress);
}

export async function readCordons(store: RolloutStateStore): Promise<CordonRecord> {
  return checkVersion<CordonRecord>(await store.read(CORDONS_KEY), CORDONS_KEY) ?? { formatVersion: ROLLOUT_FORMAT_VERSION, hosts: {} };
}

export function writeCordons(store: RolloutStateStore, cordons: CordonRecord): Promise<void> {
  return store.write(CORDONS_KEY, cordons);
}
