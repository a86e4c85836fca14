/** Reads the CRD schemas from `crds/` (the single definition of every kind). */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { crdSchemaOf, type CrdSchema } from '../../core/model/crd-schema.js';
import { StalledError } from '../../errors.js';

/** `crds/` of this installation: three levels above dist/controller/edges/policy-repo (or controller/edges/policy-repo). */
export function defaultCrdDirectory(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  const fromDist = join(here, '..', '..', '..', '..', 'crds');
  return here.includes(`${join('dist', 'controller')}`) ? fromDist : join(here, '..', '..', '..', 'crds');
}

async function crdFileNames(directory: string): Promise<string[]> {
  try {
    return (await readdir(directory)).filter((name) => name.endsWith('.yaml')).sort();
  } catch (error) {
    throw new StalledError('CrdsMissing', `cannot read the CRD directory ${directory}`, { cause: error, context: { directory } });
  }
}

/**
 * sha256 of the CRD files as they are (names and bytes, in name order): what validators generated
 * from them at build time are checked against before they are used.
 */
export async function crdDigest(directory: string = defaultCrdDirectory()): Promise<string> {
  const hash = createHash('sha256');
  for (const name of await crdFileNames(directory))
    hash
      .update(`${name}\0`)
      .update(await readFile(join(directory, name)))
      .update('\0');
  return hash.digest('hex');
}

/** Every patchward CRD in the directory; throws StalledError when one cannot be read (an installation fault). */
export async function readCrdSchemas(directory: string = defaultCrdDirectory()): Promise<CrdSchema[]> {
  const names = await crdFileNames(directory);
  const schemas: CrdSchema[] = [];
  for (const name of names) {
    const text = await readFile(join(directory, name), 'utf8');
    const schema = crdSchemaOf(parse(text));
    if (typeof schema === 'string') throw new StalledError('CrdInvalid', `${name}: ${schema}`, { context: { file: name } });
    schemas.push(schema);
  }
  if (schemas.length === 0) throw new StalledError('CrdsMissing', `no CRDs found in ${directory}`, { context: { directory } });
  return schemas;
}
