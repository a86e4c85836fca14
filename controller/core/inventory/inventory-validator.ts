/**
 * Checks a parsed inventory document against `HOST_INVENTORY_SCHEMA` and returns its hosts or the
 * schema errors as text. Compile once with `createInventoryValidator()` and reuse the function.
 */
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { err, ok, type Result } from '../../errors.js';
import { HOST_INVENTORY_SCHEMA, type HostInventory, type HostInventoryList } from './host-inventory.js';

const addFormats: FormatsPlugin = (addFormatsModule as unknown as { default: FormatsPlugin }).default;

/** The hosts of a valid document, or the schema errors as sentences (the one `Result` type). */
export type InventoryCheck = Result<readonly HostInventory[], readonly string[]>;

/** `/items/3/packages/0/name` → `items[3].packages[0].name` (the whole document: `(document)`). */
function fieldPath(pointer: string): string {
  if (pointer === '') return '(document)';
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => (/^[0-9]+$/.test(segment) ? `${path}[${segment}]` : path === '' ? segment : `${path}.${segment}`), '');
}

/** One ajv error as a sentence naming the field, the unknown or missing one included. */
function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const at = fieldPath(error.instancePath);
  if (error.keyword === 'additionalProperties') return `${at}: unknown field ${JSON.stringify(params['additionalProperty'])}`;
  if (error.keyword === 'required') return `${at}: required field ${JSON.stringify(params['missingProperty'])} is missing`;
  if (error.keyword === 'const') return `${at}: must be ${JSON.stringify(params['allowedValue'])}`;
  if (error.keyword === 'enum')
    return `${at}: must be one of ${(params['allowedValues'] as unknown[]).map((value) => JSON.stringify(value)).join(', ')}`;
  return `${at}: ${error.message ?? 'is invalid'}`;
}

/**
 * The document's `kind` picks the schema (a HostInventoryList or one HostInventory), so that an
 * error inside `items[N]` is reported at that path, not as a mismatch of the other `oneOf` branch.
 */
export function createInventoryValidator(): (document: unknown) => InventoryCheck {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const [hostSchema, listSchema] = HOST_INVENTORY_SCHEMA.oneOf;
  const validateHost = ajv.compile<HostInventory>(hostSchema);
  const validateList = ajv.compile<HostInventoryList>(listSchema);
  return (document) => {
    const isList = typeof document === 'object' && document !== null && (document as { kind?: unknown }).kind === 'HostInventoryList';
    if (isList) {
      if (!validateList(document)) return err((validateList.errors ?? []).map(describe));
      return ok(document.items);
    }
    if (!validateHost(document)) return err((validateHost.errors ?? []).map(describe));
    return ok([document]);
  };
}
