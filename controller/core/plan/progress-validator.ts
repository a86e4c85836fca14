/**
 * JSON Schema of a persisted `RolloutProgress` and a checker for it: a progress file or state
 * record read from disk is untrusted until it passes. Compile once and reuse the function.
 */
import { Ajv } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { err, ok, type Result } from '../../errors.js';
import { ROLLOUT_PROGRESS_FORMAT, type RolloutProgress } from './rollout-progress.js';

const addFormats: FormatsPlugin = (addFormatsModule as unknown as { default: FormatsPlugin }).default;

const time = { type: 'string', format: 'date-time' } as const;
const text = { type: 'string', maxLength: 4096 } as const;
const stop = {
  type: 'object',
  additionalProperties: false,
  required: ['at', 'reason'],
  properties: { at: time, reason: text, ring: text, host: text, by: text },
} as const;

export const ROLLOUT_PROGRESS_SCHEMA = {
  $id: 'https://patchward.io/schemas/v1alpha1/rollout-progress.json',
  type: 'object',
  additionalProperties: false,
  required: ['formatVersion', 'rolloutId', 'hosts', 'rings'],
  properties: {
    formatVersion: { const: ROLLOUT_PROGRESS_FORMAT },
    rolloutId: { type: 'string', minLength: 1, maxLength: 512 },
    revision: text,
    startedAt: time,
    hosts: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['outcome', 'attempts'],
        properties: {
          outcome: { enum: ['in-progress', 'succeeded', 'failed', 'retryable'] },
          attempts: { type: 'integer', minimum: 0, maximum: 1000000 },
          startedAt: time,
          finishedAt: time,
          retryAfter: time,
          reason: text,
          step: text,
        },
      },
    },
    rings: {
      type: 'object',
      additionalProperties: { type: 'object', additionalProperties: false, properties: { completedAt: time } },
    },
    halted: stop,
    paused: stop,
  },
} as const;

/** A checked progress document, or the schema errors as text (the one `Result` type). */
export type ProgressCheck = Result<RolloutProgress, readonly string[]>;

export function createProgressValidator(): (document: unknown) => ProgressCheck {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  const validate = ajv.compile<RolloutProgress>(ROLLOUT_PROGRESS_SCHEMA);
  return (document) => {
    if (!validate(document)) return err((validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`));
    return ok(document);
  };
}
