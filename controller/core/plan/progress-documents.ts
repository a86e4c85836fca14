/**
 * How rollout progress and cordons are kept in the `StateStore` port:
 * - kind `rollout-progress`, one document per rollout, named by its rollout id, value `RolloutProgress`;
 * - kind `cordon`, one document per cordoned host, named by the host, value `Cordon`.
 * The decoders check every field (a state document is untrusted until it passes).
 */
import { Ajv } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { err, ok } from '../../errors.js';
import type { StateDocumentType } from '../../ports/state-store.js';
import { createProgressValidator } from './progress-validator.js';
import { type Cordon, ROLLOUT_PROGRESS_FORMAT, type RolloutProgress } from './rollout-progress.js';

const addFormats: FormatsPlugin = (addFormatsModule as unknown as { default: FormatsPlugin }).default;

export const ROLLOUT_PROGRESS_KIND = 'rollout-progress';
export const CORDON_KIND = 'cordon';
export const CORDON_FORMAT = 1;

const CORDON_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'at'],
  properties: {
    host: { type: 'string', minLength: 1, maxLength: 253 },
    at: { type: 'string', format: 'date-time' },
    reason: { type: 'string', maxLength: 4096 },
    by: { type: 'string', maxLength: 256 },
  },
} as const;

/** The `rollout-progress` document type (compile once per store user). */
export function rolloutProgressDocument(): StateDocumentType<RolloutProgress> {
  const check = createProgressValidator();
  return {
    kind: ROLLOUT_PROGRESS_KIND,
    version: ROLLOUT_PROGRESS_FORMAT,
    decode(data, version) {
      if (version !== ROLLOUT_PROGRESS_FORMAT) return err(`format version ${version} is not ${ROLLOUT_PROGRESS_FORMAT}`);
      const checked = check(data);
      return checked.ok ? ok(checked.value) : err(checked.error.slice(0, 5).join('; '));
    },
  };
}

/** The `cordon` document type. */
export function cordonDocument(): StateDocumentType<Cordon> {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile<Cordon>(CORDON_SCHEMA);
  return {
    kind: CORDON_KIND,
    version: CORDON_FORMAT,
    decode(data, version) {
      if (version !== CORDON_FORMAT) return err(`format version ${version} is not ${CORDON_FORMAT}`);
      if (!validate(data))
        return err((validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`).join('; '));
      return ok(data);
    },
  };
}
