import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { versionSchemeFor } from '../../../../controller/core/version/index.js';
import type { VersionSchemeId } from '../../../../controller/ports/version-scheme.js';
import { loadPairs } from './pairs-fixture.js';

const EXPECTED_ROWS: Readonly<Record<VersionSchemeId, number>> = { dpkg: 20_000, rpm: 10_000 };

describe('version schemes agree with the real tools on every ground-truth pair', () => {
  for (const id of ['dpkg', 'rpm'] as const) {
    it(`${id}: all ${EXPECTED_ROWS[id]} pairs of test/fixtures/versions/${id}-pairs.tsv.gz`, () => {
      const scheme = versionSchemeFor(id);
      const pairs = loadPairs(id);
      assert.equal(pairs.length, EXPECTED_ROWS[id], 'row count of the fixture');
      const invalid: string[] = [];
      const mismatches: string[] = [];
      for (const { line, a, b, cmp } of pairs) {
        if (!scheme.isValidVersion(a) || !scheme.isValidVersion(b)) {
          invalid.push(`line ${line}: ${a} ${b}`);
          continue;
        }
        const got = scheme.compare(a, b);
        if (got !== cmp) mismatches.push(`line ${line}: compare(${a}, ${b}) = ${got}, ${id} says ${cmp}`);
      }
      assert.deepEqual(
        invalid.slice(0, 10),
        [],
        `${invalid.length} of ${pairs.length} pairs hold a version we call invalid; first ones listed`,
      );
      assert.deepEqual(mismatches.slice(0, 10), [], `${mismatches.length} of ${pairs.length} pairs disagree; first ones listed`);
    });
  }
});
