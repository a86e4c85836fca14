import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { versionSchemeFor } from '../../../../controller/core/version/index.js';
import { distinctVersions } from './pairs-fixture.js';
import { relatedTripleArbitrary, versionArbitrary } from './version-mutations.js';

/** Fixed seed per run of the suite, printed by fast-check on failure so a failure can be replayed. */
const RUNS = 3000;

describe('version order properties over real versions and their mutations', () => {
  for (const id of ['dpkg', 'rpm'] as const) {
    describe(id, () => {
      const scheme = versionSchemeFor(id);
      const pool = distinctVersions(id);
      const version = versionArbitrary(id, pool);
      const triple = fc.oneof(relatedTripleArbitrary(id, pool), fc.tuple(version, version, version));

      it('generated versions are valid', () => {
        fc.assert(
          fc.property(version, (v) => scheme.isValidVersion(v)),
          { numRuns: RUNS },
        );
      });

      it('reflexivity: cmp(a, a) = 0', () => {
        fc.assert(
          fc.property(version, (a) => scheme.compare(a, a) === 0),
          { numRuns: RUNS },
        );
      });

      it('antisymmetry: cmp(a, b) = -cmp(b, a)', () => {
        fc.assert(
          fc.property(triple, ([a, b]) => {
            assert.equal(scheme.compare(a, b), -scheme.compare(b, a) || 0);
          }),
          { numRuns: RUNS },
        );
      });

      it('transitivity: a <= b and b <= c imply a <= c, strictly when either step is strict', () => {
        fc.assert(
          fc.property(triple, ([a, b, c]) => {
            const ab = scheme.compare(a, b);
            const bc = scheme.compare(b, c);
            const ac = scheme.compare(a, c);
            if (ab <= 0 && bc <= 0) assert.equal(ac, ab === 0 && bc === 0 ? 0 : -1, `${a} ${b} ${c}`);
            if (ab >= 0 && bc >= 0) assert.equal(ac, ab === 0 && bc === 0 ? 0 : 1, `${a} ${b} ${c}`);
          }),
          { numRuns: RUNS },
        );
      });

      it('equal versions order alike against a third', () => {
        fc.assert(
          fc.property(triple, ([a, b, c]) => {
            if (scheme.compare(a, b) === 0) assert.equal(scheme.compare(a, c), scheme.compare(b, c), `${a} = ${b}, against ${c}`);
          }),
          { numRuns: RUNS },
        );
      });

      it('sorting a sample gives a sequence whose every pair is ordered', () => {
        fc.assert(
          fc.property(fc.array(version, { minLength: 2, maxLength: 30 }), (sample) => {
            const sorted = [...sample].sort(scheme.compare);
            for (let i = 0; i < sorted.length; i++) {
              for (let j = i + 1; j < sorted.length; j++) assert.ok(scheme.compare(sorted[i] ?? '', sorted[j] ?? '') <= 0);
            }
          }),
          { numRuns: 300 },
        );
      });
    });
  }
});
