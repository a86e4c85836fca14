/**
 * JSON Schema of what `assess` reads from a baseline file: a `PatchBaseline` document or its bare
 * `spec`. Only the fields `assess` uses are required; the policy model's CRD schema remains the
 * full definition (`patchward validate`).
 */
const nonEmpty = { type: 'string', minLength: 1 } as const;

const baselineSpec = {
  type: 'object',
  properties: {
    approvals: {
      type: 'array',
      items: {
        type: 'object',
        required: ['advisory', 'packages'],
        properties: {
          advisory: nonEmpty,
          aliases: { type: 'array', items: nonEmpty },
          packages: {
            type: 'array',
            minItems: 1,
            items: { type: 'object', required: ['release', 'name', 'minVersion'], properties: { release: nonEmpty, name: nonEmpty, minVersion: nonEmpty } },
          },
        },
      },
    },
    holds: {
      type: 'array',
      items: {
        type: 'object',
        required: ['package', 'reason'],
        properties: { package: nonEmpty, releases: { type: 'array', items: nonEmpty }, until: nonEmpty, reason: { type: 'string' }, hosts: { type: 'object' } },
      },
    },
  },
} as const;

export const BASELINE_FILE_SCHEMA = {
  $id: 'https://patchward.io/schemas/cli/assess-baseline.json',
  oneOf: [
    { type: 'object', required: ['kind', 'spec'], properties: { kind: { const: 'PatchBaseline' }, spec: baselineSpec } },
    { allOf: [baselineSpec, { not: { required: ['kind'] } }] },
  ],
} as const;
