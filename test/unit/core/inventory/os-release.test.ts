import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareKernelReleases, newestKernelRelease } from '../../../../controller/core/inventory/kernel-release.js';
import { parseOsRelease } from '../../../../controller/core/inventory/os-release.js';

describe('parseOsRelease', () => {
  const cases: readonly [string, string, string | undefined][] = [
    ['debian 12', 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n', 'debian-12'],
    ['ubuntu', 'ID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\nVERSION_CODENAME=jammy', 'ubuntu-22.04'],
    ['rocky cut to major', 'ID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.4"', 'rocky-9'],
    ['almalinux', "ID='almalinux'\nID_LIKE='rhel centos fedora'\nVERSION_ID='9.3'", 'almalinux-9'],
    ['unknown id, rhel-like', 'ID=myrhel\nID_LIKE="rhel"\nVERSION_ID=8.10', 'myrhel-8'],
    ['comments and junk', '# c\n\nnot a line\nID=debian\nVERSION_ID=11', 'debian-11'],
    ['sid has no VERSION_ID', 'ID=debian\nVERSION_CODENAME=trixie', undefined],
    ['unsupported', 'ID=alpine\nVERSION_ID=3.19', undefined],
  ];
  for (const [name, text, release] of cases) {
    it(name, () => {
      const parsed = parseOsRelease(text);
      assert.equal(parsed.ok ? parsed.value.release : undefined, release);
    });
  }

  it('fills family, pretty name and codename', () => {
    const parsed = parseOsRelease('PRETTY_NAME="Ubuntu 24.04 LTS"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\nVERSION_CODENAME=noble');
    assert.deepEqual(parsed, {
      ok: true,
      value: {
        id: 'ubuntu',
        versionId: '24.04',
        family: 'debian',
        release: 'ubuntu-24.04',
        prettyName: 'Ubuntu 24.04 LTS',
        codename: 'noble',
      },
    });
  });
});

describe('compareKernelReleases', () => {
  const ordered = [
    '5.14.0-362.8.1.el9_3.x86_64',
    '5.14.0-427.13.1.el9_4.x86_64',
    '6.1.0-9-amd64',
    '6.1.0-18-amd64',
    '6.1.0-18-amd64-rt',
    '6.10.0-1-amd64',
  ];
  it('orders numerically by segment', () => {
    for (let i = 0; i + 1 < ordered.length; i++)
      assert.equal(compareKernelReleases(ordered[i] ?? '', ordered[i + 1] ?? ''), -1, `${ordered[i]} < ${ordered[i + 1]}`);
    assert.equal(compareKernelReleases('6.1.0-18-amd64', '6.1.0-18-amd64'), 0);
    assert.equal(newestKernelRelease([...ordered].reverse()), '6.10.0-1-amd64');
    assert.equal(newestKernelRelease([]), undefined);
  });
});
