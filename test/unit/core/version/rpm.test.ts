import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rpmVersionProblem, rpmVersionScheme } from '../../../../controller/core/version/rpm.js';
import { StalledError } from '../../../../controller/errors.js';
import { HOSTILE_STRINGS, LEADING_DASH } from './hostile-strings.js';

const { compare, isValidVersion, isValidPackageName } = rpmVersionScheme;

describe('rpm compare (rpm 4.18 rpm.vercmp; expectations checked with rpm 4.18.0)', () => {
  const table: readonly (readonly [string, string, -1 | 0 | 1])[] = [
    ['1.0', '1.0', 0],
    ['10', '9', 1],
    ['1.0-2', '1.0-10', -1],
    // ~ sorts before everything, ^ after the end but before anything else
    ['1.0~rc1', '1.0', -1],
    ['1.0~', '1.0', -1],
    ['1.0~~', '1.0~', -1],
    ['2.0', '2.0~', 1],
    ['1.0^20200101', '1.0', 1],
    ['1.0^20200101', '1.0.1', -1],
    ['1.0~rc1^git1', '1.0~rc1', 1],
    ['1.0^', '1.0', 1],
    ['1.0^^', '1.0^', 1],
    ['1.0^a', '1.0^1', -1],
    ['1.0-1^1', '1.0-1', 1],
    // separators are all alike; runs of digits and letters compare as units
    ['1.2', '1_2', 0],
    ['1.2', '1+2', 0],
    ['1a', '1.a', 0],
    ['1.0.', '1.0', 0],
    ['1.0', '1.0.0', -1],
    ['1.0a', '1.0', 1],
    ['1.0a', '1.0.1', -1],
    ['1.a', '1.1', -1],
    ['a', '1', -1],
    ['A', 'a', -1],
    ['5.5p1', '5.5p10', -1],
    // leading zeros, runs beyond 2^64
    ['1.2', '1.02', 0],
    ['06.0014-4.git.b2b7934e.el8', '6.14-4.git.b2b7934e.el8', 0],
    ['1.18446744073709551616', '1.18446744073709551615', 1],
    ['2021.99999999999999999999-1', '2021.100000000000000000000-1', -1],
    // epochs: missing is 0, compared by value
    ['0:1.2-3', '1.2-3', 0],
    ['00:1.0', '1.0', 0],
    ['1:1.0', '01:1.0', 0],
    ['1:1.0', '2.0', 1],
    ['32:9.11.36-3.el8', '2:9.16.23-0.14.el8', 1],
    // a missing release: the side with a release is greater (rpm.vercmp, not dependency matching)
    ['10.0.11', '10.0.11-1.el10_2', -1],
    ['2:0.42.29-4.module_el8.5.0+160+d7199140', '2:0.42.29', 1],
    // real release shapes
    ['1.0-1.el9', '1.0-1.el9_4', -1],
    ['1.0-1.el9_4', '1.0-1.el9.alma', 1],
    ['1.0-1.el9.alma', '1.0-1.el9.alma.1', -1],
    ['1.0-1', '1.0-1.0', -1],
    ['1.0-1.module_el8.4.0+2224+b07ac28e', '1.0-1.module_el8.10.0+3862+c5a22a8d', -1],
  ];
  for (const [a, b, expected] of table) {
    it(`${a} vs ${b} = ${expected}`, () => {
      assert.equal(compare(a, b), expected);
      assert.equal(compare(b, a), -expected || 0);
    });
  }

  it('throws a StalledError with code InvalidVersion and context on invalid input', () => {
    for (const [a, b] of [
      ['1.0 -1', '1.0'],
      ['1.0', '-1.0'],
      ['$(id)', '$(id)'],
    ] as const) {
      assert.throws(
        () => compare(a, b),
        (error: unknown) =>
          error instanceof StalledError &&
          error.code === 'InvalidVersion' &&
          error.context['scheme'] === 'rpm' &&
          typeof error.context['reason'] === 'string',
      );
    }
  });
});

describe('rpm isValidVersion', () => {
  const valid = [
    '1',
    'a',
    '1.0',
    '1.0-1',
    '0:1.0-1.el9',
    '32:9.11.36-3.el8_8.1',
    '1.0~rc1^git20200101.abc-0.1.el9',
    '1_2+3',
    '2021.99999999999999999999-1.20210825.git1fbed83.el8.module_el8.6.0+2137+2c46ce5a',
  ];
  for (const version of valid) it(`accepts ${JSON.stringify(version)}`, () => assert.equal(isValidVersion(version), true));

  const invalid: readonly (readonly [string, RegExp])[] = [
    ['', /empty/],
    [':1.0', /epoch is empty/],
    ['1:', /version is empty/],
    ['1:-1', /does not start/],
    ['-1', /does not start/],
    ['~1', /does not start/],
    ['^1', /does not start/],
    ['.1', /does not start/],
    ['1.0-', /release is empty/],
    ['1.0-1-1', /more than one hyphen/],
    ['1:2:3', /colon outside the epoch/],
    ['1.0:1', /colon outside the epoch/],
    ['a:1.0', /colon outside the epoch/],
    ['1.0-1%{dist}', /invalid character/],
    ['1.0 ', /invalid character/],
    ['1'.repeat(256), /longer than 255/],
  ];
  for (const [version, reason] of invalid) {
    it(`rejects ${JSON.stringify(version.slice(0, 40))}`, () => {
      assert.equal(isValidVersion(version), false);
      assert.match(rpmVersionProblem(version) ?? '', reason);
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

describe('rpm isValidPackageName', () => {
  for (const name of [
    'bash',
    'openssl-libs',
    'NetworkManager',
    'perl-IO-Socket-SSL',
    'libstdc++',
    'python3.11',
    '_x',
    '+x',
    'a',
    'ruby_2.7',
  ]) {
    it(`accepts ${name}`, () => assert.equal(isValidPackageName(name), true));
  }
  for (const name of ['', '-bash', '.bash', 'bash.x86_64 ', 'bash:x', 'bash/x', 'bash~1', 'x'.repeat(256)]) {
    it(`rejects ${JSON.stringify(name.slice(0, 40))}`, () => assert.equal(isValidPackageName(name), false));
  }
  it('rejects shell metacharacters, whitespace, newlines and a leading -', () => {
    for (const hostile of HOSTILE_STRINGS) {
      assert.equal(isValidPackageName(hostile), false, JSON.stringify(hostile));
      assert.equal(isValidPackageName(`bash${hostile}`), false, JSON.stringify(`bash${hostile}`));
      assert.equal(isValidPackageName(`${hostile}bash`), false, JSON.stringify(`${hostile}bash`));
    }
    for (const option of LEADING_DASH) assert.equal(isValidPackageName(option), false, option);
  });
});
