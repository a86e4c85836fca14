import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { ALL_KINDS } from '../../../../controller/core/model/kinds.js';

type Schema = { [key: string]: unknown };
const CRDS = join(process.cwd(), 'crds');
const files = (await readdir(CRDS)).filter((name) => name.endsWith('.yaml')).sort();
const crds = await Promise.all(files.map(async (name) => ({ name, crd: parse(await readFile(join(CRDS, name), 'utf8')) as Schema })));

function get(value: unknown, ...keys: (string | number)[]): unknown {
  let node = value;
  for (const key of keys) node = typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[key] : undefined;
  return node;
}

/** Structural-schema rules (Kubernetes "Specifying a structural schema"), as far as we use them. */
function structuralProblems(schema: Schema, path: string, problems: string[]): void {
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (typeof schema['type'] !== 'string' && !intOrString && !preserve) problems.push(`${path}: no type`);
  if (intOrString && schema['type'] !== undefined) problems.push(`${path}: int-or-string must not have a type`);
  if (schema['additionalProperties'] === false) problems.push(`${path}: additionalProperties: false is not allowed`);
  if (schema['properties'] !== undefined && schema['additionalProperties'] !== undefined)
    problems.push(`${path}: properties and additionalProperties together`);
  for (const junctor of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[junctor];
    if (branches === undefined) continue;
    const isIntOrStringPattern =
      intOrString && junctor === 'anyOf' && JSON.stringify(branches) === JSON.stringify([{ type: 'integer' }, { type: 'string' }]);
    for (const branch of branches as Schema[]) {
      for (const forbidden of ['type', 'description', 'default', 'properties', 'items', 'additionalProperties']) {
        if (branch[forbidden] !== undefined && !isIntOrStringPattern)
          problems.push(`${path}.${junctor}: ${forbidden} inside a logical junctor`);
      }
    }
  }
  const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
  for (const [name, sub] of Object.entries(properties)) {
    if (path === '' && name === 'metadata') {
      // The API server allows nothing but `type: object` here (and name/generateName constraints).
      if (JSON.stringify(sub) !== JSON.stringify({ type: 'object' })) problems.push('.metadata: must be exactly {type: object}');
      continue;
    }
    if (typeof sub['description'] !== 'string' || sub['description'].length < 3) problems.push(`${path}.${name}: no description`);
    structuralProblems(sub, `${path}.${name}`, problems);
  }
  if (typeof schema['items'] === 'object') {
    const items = schema['items'] as Schema;
    structuralProblems(items, `${path}[]`, problems);
    if (schema['x-kubernetes-list-type'] === 'map') {
      for (const key of (schema['x-kubernetes-list-map-keys'] ?? []) as string[]) {
        if (!((items['required'] ?? []) as string[]).includes(key))
          problems.push(`${path}: list-map key ${key} is not required in the items`);
      }
    }
  }
  if (typeof schema['additionalProperties'] === 'object')
    structuralProblems(schema['additionalProperties'] as Schema, `${path}{}`, problems);
}

/** Follows a printer-column JSONPath through the schema; returns the schema at its end. */
function resolveJsonPath(root: Schema, jsonPath: string): Schema | 'free' | undefined {
  const segments = jsonPath
    .replace(/\[\?\(.*?\)\]|\[\*\]|\[[0-9]+\]/g, '[]')
    .split('.')
    .filter((segment) => segment !== '');
  let node: Schema | undefined = root;
  for (const raw of segments) {
    const isArray = raw.endsWith('[]');
    const name = isArray ? raw.slice(0, -2) : raw;
    if (node === undefined) return undefined;
    if (node['properties'] === undefined && node['type'] === 'object') return 'free';
    node = (node['properties'] as Record<string, Schema> | undefined)?.[name];
    if (isArray) node = node?.['items'] as Schema | undefined;
  }
  return node;
}

describe('CRDs in crds/', () => {
  it('define every kind exactly once', () => {
    assert.deepEqual(crds.map(({ crd }) => get(crd, 'spec', 'names', 'kind')).sort(), [...ALL_KINDS].sort());
  });

  for (const { name, crd } of crds) {
    describe(name, () => {
      const version = get(crd, 'spec', 'versions', 0) as Schema;
      const schema = get(version, 'schema', 'openAPIV3Schema') as Schema;

      it('is a namespaced patchward.io CRD with short names, the patchward category and one served storage version', () => {
        assert.equal(crd['apiVersion'], 'apiextensions.k8s.io/v1');
        assert.equal(get(crd, 'spec', 'group'), 'patchward.io');
        assert.equal(get(crd, 'spec', 'scope'), 'Namespaced');
        assert.equal(get(crd, 'metadata', 'name'), `${String(get(crd, 'spec', 'names', 'plural'))}.patchward.io`);
        assert.deepEqual(get(crd, 'spec', 'names', 'categories'), ['patchward']);
        assert.ok(((get(crd, 'spec', 'names', 'shortNames') ?? []) as string[]).length > 0);
        assert.equal((get(crd, 'spec', 'versions') as unknown[]).length, 1);
        assert.equal(version['name'], 'v1alpha1');
        assert.equal(version['served'], true);
        assert.equal(version['storage'], true);
      });

      it('has the status subresource and a kstatus status (observedGeneration, conditions as a map by type, revisions)', () => {
        assert.deepEqual(get(version, 'subresources', 'status'), {});
        const status = get(schema, 'properties', 'status', 'properties') as Schema;
        for (const field of ['observedGeneration', 'conditions', 'lastAppliedRevision', 'lastAttemptedRevision'])
          assert.ok(status[field] !== undefined, field);
        assert.equal(get(status, 'conditions', 'x-kubernetes-list-type'), 'map');
        const condition = get(status, 'conditions', 'items') as Schema;
        assert.deepEqual(condition['required'], ['type', 'status', 'lastTransitionTime', 'reason', 'message']);
        assert.ok(get(condition, 'properties', 'observedGeneration') !== undefined);
      });

      it('is a structural schema with a description on every field', () => {
        const problems: string[] = [];
        structuralProblems(schema, '', problems);
        assert.deepEqual(problems, []);
      });

      it('has printer columns whose jsonPaths exist in the schema with a matching type, and a Ready column', () => {
        const columns = version['additionalPrinterColumns'] as { name: string; type: string; jsonPath: string }[];
        assert.ok(columns.some((column) => column.name === 'Ready'));
        for (const column of columns) {
          const target = resolveJsonPath(schema, column.jsonPath);
          assert.ok(target !== undefined, `${column.name}: ${column.jsonPath} is not in the schema`);
          if (target === 'free') continue;
          const type = target['x-kubernetes-int-or-string'] === true ? 'string' : String(target['type']);
          const expected = column.type === 'date' ? 'string' : column.type;
          assert.ok(
            type === expected || (column.type === 'string' && target['x-kubernetes-int-or-string'] === true),
            `${column.name}: column ${column.type}, field ${type}`,
          );
          if (column.type === 'date') assert.equal(target['format'], 'date-time', `${column.name}: a date column needs a date-time field`);
        }
      });
    });
  }
});
