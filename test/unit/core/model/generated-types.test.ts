import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';

describe('controller/core/model/generated/kinds.ts', () => {
  it('is what scripts/generate-model-types.mjs produces from crds/ today (regenerate when this fails)', async () => {
    const script = pathToFileURL(join(process.cwd(), 'scripts', 'generate-model-types.mjs')).href;
    const { generateModelTypes, GENERATED_PATH } = (await import(script)) as {
      generateModelTypes: () => Promise<string>;
      GENERATED_PATH: string;
    };
    const committed = await readFile(GENERATED_PATH, 'utf8');
    const fresh = await generateModelTypes();
    assert.equal(committed, fresh, 'stale: run `npx tsc -p tsconfig.json && node scripts/generate-model-types.mjs`');
  });
});
