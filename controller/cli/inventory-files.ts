/**
 * THE reader of HostInventory / HostInventoryList JSON files for every command (`assess`, `plan`,
 * `propose`): a directory means every `*.json` in it; each file is read with the input cap
 * (`inventory-file`, docs/limits.md), refused beyond the JSON depth limit, and checked against the
 * schema. A `*.json` entry of a directory that is not a regular file (symbolic link, FIFO,
 * directory …) is refused by name: silently skipping it would make its hosts vanish.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { HostInventory } from '../core/inventory/host-inventory.js';
import { createInventoryValidator } from '../core/inventory/inventory-validator.js';
import { READ_LIMITS, type ReadLimits, readInputText } from '../edges/io/bounded-read.js';
import { excessJsonDepth, MAX_JSON_DEPTH } from '../edges/io/json-depth.js';
import { InvalidInputError } from '../errors.js';

/** An inventory file that cannot be used, named with the reason; reported without a stack trace. */
export class InventoryFileProblem extends InvalidInputError {}

async function inventoryFiles(target: string): Promise<string[]> {
  const info = await stat(target).catch(() => undefined);
  // Not there, or not a directory: the bounded read names the problem (missing, FIFO, device …).
  if (info === undefined || !info.isDirectory()) return [target];
  const entries = (await readdir(target, { withFileTypes: true })).filter((entry) => entry.name.endsWith('.json'));
  const odd = entries.find((entry) => !entry.isFile());
  if (odd !== undefined)
    throw new InventoryFileProblem(
      `${path.join(target, odd.name)} is ${odd.isSymbolicLink() ? 'a symbolic link' : odd.isDirectory() ? 'a directory' : 'not a regular file'}; an inventory directory holds regular files only (give a linked file by its own path)`,
    );
  return entries.map((entry) => path.join(target, entry.name)).sort();
}

export async function readInventoryFiles(
  targets: readonly string[],
  limits: Pick<ReadLimits, 'inventoryFile'> = READ_LIMITS,
): Promise<HostInventory[]> {
  const check = createInventoryValidator();
  const hosts: HostInventory[] = [];
  for (const target of targets) {
    for (const file of await inventoryFiles(target)) {
      const text = await readInputText(file, { limit: limits.inventoryFile });
      const deep = excessJsonDepth(text);
      if (deep !== undefined) throw new InventoryFileProblem(`${file}: JSON nested deeper than ${MAX_JSON_DEPTH} levels at offset ${deep}`);
      let value: unknown;
      try {
        value = JSON.parse(text);
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
