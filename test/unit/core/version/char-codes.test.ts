import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  charClass,
  CLASS_ALPHA,
  CLASS_DIGIT,
  CLASS_DPKG_REVISION,
  CLASS_DPKG_UPSTREAM,
  CLASS_RPM_EVR,
  CLASS_SEPARATOR,
  compareDigitRuns,
} from '../../../../controller/core/version/char-codes.js';

function digits(a: string, b: string): number {
  return compareDigitRuns(a, 0, a.length, b, 0, b.length);
}

describe('compareDigitRuns', () => {
  const table: readonly (readonly [string, string, number])[] = [
    ['', '', 0],
    ['', '0', 0],
    ['0', '000', 0],
    ['9', '10', -1],
    ['010', '9', 1],
    ['18446744073709551616', '18446744073709551615', 1],
    ['9007199254740993', '9007199254740992', 1],
    ['99999999999999999999', '100000000000000000000', -1],
    ['000000000000000000001', '1', 0],
  ];
  for (const [a, b, expected] of table) {
    it(`${a || '(empty)'} vs ${b || '(empty)'} = ${expected}`, () => {
      assert.equal(digits(a, b), expected);
      assert.equal(digits(b, a), -expected || 0);
    });
  }

  it('compares sub-ranges without copying', () => {
    assert.equal(compareDigitRuns('x0012y', 1, 5, 'ab12', 2, 4), 0);
  });
});

describe('charClass', () => {
  it('classifies ASCII and nothing else', () => {
    assert.equal(charClass('7'.charCodeAt(0)), CLASS_DIGIT);
    assert.equal(charClass('q'.charCodeAt(0)), CLASS_ALPHA);
    assert.equal(charClass('Q'.charCodeAt(0)), CLASS_ALPHA);
    assert.equal(charClass('~'.charCodeAt(0)), CLASS_DPKG_UPSTREAM | CLASS_DPKG_REVISION | CLASS_RPM_EVR);
    assert.equal(charClass(':'.charCodeAt(0)), CLASS_DPKG_UPSTREAM | CLASS_SEPARATOR);
    assert.equal(charClass('-'.charCodeAt(0)), CLASS_DPKG_UPSTREAM | CLASS_SEPARATOR);
    assert.equal(charClass('^'.charCodeAt(0)), CLASS_RPM_EVR);
    assert.equal(charClass('_'.charCodeAt(0)), CLASS_RPM_EVR);
    for (const other of [' ', '\n', '\0', ';', '$', '/', '%', '\u00e9', '\uff11'])
      assert.equal(charClass(other.charCodeAt(0)), 0, JSON.stringify(other));
  });
});
