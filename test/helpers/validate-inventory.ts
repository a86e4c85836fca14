import { createInventoryValidator } from '../../controller/core/inventory/inventory-validator.js';

const check = createInventoryValidator();

/** Validates a document against `HOST_INVENTORY_SCHEMA`; returns ajv's errors as text ([] = valid). */
export function inventorySchemaErrors(document: unknown): string[] {
  const result = check(document);
  return result.ok ? [] : [...result.error];
}
