/**
 * The rollout engine's documents in the `StateStore` port:
 * - `rollout-progress` (the planner's `RolloutProgress`, one per rollout) and `cordon` (one per
 *   host): the document types of `core/plan`, so that `patchward plan --state` reads what
 *   `patchward rollout` writes;
 * - `rollout-host` (`HostSequence`, one per rollout and host, named `<rollout id>/<host>`): the
 *   intent records of each host's sequence.
 */
import { cordonDocument, rolloutProgressDocument } from '../../core/plan/progress-documents.js';
import { type Cordon, emptyRolloutProgress, type RolloutProgress } from '../../core/plan/rollout-progress.js';
import { HOST_SEQUENCE_FORMAT, HOST_STEPS, type HostSequence } from '../../core/rollout/rollout-state.js';
import { err, ok, StalledError } from '../../errors.js';
import type { StateDocumentType, StateStore } from '../../ports/state-store.js';

const PHASES = new Set(['pending', 'in-progress', 'succeeded', 'failed', 'retryable']);

function isStringMap(value: unknown): boolean {
  return (
    value === undefined || (typeof value === 'object' && value !== null && Object.values(value).every((item) => typeof item === 'string'))
  );
}

/** The `rollout-host` document type. */
export function hostSequenceDocument(): StateDocumentType<HostSequence> {
  return {
    kind: 'rollout-host',
    version: HOST_SEQUENCE_FORMAT,
    decode(data, version) {
      if (version !== HOST_SEQUENCE_FORMAT) return err(`format version ${version} is not ${HOST_SEQUENCE_FORMAT}`);
      const value = data as Partial<HostSequence> | null;
      if (typeof value !== 'object' || value === null) return err('not an object');
      if (typeof value.rolloutId !== 'string' || typeof value.host !== 'string' || typeof value.ring !== 'string')
        return err('rolloutId, host and ring must be strings');
      if (!PHASES.has(value.phase as string)) return err(`phase ${String(value.phase)} is unknown`);
      if (!Number.isInteger(value.attempts)) return err('attempts must be an integer');
      if (!Array.isArray(value.done) || !value.done.every((step) => (HOST_STEPS as readonly string[]).includes(step)))
        return err('done must list host steps');
      if (!isStringMap(value.targets) || !isStringMap(value.before) || !isStringMap(value.after))
        return err('targets, before and after must map names to versions');
      return ok(value as HostSequence);
    },
  };
}

/** The document types, compiled once per store user. */
export interface EngineDocuments {
  readonly progress: StateDocumentType<RolloutProgress>;
  readonly cordon: StateDocumentType<Cordon>;
  readonly sequence: StateDocumentType<HostSequence>;
}

export function engineDocuments(): EngineDocuments {
  return { progress: rolloutProgressDocument(), cordon: cordonDocument(), sequence: hostSequenceDocument() };
}

export const sequenceName = (rolloutId: string, host: string): string => `${rolloutId}/${host}`;

async function putOrThrow<T>(store: StateStore, type: StateDocumentType<T>, name: string, value: T): Promise<void> {
  const written = await store.put(type, name, value);
  if (!written.ok)
    throw new StalledError('StateConflict', `state ${type.kind}/${name} changed under the engine`, { context: { kind: type.kind, name } });
}

export async function readProgress(store: StateStore, docs: EngineDocuments, rolloutId: string): Promise<RolloutProgress | undefined> {
  return (await store.get(docs.progress, rolloutId))?.value;
}

export async function readProgressOrEmpty(
  store: StateStore,
  docs: EngineDocuments,
  rolloutId: string,
  revision: string,
): Promise<RolloutProgress> {
  return (await readProgress(store, docs, rolloutId)) ?? emptyRolloutProgress(rolloutId, revision);
}

export function writeProgress(store: StateStore, docs: EngineDocuments, progress: RolloutProgress): Promise<void> {
  return putOrThrow(store, docs.progress, progress.rolloutId, progress);
}

export async function readSequences(store: StateStore, docs: EngineDocuments, rolloutId: string): Promise<Record<string, HostSequence>> {
  const sequences: Record<string, HostSequence> = {};
  for (const document of await store.list(docs.sequence)) {
    if (document.value.rolloutId === rolloutId) sequences[document.value.host] = document.value;
  }
  return sequences;
}

export function writeSequence(store: StateStore, docs: EngineDocuments, sequence: HostSequence): Promise<void> {
  return putOrThrow(store, docs.sequence, sequenceName(sequence.rolloutId, sequence.host), sequence);
}

export async function readCordons(store: StateStore, docs: EngineDocuments): Promise<Cordon[]> {
  return (await store.list(docs.cordon)).map((document) => document.value);
}

export async function listRolloutIds(store: StateStore, docs: EngineDocuments): Promise<string[]> {
  return (await store.list(docs.progress)).map((document) => document.name);
}
