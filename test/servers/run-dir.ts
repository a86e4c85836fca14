import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory for one server's data, certificates and logs. */
export function createRunDir(kind: string): string {
  return mkdtempSync(join(tmpdir(), `patchward-${kind}-`));
}

/** Removes a run directory unless it must be kept for a post-mortem (failure or PATCHWARD_KEEP_TESTENV=1). */
export function removeRunDir(dir: string, keep: boolean): void {
  if (keep || process.env['PATCHWARD_KEEP_TESTENV'] === '1') {
    process.stderr.write(`[servers] kept ${dir}\n`);
    return;
  }
  rmSync(dir, { recursive: true, force: true });
}
