import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { INVALID_VERSION, invalidVersionError } from '../../../../controller/core/version/invalid-version.js';
import { isPatchwardError } from '../../../../controller/errors.js';

describe('invalidVersionError', () => {
  it('is a Stalled PatchwardError with code, scheme, version and reason in its context', () => {
    const error = invalidVersionError('rpm', '1.0 x', 'invalid character');
    assert.ok(isPatchwardError(error));
    assert.equal(error.kind, 'Stalled');
    assert.equal(error.code, INVALID_VERSION);
    assert.deepEqual(error.context, { scheme: 'rpm', version: '1.0 x', reason: 'invalid character' });
    assert.equal(error.message, 'invalid rpm version "1.0 x": invalid character');
  });

  it('bounds a long version in message and context', () => {
    const error = invalidVersionError('dpkg', '1'.repeat(1000), 'too long');
    assert.ok(error.message.length < 200);
    assert.equal(String(error.context['version']).length, 80);
  });
});
