/**
 * Response checking shared by the forge edges: each edge's `schema.ts` lists JSON Schemas requiring
 * only the fields we use; `compileSchemas` compiles them once per forge instance (no module state)
 * and `checked` turns a mismatch into ExternalError('forge', 'forge-bad-response').
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { ExternalError } from '../../../errors.js';

export type Validators<K extends string> = { readonly [P in K]: ValidateFunction };

export function compileSchemas<K extends string>(schemas: { readonly [P in K]: object }): Validators<K> {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const out = {} as Record<K, ValidateFunction>;
  for (const key of Object.keys(schemas) as K[]) out[key] = ajv.compile(schemas[key]);
  return out;
}

/** Returns `data` typed as T when it passes `validate`, else throws naming the forge and the operation. */
export function checked<T>(validate: ValidateFunction, data: unknown, forge: string, operation: string): T {
  if (validate(data)) return data as T;
  const first = validate.errors?.[0];
  const where = first ? `${first.instancePath || '(root)'} ${first.message ?? ''}` : 'unknown';
  throw new ExternalError('forge', 'forge-bad-response', `${forge} answered ${operation} with an unexpected shape: ${where}`, {
    context: { forge, operation },
  });
}
