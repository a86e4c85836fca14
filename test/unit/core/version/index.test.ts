import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  dpkgVersionScheme,
  isVersionSchemeId,
  rpmVersionScheme,
  VERSION_SCHEME_IDS,
  versionProblem,
  versionSchemeFor,
} from '../../../../controller/core/version/index.js';

describe('versionSchemeFor', () => {
  it('maps each id to its scheme, whose id matches', () => {
    assert.equal(versionSchemeFor('dpkg'), dpkgVersionScheme);
    assert.equal(versionSchemeFor('rpm'), rpmVersionScheme);
    for (const id of VERSION_SCHEME_IDS) assert.equal(versionSchemeFor(id).id, id);
  });

  it('schemes are frozen and their methods work detached', () => {
    assert.ok(Object.isFrozen(dpkgVersionScheme) && Object.isFrozen(rpmVersionScheme));
    const { compare } = dpkgVersionScheme;
    assert.equal(['1.10', '1.9', '1.0~rc1'].sort(compare).join(' '), '1.0~rc1 1.9 1.10');
  });

  it('isVersionSchemeId accepts only dpkg and rpm', () => {
    assert.deepEqual(['dpkg', 'rpm', 'apk', 'DPKG', ''].map(isVersionSchemeId), [true, true, false, false, false]);
  });

  it('versionProblem explains an invalid version and is undefined for a valid one', () => {
    assert.equal(versionProblem('dpkg', '1.0-1'), undefined);
    assert.match(versionProblem('dpkg', 'abc') ?? '', /does not start with digit/);
    assert.equal(versionProblem('rpm', '1.0-1'), undefined);
    assert.match(versionProblem('rpm', '1.0-1-1') ?? '', /more than one hyphen/);
  });
});
