/**
 * Checks a parsed inventory document against `HOST_INVENTORY_SCHEMA` and returns its hosts or the
 * schema errors as text. Compile once with `createInventoryValidator()` and reuse the function.
 */
import { Ajv } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { HOST_INVENTORY_SCHEMA, type HostInventory, type HostInventoryList } from './host-inventory.js';

const addFormats: FormatsPlugin = (addFormatsModule as unknown as { default: FormatsPlugin }).default;

export type InventoryCheck =
  | { readonly ok: true; readonly hosts: readonly HostInventory[] }
  | { readonly ok: false; readonly errors: readonly string[] };

export function createInventoryValidator(): (document: unknown) => InventoryCheck {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile<HostInventory | HostInventoryList>(HOST_INVENTORY_SCHEMA);
  return (document) => {
    if (!validate(document))
      return { ok: false, errors: (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''}`) };
    return { ok: true, hosts: document.kind === 'HostInventoryList' ? document.items : [document] };
  };
}
