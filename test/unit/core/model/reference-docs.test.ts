import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';

describe('docs/reference', () => {
  it('is what scripts/generate-reference-docs.mjs produces from crds/ today (regenerate when this fails)', async () => {
    const script = pathToFileURL(join(process.cwd(), 'scripts', 'generate-reference-docs.mjs')).href;
    const { generateReferenceDocs, REFERENCE_DIR } = (await import(script)) as {
      generateReferenceDocs: () => Map<string, string>;
      REFERENCE_DIR: string;
    };
    const pages = generateReferenceDocs();
    assert.equal(pages.size, 9);
    for (const [name, text] of pages) {
      assert.equal(
        await readFile(join(REFERENCE_DIR, name), 'utf8'),
        text,
        `${name} is stale: run node scripts/generate-reference-docs.mjs`,
      );
    }
  });
});
