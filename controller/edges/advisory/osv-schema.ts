/**
 * Edge schema of an OSV record: only the fields patchward reads, each checked for its type;
 * anything else passes through unread. Compiled once per source (`createOsvRecordReader`).
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { OsvRecord } from '../../core/advisory/osv-record.js';
import type { SkippedRecord } from '../../ports/advisory-source.js';

const text = { type: 'string' } as const;
const textList = { type: 'array', items: text } as const;
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
            items: {
              type: 'object',
              required: ['type', 'events'],
              properties: {
                type: text,
                events: {
                  type: 'array',
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

export type OsvReadResult = { readonly ok: true; readonly record: OsvRecord } | { readonly ok: false; readonly skipped: SkippedRecord };

function describe(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .slice(0, 3)
    .map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`)
    .join('; ');
}

/** Returns a function that parses and checks one record's JSON text. */
export function createOsvRecordReader(): (origin: string, json: string) => OsvReadResult {
  const ajv = new Ajv({ allErrors: true, strict: true });
  const validate = ajv.compile<OsvRecord>(OSV_RECORD_SCHEMA);
  return (origin, json) => {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (error) {
      return { ok: false, skipped: { origin, reason: 'invalid-json', detail: error instanceof Error ? error.message : 'not JSON' } };
    }
    if (validate(value)) return { ok: true, record: value };
    const id =
      typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
        ? (value as { id: string }).id
        : undefined;
    return {
      ok: false,
      skipped: { origin, ...(id === undefined ? {} : { advisory: id }), reason: 'schema', detail: describe(validate.errors) },
    };
  };
}
