import { Ajv } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { HOST_INVENTORY_SCHEMA } from '../../controller/core/inventory/host-inventory.js';

const addFormats: FormatsPlugin = (addFormatsModule as unknown as { default: FormatsPlugin }).default;

let compiled: ReturnType<Ajv['compile']> | undefined;

/** Validates a document against `HOST_INVENTORY_SCHEMA`; returns ajv's errors as text ([] = valid). */
export function inventorySchemaErrors(document: unknown): string[] {
  if (compiled === undefined) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    compiled = ajv.compile(HOST_INVENTORY_SCHEMA);
  }
  if (compiled(document)) return [];
  return (compiled.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}
