/** Reads HostInventory / HostInventoryList JSON files (a directory means every *.json in it), checked against the schema. */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { HostInventory } from '../core/inventory/host-inventory.js';
import { createInventoryValidator } from '../core/inventory/inventory-validator.js';

/** An input file that cannot be used, named with the reason; reported without a stack trace. */
export class InventoryFileProblem extends Error {}

async function inventoryFiles(target: string): Promise<string[]> {
  const info = await stat(target).catch((error: unknown) => {
    throw new InventoryFileProblem(`${target}: cannot read (${error instanceof Error ? error.message : String(error)})`);
  });
  if (info.isDirectory()) {
    const names = (await readdir(target)).filter((name) => name.endsWith('.json')).sort();
    return names.map((name) => path.join(target, name));
  }
  if (!info.isFile()) throw new InventoryFileProblem(`${target}: not a regular file or directory`);
  return [target];
}

export async function readInventoryFiles(targets: readonly string[]): Promise<HostInventory[]> {
  const check = createInventoryValidator();
  const hosts: HostInventory[] = [];
  for (const target of targets) {
    for (const file of await inventoryFiles(target)) {
      let value: unknown;
      try {
        value = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        throw new InventoryFileProblem(`${file}: not JSON (${error instanceof Error ? error.message : 'parse error'})`);
      }
      const checked = check(value);
      if (!checked.ok)
        throw new InventoryFileProblem(`${file}: not a HostInventory or HostInventoryList: ${checked.error.slice(0, 5).join('; ')}`);
      hosts.push(...checked.value);
    }
  }
  return hosts;
}
