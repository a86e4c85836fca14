import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDpkgQuery } from '../../../../controller/edges/packages/apt/dpkg-parse.js';
import { parseRpmQa } from '../../../../controller/edges/packages/dnf/rpm-parse.js';
import { StringPool } from '../../../../controller/edges/packages/string-pool.js';

const DPKG = [
  'libssl3\t3.0.15-1~deb12u1\tamd64\tii \topenssl\t3.0.15-1~deb12u1',
  'openssl\t3.0.15-1~deb12u1\tamd64\tii \topenssl\t3.0.15-1~deb12u1',
  'bash\t5.2.15-2+b7\tamd64\tii \tbash\t5.2.15-2',
  '',
].join('\n');

describe('StringPool', () => {
  it('returns the same value and stores each distinct string once', () => {
    const pool = new StringPool();
    assert.equal(pool.intern('amd64'), 'amd64');
    assert.equal(pool.intern('amd' + '64'), 'amd64');
    assert.equal(pool.size, 1);
  });

  it('lets hosts with the same dpkg listing share every string: the pool does not grow for the second host', () => {
    const pool = new StringPool();
    const first = parseDpkgQuery(DPKG, (value) => pool.intern(value));
    const afterFirst = pool.size;
    const second = parseDpkgQuery(DPKG, (value) => pool.intern(value));
    assert.deepEqual(second, first);
    // libssl3, openssl, bash, 3.0.15-1~deb12u1, 5.2.15-2+b7, 5.2.15-2, amd64
    assert.equal(afterFirst, 7);
    assert.equal(pool.size, afterFirst);
  });

  it('interns rpm names, EVRs, arches and source fields the same way', () => {
    const pool = new StringPool();
    const listing = 'openssl-libs\t1\t3.0.7\t27.el9\tx86_64\topenssl-3.0.7-27.el9.src.rpm\n';
    const parsed = parseRpmQa(listing, (value) => pool.intern(value));
    assert.deepEqual(parsed.packages, [
      { name: 'openssl-libs', version: '1:3.0.7-27.el9', arch: 'x86_64', source: 'openssl', sourceVersion: '1:3.0.7-27.el9' },
    ]);
    assert.equal(pool.size, 4);
  });
});
