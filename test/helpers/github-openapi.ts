/**
 * GitHub's own OpenAPI description (`@octokit/openapi`, api.github.com.json) as a referee for the
 * GitHub edge's tests: every request must be an operation of the description, use only its query
 * parameters and send a body valid against its request schema; documented examples are served as
 * responses, and every served body is checked against the operation's response schema (types
 * and enums of the fields present; `required` is not enforced, see `checkResponse`).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import type { RecordedRequest } from './fixture-server.js';

type Json = Record<string, unknown>;

interface Operation {
  readonly template: string;
  readonly method: string;
  readonly pattern: RegExp;
  readonly spec: Json;
}

export interface GithubOpenApi {
  readonly version: string;
  /** Problems with a request (empty when it matches the description). */
  check(request: RecordedRequest): string[];
  /** Problems with a response body we serve for `method path` with `status`. */
  checkResponse(method: string, path: string, status: number, body: unknown): string[];
  /** A deep copy of `components.examples[name].value`. */
  example<T = Json>(name: string): T;
  /** The operation template (`GET /repos/{owner}/{repo}/pulls`) a request matched. */
  operationOf(method: string, path: string): string | undefined;
}

export function loadGithubOpenApi(): GithubOpenApi {
  const file = new URL('../../../node_modules/@octokit/openapi/generated/api.github.com.json', import.meta.url);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { info: { version: string }; paths: Record<string, Json>; components: Json };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const cache = new Map<unknown, ValidateFunction>();
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    for (const [method, spec] of Object.entries(item)) {
      if (typeof spec === 'object' && spec !== null && 'responses' in spec)
        operations.push({ template, method: method.toUpperCase(), pattern, spec: spec as Json });
    }
  }
  // Literal segments win over parameters (`/pulls/comments` before `/pulls/{pull_number}`).
  operations.sort((a, b) => literalLength(b.template) - literalLength(a.template));

  const resolve = (node: unknown, seen: ReadonlySet<string> = new Set()): unknown => {
    if (Array.isArray(node)) return node.map((n) => resolve(n, seen));
    if (node === null || typeof node !== 'object') return node;
    const ref = (node as Json).$ref;
    if (typeof ref === 'string') {
      if (seen.has(ref)) return {};
      const target = ref
        .slice(2)
        .split('/')
        .reduce<unknown>((at, key) => (at as Json)[key], doc);
      return resolve(target, new Set([...seen, ref]));
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v, seen)]));
  };
  const validator = (schema: unknown): ValidateFunction => {
    let compiled = cache.get(schema);
    if (!compiled) {
      compiled = ajv.compile(openApiToJsonSchema(resolve(schema)) as Json);
      cache.set(schema, compiled);
    }
    return compiled;
  };
  const find = (method: string, path: string) =>
    operations.find((op) => op.method === method && op.pattern.test(path.replace(/^\/api\/v3/, '')));

  return {
    version: doc.info.version,
    operationOf: (method, path) => {
      const op = find(method, path);
      return op && `${op.method} ${op.template}`;
    },
    check(request) {
      const op = find(request.method, request.path);
      if (!op) return [`${request.method} ${request.path} is not an operation of GitHub's OpenAPI description`];
      const problems: string[] = [];
      const params = ((resolve(op.spec.parameters) as Json[] | undefined) ?? []).filter((p) => p.in === 'query').map((p) => String(p.name));
      for (const name of Object.keys(request.query))
        if (!params.includes(name)) problems.push(`${op.method} ${op.template}: unknown query parameter ${name}`);
      const schema = ((op.spec.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'] as Json | undefined;
      if (schema?.schema && request.body !== undefined) {
        const validate = validator(schema.schema);
        if (!validate(request.body)) problems.push(`${op.method} ${op.template}: request body ${ajv.errorsText(validate.errors)}`);
      } else if (schema?.schema && (op.spec.requestBody as Json).required === true) {
        problems.push(`${op.method} ${op.template}: missing the required request body`);
      }
      return problems;
    },
    checkResponse(method, path, status, body) {
      const op = find(method.toUpperCase(), path);
      if (!op) return [`${method} ${path} is not an operation of GitHub's OpenAPI description`];
      const response = resolve((op.spec.responses as Json)[String(status)]) as Json | undefined;
      // 401, 429 and 5xx are documented once for the whole API (rate limits, troubleshooting), not per operation.
      if (!response) return status >= 400 ? [] : [`${op.method} ${op.template}: status ${status} is not documented`];
      const schema = ((response.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema;
      if (schema === undefined || body === undefined) return [];
      // Types and enums of every field present must be as documented; `required` is not enforced:
      // the recordings and examples predate fields the description added since (has_discussions, …).
      const validate = ajv.compile(openApiToJsonSchema(withoutRequired(schema)) as Json);
      return validate(body) ? [] : [`${op.method} ${op.template} ${status}: response ${ajv.errorsText(validate.errors)}`];
    },
    example<T>(name: string): T {
      const found = (doc.components.examples as Record<string, { value: unknown }>)[name];
      if (!found) throw new Error(`no OpenAPI example ${name}`);
      return structuredClone(found.value) as T;
    },
  };
}

/** OpenAPI 3.0 `nullable: true` → JSON Schema `type: [T, 'null']`, recursively; examples left alone. */
function openApiToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openApiToJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key === 'example' || key === 'examples' || key === 'default' || key === 'enum') out[key] = value;
    else if (key === 'properties' && value !== null && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, openApiToJsonSchema(schema)]));
    } else out[key] = openApiToJsonSchema(value);
  }
  if (nullable !== true) return out;
  if (typeof out.type === 'string')
    return { ...out, type: [out.type, 'null'], ...(Array.isArray(out.enum) ? { enum: [...out.enum, null] } : {}) };
  return { anyOf: [out, { type: 'null' }] };
}

function withoutRequired(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutRequired);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !(k === 'required' && Array.isArray(v)))
      // without `required`, the branches of a oneOf overlap: any one must match
      .map(([k, v]) => [k === 'oneOf' ? 'anyOf' : k, withoutRequired(v)]),
  );
}

function literalLength(template: string): number {
  return template.replace(/\{[^}]+\}/g, '').length;
}
