import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allowedRemovalsFor,
  checkTransaction,
  EMPTY_TRANSACTION,
  type Transaction,
  verifyVersions,
} from '../../../../controller/core/transaction/index.js';

const targets = [
  { name: 'pw-libdemo', version: '1.0-2' },
  { name: 'pw-demo-utils', version: '1.0-2' },
];
const tx = (partial: Partial<Transaction>): Transaction => ({ ...EMPTY_TRANSACTION, ...partial });

describe('checkTransaction', () => {
  const cases: readonly {
    readonly name: string;
    readonly transaction: Transaction;
    readonly removes?: readonly string[];
    readonly refused?: readonly string[];
  }[] = [
    {
      name: 'the approved upgrades pass',
      transaction: tx({ upgrades: targets.map((t) => ({ name: t.name, version: t.version, fromVersion: '1.0-1' })) }),
    },
    { name: 'a new dependency passes', transaction: tx({ installs: [{ name: 'pw-newdep', version: '1.0-1' }] }) },
    {
      name: 'an upgrade outside the approved set is refused',
      transaction: tx({ upgrades: [{ name: 'libc6', version: '2.36-9+deb12u9', fromVersion: '2.36-9+deb12u4' }] }),
      refused: ['outside-approved-set:libc6'],
    },
    {
      name: 'a downgrade outside the approved set is refused',
      transaction: tx({ downgrades: [{ name: 'openssl', version: '3.0.1', fromVersion: '3.0.2' }] }),
      refused: ['outside-approved-set:openssl'],
    },
    {
      name: 'a removal the approval does not name is refused',
      transaction: tx({ removals: [{ name: 'pw-oldtool', fromVersion: '1.0-1' }] }),
      refused: ['unapproved-removal:pw-oldtool'],
    },
    {
      name: 'a removal the approval names passes',
      transaction: tx({ removals: [{ name: 'pw-oldtool', fromVersion: '1.0-1' }] }),
      removes: ['pw-oldtool'],
    },
    {
      name: 'an approved package at another version is refused',
      transaction: tx({ upgrades: [{ name: 'pw-libdemo', version: '1.0-3', fromVersion: '1.0-1' }] }),
      refused: ['wrong-version:pw-libdemo'],
    },
    {
      name: 'every violation is named at once',
      transaction: tx({
        upgrades: [{ name: 'bash', version: '5.2-2', fromVersion: '5.2-1' }],
        removals: [
          { name: 'pw-oldtool', fromVersion: '1.0-1' },
          { name: 'sudo', fromVersion: '1.9' },
        ],
      }),
      removes: ['pw-oldtool'],
      refused: ['unapproved-removal:sudo', 'outside-approved-set:bash'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = checkTransaction(c.transaction, { targets, removes: c.removes ?? [] });
      if (c.refused === undefined) assert.ok(result.ok, result.ok ? '' : result.error.message);
      else {
        assert.equal(result.ok, false);
        assert.deepEqual(result.ok ? [] : result.error.violations.map((v) => `${v.kind}:${v.package}`), c.refused);
      }
    });
  }

  it('names the packages in one message', () => {
    const result = checkTransaction(
      tx({ removals: [{ name: 'pw-oldtool' }], upgrades: [{ name: 'bash', version: '2', fromVersion: '1' }] }),
      {
        targets,
        removes: [],
      },
    );
    assert.equal(
      result.ok ? '' : result.error.message,
      'transaction refused: would remove packages the approval does not name: pw-oldtool; would change packages outside the approved set: bash',
    );
  });
});

describe('allowedRemovalsFor', () => {
  it('keeps entries for the release or for every release', () => {
    const removes = [{ name: 'a' }, { name: 'b', releases: ['debian-12'] }, { name: 'c', releases: ['rocky-9'] }];
    assert.deepEqual(allowedRemovalsFor(removes, 'debian-12'), ['a', 'b']);
    assert.deepEqual(allowedRemovalsFor(undefined, 'debian-12'), []);
  });
});

describe('verifyVersions', () => {
  it('passes when every target is installed at its version', () => {
    assert.deepEqual(verifyVersions(targets, [...targets, { name: 'bash', version: '5' }]), { ok: true, mismatches: [] });
  });
  it('names a package at another version, a missing one, and one installed twice with a stale arch', () => {
    const result = verifyVersions(
      [...targets, { name: 'pw-kernel', version: '1.1-1' }],
      [
        { name: 'pw-libdemo', version: '1.0-1' },
        { name: 'pw-demo-utils', version: '1.0-2', arch: 'amd64' },
        { name: 'pw-demo-utils', version: '1.0-1', arch: 'i386' },
      ],
    );
    assert.deepEqual(result.mismatches, [
      { name: 'pw-libdemo', expected: '1.0-2', actual: '1.0-1' },
      { name: 'pw-demo-utils', expected: '1.0-2', actual: '1.0-1' },
      { name: 'pw-kernel', expected: '1.1-1' },
    ]);
  });
});
