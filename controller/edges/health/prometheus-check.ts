import { Ajv } from 'ajv';
import { stripCredentials } from '../../errors.js';
import type { AttemptResult, SeriesValue } from './health-types.js';

/** The part of Prometheus' `/api/v1/query` answer we use (https://prometheus.io/docs/prometheus/latest/querying/api/). */
const sample = { type: 'array', minItems: 2, maxItems: 2, items: [{ type: 'number' }, { type: 'string' }] } as const;
const QUERY_RESPONSE_SCHEMA = {
  type: 'object',
  required: ['status'],
  properties: {
    status: { enum: ['success', 'error'] },
    error: { type: 'string' },
    errorType: { type: 'string' },
    data: {
      type: 'object',
      required: ['resultType', 'result'],
      properties: {
        resultType: { enum: ['scalar', 'vector', 'matrix', 'string'] },
        result: {},
      },
    },
  },
} as const;
const VECTOR_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    required: ['metric', 'value'],
    properties: { metric: { type: 'object', additionalProperties: { type: 'string' } }, value: sample },
  },
} as const;

interface QueryResponse {
  readonly status: 'success' | 'error';
  readonly error?: string;
  readonly errorType?: string;
  readonly data?: { readonly resultType: 'scalar' | 'vector' | 'matrix' | 'string'; readonly result: unknown };
}

/** Compiled once per checker (no module state): the response and vector validators. */
export function createPrometheusValidators() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  return {
    response: ajv.compile<QueryResponse>(QUERY_RESPONSE_SCHEMA),
    vector: ajv.compile<{ metric: Record<string, string>; value: [number, string] }[]>(VECTOR_SCHEMA),
    sample: ajv.compile<[number, string]>(sample),
  };
}
export type PrometheusValidators = ReturnType<typeof createPrometheusValidators>;

/** A string placed in a PromQL double-quoted string literal: backslash and double quote escaped. */
function promqlString(value: string): string {
  return value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');
}

/** Replaces `{host}` and `{address}` in a query with the host's name and address, PromQL-escaped. */
export function substituteQuery(query: string, host: string, address: string): string {
  return query.replaceAll('{host}', promqlString(host)).replaceAll('{address}', promqlString(address));
}

function labelsText(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '{}' : `{${entries.map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(', ')}}`;
}

/** Why a value is outside the threshold (inclusive bounds; NaN never passes), or undefined. */
function breach(value: number, threshold: { readonly max?: number; readonly min?: number }): string | undefined {
  if (Number.isNaN(value)) return 'NaN';
  if (threshold.max !== undefined && value > threshold.max) return `${value} > max ${threshold.max}`;
  if (threshold.min !== undefined && value < threshold.min) return `${value} < min ${threshold.min}`;
  return undefined;
}

/**
 * One PromQL instant query: the scalar, or every series of the vector, must stay within the
 * threshold; an empty vector passes (nothing is firing); a query error, a range vector, a string or
 * a NaN fails. The signal names each series out of bounds with its labels and value.
 */
export async function prometheusAttempt(
  check: { readonly url: string; readonly query: string; readonly threshold: { readonly max?: number; readonly min?: number } },
  validators: PrometheusValidators,
  timeoutMs: number,
): Promise<AttemptResult> {
  const { threshold } = check;
  const base = { kind: 'prometheus' as const, threshold };
  const endpoint = `${check.url.replace(/\/+$/, '')}/api/v1/query`;
  const shown = `query ${JSON.stringify(check.query)} at ${stripCredentials(check.url)}`;
  let body: unknown;
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: check.query }).toString(),
      signal: AbortSignal.timeout(timeoutMs),
    });
    body = await response.json().catch(() => undefined);
    if (!validators.response(body))
      return { status: 'fail', signal: { ...base, detail: `${shown}: HTTP ${response.status}, not a Prometheus API answer` } };
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
      return { status: 'timeout', signal: { ...base, detail: `${shown}: no answer within ${timeoutMs} ms` } };
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    return {
      status: 'fail',
      signal: { ...base, detail: `${shown} failed: ${code ?? (cause instanceof Error ? cause.message : String(cause))}` },
    };
  }
  const answer = body as QueryResponse;
  if (answer.status === 'error' || answer.data === undefined)
    return { status: 'fail', signal: { ...base, detail: `${shown}: ${answer.errorType ?? 'error'}: ${answer.error ?? 'no data'}` } };
  let series: SeriesValue[];
  const { resultType, result } = answer.data;
  if (resultType === 'scalar' && validators.sample(result)) series = [{ labels: {}, value: Number(result[1]) }];
  else if (resultType === 'vector' && validators.vector(result))
    series = result.map((item) => ({ labels: item.metric, value: Number(item.value[1]) }));
  else return { status: 'fail', signal: { ...base, detail: `${shown}: a ${resultType} result cannot be compared with a threshold` } };
  const out = series.map((entry) => ({ entry, why: breach(entry.value, threshold) })).filter((item) => item.why !== undefined);
  if (out.length === 0) {
    const detail =
      series.length === 0 ? `${shown}: no series (nothing firing)` : `${shown}: ${series.length} value(s) within the threshold`;
    return { status: 'pass', signal: { ...base, detail, series } };
  }
  const named = out.map((item) => `${labelsText(item.entry.labels)} ${item.why}`).join('; ');
  return { status: 'fail', signal: { ...base, detail: `${shown}: ${named}`, series: out.map((item) => item.entry) } };
}
