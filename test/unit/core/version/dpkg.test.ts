import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dpkgVersionProblem, dpkgVersionScheme } from '../../../../controller/core/version/dpkg.js';
import { StalledError } from '../../../../controller/errors.js';
import { HOSTILE_STRINGS, LEADING_DASH } from './hostile-strings.js';

const { compare, isValidVersion, isValidPackageName } = dpkgVersionScheme;

describe('dpkg compare', () => {
  const table: readonly (readonly [string, string, -1 | 0 | 1])[] = [
    ['1.0', '1.0', 0],
    ['1.0', '1.1', -1],
    ['1.10', '1.9', 1],
    // ~ sorts before everything, even the end of the string
    ['1.0~rc1', '1.0', -1],
    ['1.0~~', '1.0~', -1],
    ['1.0~~a', '1.0~', -1],
    ['1.0~rc1', '1.0~rc2', -1],
    ['2.36-9+deb12u1', '2.36-9+deb12u10', -1],
    ['1.2.3-1~deb12u1', '1.2.3-1', -1],
    ['1.2.3-1', '1.2.3-1+b1', -1],
    // + sorts after the end and after letters
    ['1.0+dfsg', '1.0', 1],
    ['1.0+dfsg', '1.0a', 1],
    ['1.0a', '1.0', 1],
    ['1.0A', '1.0a', -1],
    ['1.0a', '1.0.1', -1],
    // epochs
    ['1:0.1', '9.9', 1],
    ['0:1.2-3', '1.2-3', 0],
    ['2:1.0', '10:1.0', -1],
    ['00:1.0', '1.0', 0],
    // missing revision is "0" and equal to "-0"
    ['1.0', '1.0-0', 0],
    ['1.0-0', '1.0-1', -1],
    // leading zeros and digit runs beyond 2^53 and 2^64
    ['01.002', '1.2', 0],
    ['1.18446744073709551616', '1.18446744073709551615', 1],
    ['1.9007199254740993', '1.9007199254740992', 1],
    ['1.000000000000000000000000001', '1.1', 0],
    ['1.99999999999999999999', '1.100000000000000000000', -1],
    // hyphens and colons inside the upstream version
    ['1.2-3-1', '1.2-3', 1],
    ['1:2.0:1-1', '1:2.0-1', 1],
    ['1.2-3-1', '1.2-4', 1],
    ['1.2-3-1', '1.3-1', -1],
  ];
  for (const [a, b, expected] of table) {
    it(`${a} vs ${b} = ${expected}`, () => {
      assert.equal(compare(a, b), expected);
      assert.equal(compare(b, a), -expected || 0);
    });
  }

  it('throws a StalledError with code InvalidVersion and context on invalid input', () => {
    for (const [a, b] of [
      ['x1.0', '1.0'],
      ['1.0', 'x1.0'],
      ['1.0 ', '1.0 '],
    ] as const) {
      assert.throws(
        () => compare(a, b),
        (error: unknown) =>
          error instanceof StalledError &&
          error.code === 'InvalidVersion' &&
          error.context['scheme'] === 'dpkg' &&
          typeof error.context['reason'] === 'string',
      );
    }
  });
});

describe('dpkg isValidVersion (dpkg --validate-version, stricter)', () => {
  const valid = [
    '0',
    '1.0',
    '1:1.0',
    '2147483647:1.0',
    '1.2-3-1',
    '1:2.0:1-1',
    '2.36-9+deb12u1',
    '1.0~rc1-1~bpo11+1',
    '2019.2.0~git20200924.c27eb18+dfsg1+really2019.2.0~git20200924.c27eb18+dfsg1-5',
    '7.4.2-6ubuntu1.fips.2',
  ];
  for (const version of valid) it(`accepts ${JSON.stringify(version)}`, () => assert.equal(isValidVersion(version), true));

  const invalid: readonly (readonly [string, RegExp])[] = [
    ['', /empty/],
    [':1.0', /epoch in version is empty/],
    ['a:1.0', /epoch in version is not number/],
    ['-1:1.0', /epoch in version is not number/],
    ['2147483648:1.0', /epoch in version is too big/],
    ['99999999999999999999:1.0', /too big/],
    ['1:', /nothing after colon/],
    ['1.0-', /revision number is empty/],
    ['-1', /version number is empty/],
    ['1:-1', /version number is empty/],
    ['a1.0', /does not start with digit/],
    ['~1', /does not start with digit/],
    ['1.0_1', /invalid character in version number/],
    ['1.0-1:2', /epoch in version is not number/],
    ['1:1.0-1:2', /invalid character in revision number/],
    ['1.0-1-a_b', /invalid character in revision number/],
    // dpkg itself trims surrounding whitespace; we refuse it
    ['1.0 ', /invalid character/],
    [' 1.0', /does not start with digit/],
    ['1'.repeat(256), /longer than 255/],
  ];
  for (const [version, reason] of invalid) {
    it(`rejects ${JSON.stringify(version.slice(0, 40))}`, () => {
      assert.equal(isValidVersion(version), false);
      assert.match(dpkgVersionProblem(version) ?? '', reason);
    });
  }

  it('rejects shell metacharacters, whitespace, newlines and a leading -', () => {
    for (const hostile of HOSTILE_STRINGS) {
      assert.equal(isValidVersion(hostile), false, JSON.stringify(hostile));
      assert.equal(isValidVersion(`1.0${hostile}`), false, JSON.stringify(`1.0${hostile}`));
      assert.equal(isValidVersion(`${hostile}1.0`), false, JSON.stringify(`${hostile}1.0`));
    }
    for (const option of LEADING_DASH) assert.equal(isValidVersion(option), false, option);
  });
});

describe('dpkg isValidPackageName (Debian policy 5.6.1)', () => {
  for (const name of ['libc6', 'g++', 'libstdc++6', 'openssh-server', 'python3.11', '0ad', 'xz-utils', 'gcc-12-base']) {
    it(`accepts ${name}`, () => assert.equal(isValidPackageName(name), true));
  }
  for (const name of ['', 'a', 'Libc6', 'libc6:amd64', '-libc6', '.libc6', '+x', 'lib_c6', 'libc 6', 'x'.repeat(256)]) {
    it(`rejects ${JSON.stringify(name.slice(0, 40))}`, () => assert.equal(isValidPackageName(name), false));
  }
  it('rejects shell metacharacters, whitespace, newlines and a leading -', () => {
    for (const hostile of HOSTILE_STRINGS) {
      assert.equal(isValidPackageName(hostile), false, JSON.stringify(hostile));
      assert.equal(isValidPackageName(`libc6${hostile}`), false, JSON.stringify(`libc6${hostile}`));
      assert.equal(isValidPackageName(`${hostile}libc6`), false, JSON.stringify(`${hostile}libc6`));
    }
    for (const option of LEADING_DASH) assert.equal(isValidPackageName(option), false, option);
  });
});
