#!/usr/bin/env node
// Generates controller/core/model/generated/kinds.ts from the CRD schemas in crds/.
//   npx tsc -p tsconfig.json && node scripts/generate-model-types.mjs          (writes the file)
//   node scripts/generate-model-types.mjs --check                               (exit 1 when stale)
// test/unit/core/model/generated-types.test.ts runs the same generation and compares.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compile } from 'json-schema-to-typescript';
import { parse } from 'yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const GENERATED_PATH = join(ROOT, 'controller/core/model/generated/kinds.ts');

const BANNER = `/* eslint-disable */
/**
 * GENERATED from crds/*.yaml by scripts/generate-model-types.mjs — do not edit by hand.
 * Regenerate: npx tsc -p tsconfig.json && node scripts/generate-model-types.mjs
 */
import type { ObjectMeta } from '../object-meta.js';`;

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `oneOf: [{required: [a]}, {required: [b]}]` constrains values, not shapes: types ignore it. */
function dropRequiredOnlyJunctors(schema) {
  if (Array.isArray(schema)) return schema.map(dropRequiredOnlyJunctors);
  if (!isObject(schema)) return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    const requiredOnly =
      ['oneOf', 'anyOf', 'allOf'].includes(key) &&
      Array.isArray(value) &&
      value.every((branch) => isObject(branch) && Object.keys(branch).every((k) => k === 'required'));
    if (!requiredOnly) out[key] = dropRequiredOnlyJunctors(value);
  }
  return out;
}

/** Same-titled sub-schemas (LabelSelector, Condition...) must be identical; they become one type. */
function shareTitled(schema, seen) {
  if (Array.isArray(schema)) return schema.map((entry) => shareTitled(entry, seen));
  if (!isObject(schema)) return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) out[key] = shareTitled(value, seen);
  if (typeof out.title === 'string') {
    const first = seen.get(out.title);
    if (first === undefined) seen.set(out.title, out);
    else if (JSON.stringify(first) !== JSON.stringify(out)) throw new Error(`two different schemas are titled ${out.title}`);
    else return first;
  }
  return out;
}

export async function generateModelTypes() {
  const { crdSchemaOf, validationSchemaOf } = await import(pathToFileURL(join(ROOT, 'dist/controller/core/model/crd-schema.js')).href);
  const crdDir = join(ROOT, 'crds');
  const definitions = {};
  for (const file of readdirSync(crdDir)
    .filter((name) => name.endsWith('.yaml'))
    .sort()) {
    const crd = crdSchemaOf(parse(readFileSync(join(crdDir, file), 'utf8')));
    if (typeof crd === 'string') throw new Error(`${file}: ${crd}`);
    const schema = validationSchemaOf(crd);
    schema.properties.metadata = { tsType: 'ObjectMeta', description: schema.properties.metadata.description };
    definitions[crd.kind] = schema;
  }
  const seen = new Map();
  const shared = shareTitled(dropRequiredOnlyJunctors(definitions), seen);
  const root = { title: 'PatchwardKinds', type: 'object', additionalProperties: false, properties: {}, definitions: shared };
  const text = await compile(root, 'PatchwardKinds', {
    bannerComment: BANNER,
    additionalProperties: false,
    unreachableDefinitions: true,
    declareExternallyReferenced: true,
    format: true,
    style: { singleQuote: true, printWidth: 140 },
  });
  return text;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = await generateModelTypes();
  if (process.argv.includes('--check')) {
    const current = readFileSync(GENERATED_PATH, 'utf8');
    if (current !== text) {
      process.stderr.write(`${GENERATED_PATH} is stale; run node scripts/generate-model-types.mjs\n`);
      process.exitCode = 1;
    }
  } else {
    writeFileSync(GENERATED_PATH, text);
    process.stdout.write(`wrote ${GENERATED_PATH}\n`);
  }
}
