/**
 * Turns the `openAPIV3Schema` of a CRD (the single definition of a kind, in `crds/`) into the
 * JSON Schema the loader validates Git files with. The transformation is mechanical and mirrors
 * what the API server does (docs/adr/0003-crd-schemas-are-the-source.md):
 * - objects with `properties` refuse unknown fields (the API server prunes them; in Git a typo
 *   must be an error, as with `kubectl apply --validate=strict`);
 * - `apiVersion` and `kind` are fixed to this kind, `metadata` gets the ObjectMeta schema;
 * - `apiVersion`, `kind`, `metadata` and `spec` are required.
 * Pure: takes parsed CRD documents, returns schemas.
 */
import { API_VERSION, isKindName, type KindName } from './kinds.js';
import { OBJECT_META_SCHEMA } from './object-meta.js';

export type JsonSchema = { [key: string]: unknown };

export interface CrdSchema {
  readonly kind: KindName;
  readonly plural: string;
  /** The openAPIV3Schema exactly as in the CRD. */
  readonly openApiSchema: JsonSchema;
}

function isObject(value: unknown): value is JsonSchema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the kind and the v1alpha1 schema out of one parsed CustomResourceDefinition. */
export function crdSchemaOf(crd: unknown): CrdSchema | string {
  if (!isObject(crd) || crd['kind'] !== 'CustomResourceDefinition') return 'not a CustomResourceDefinition';
  const spec = crd['spec'];
  if (!isObject(spec) || spec['group'] !== 'patchward.io') return 'not a patchward.io CustomResourceDefinition';
  const names = spec['names'];
  if (!isObject(names) || !isKindName(names['kind'])) return 'spec.names.kind is not a patchward kind';
  const versions = spec['versions'];
  const version = Array.isArray(versions) ? versions.find((entry) => isObject(entry) && entry['name'] === 'v1alpha1') : undefined;
  const schema = isObject(version) && isObject(version['schema']) ? version['schema']['openAPIV3Schema'] : undefined;
  if (!isObject(schema)) return 'no v1alpha1 openAPIV3Schema';
  return { kind: names['kind'], plural: String(names['plural']), openApiSchema: schema };
}

function closeObjects(schema: JsonSchema): JsonSchema {
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, isObject(sub) ? closeObjects(sub) : sub]));
    } else if ((key === 'items' || key === 'additionalProperties') && isObject(value)) {
      out[key] = closeObjects(value);
    } else if ((key === 'anyOf' || key === 'oneOf' || key === 'allOf') && Array.isArray(value)) {
      out[key] = value.map((sub: unknown) => (isObject(sub) ? closeObjects(sub) : sub));
    } else {
      out[key] = value;
    }
  }
  if (isObject(out['properties']) && out['additionalProperties'] === undefined && out['x-kubernetes-preserve-unknown-fields'] !== true) {
    out['additionalProperties'] = false;
  }
  return out;
}

/** The schema a Git file of this kind must satisfy (see the file comment for the differences). */
export function validationSchemaOf(crd: CrdSchema): JsonSchema {
  const root = closeObjects(crd.openApiSchema);
  const properties = { ...(root['properties'] as JsonSchema) };
  properties['apiVersion'] = { type: 'string', const: API_VERSION, description: `APIVersion of this object: ${API_VERSION}.` };
  properties['kind'] = { type: 'string', const: crd.kind, description: `Kind of this object: ${crd.kind}.` };
  properties['metadata'] = closeObjects({ ...OBJECT_META_SCHEMA, title: 'ObjectMeta' });
  const required = new Set(['apiVersion', 'kind', 'metadata', ...((root['required'] as string[] | undefined) ?? [])]);
  return { ...root, properties, required: [...required] };
}
