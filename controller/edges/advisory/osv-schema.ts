/**
 * Edge schema of an OSV record: only the fields patchward reads, each checked for its type;
 * anything else passes through unread. Compiled once per source (`createOsvRecordReader`).
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { OsvRecord } from '../../core/advisory/osv-record.js';
import type { SkippedRecord } from '../../ports/advisory-source.js';
import { ok, type Result } from '../../errors.js';
import { excessJsonDepth, MAX_JSON_DEPTH } from '../io/json-depth.js';

const text = { type: 'string' } as const;
const textList = { type: 'array', items: text, maxItems: 100_000 } as const;
/** Structural caps on one record (beside its size cap): no real OSV record comes near them. */
const MAX_AFFECTED = 10_000;
const MAX_RANGES = 1_000;
const MAX_EVENTS = 10_000;
const severityList = {
  type: 'array',
  items: { type: 'object', required: ['type', 'score'], properties: { type: text, score: text } },
} as const;

export const OSV_RECORD_SCHEMA = {
  $id: 'https://patchward.io/schemas/edge/osv-record.json',
  type: 'object',
  required: ['id', 'modified'],
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 200 },
    modified: { type: 'string', minLength: 1 },
    published: text,
    withdrawn: text,
    summary: text,
    aliases: textList,
    upstream: textList,
    related: textList,
    severity: severityList,
    database_specific: { type: 'object' },
    affected: {
      type: 'array',
      maxItems: MAX_AFFECTED,
      items: {
        type: 'object',
        required: ['package'],
        properties: {
          package: {
            type: 'object',
            required: ['ecosystem', 'name'],
            properties: { ecosystem: { type: 'string', minLength: 1 }, name: { type: 'string', minLength: 1 }, purl: text },
          },
          ranges: {
            type: 'array',
            maxItems: MAX_RANGES,
            items: {
              type: 'object',
              required: ['type', 'events'],
              properties: {
                type: text,
                events: {
                  type: 'array',
                  maxItems: MAX_EVENTS,
                  items: {
                    type: 'object',
                    properties: { introduced: text, fixed: text, last_affected: text, limit: text },
                  },
                },
              },
            },
          },
          versions: textList,
          severity: severityList,
          ecosystem_specific: { type: 'object' },
          database_specific: { type: 'object' },
        },
      },
    },
  },
} as const;

/** A checked record, or why it is skipped (the one `Result` type). */
export type OsvReadResult = Result<OsvRecord, SkippedRecord>;

/** One ajv error as a sentence that names the field (the unknown or missing one too). */
function describeError(error: ErrorObject): string {
  const at = error.instancePath || '/';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `${at}: unknown field ${JSON.stringify(params['additionalProperty'])}`;
  if (error.keyword === 'required') return `${at}: required field ${JSON.stringify(params['missingProperty'])} is missing`;
  return `${at} ${error.message ?? 'is invalid'}`;
}

function describe(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).slice(0, 3).map(describeError).join('; ');
}

/** Returns a function that parses and checks one record's JSON text (refused unread beyond `maxRecordBytes` characters). */
export function createOsvRecordReader(options: { maxRecordBytes?: number } = {}): (origin: string, json: string) => OsvReadResult {
  const ajv = new Ajv({ allErrors: true, strict: true });
  const validate = ajv.compile<OsvRecord>(OSV_RECORD_SCHEMA);
  const maxChars = options.maxRecordBytes;
  return (origin, json) => {
    if (maxChars !== undefined && json.length > maxChars)
      return {
        ok: false,
        error: { origin, reason: 'unreadable', detail: `record of ${json.length} characters exceeds the record limit` },
      };
    const deep = excessJsonDepth(json);
    if (deep !== undefined)
      return {
        ok: false,
        error: { origin, reason: 'invalid-json', detail: `nested deeper than ${MAX_JSON_DEPTH} levels at offset ${deep}` },
      };
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (error) {
      return { ok: false, error: { origin, reason: 'invalid-json', detail: error instanceof Error ? error.message : 'not JSON' } };
    }
    if (validate(value)) return ok(value);
    const id =
      typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
        ? (value as { id: string }).id
        : undefined;
    return {
      ok: false,
      error: { origin, ...(id === undefined ? {} : { advisory: id }), reason: 'schema', detail: describe(validate.errors) },
    };
  };
}
