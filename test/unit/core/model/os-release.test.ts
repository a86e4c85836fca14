import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseOsRelease } from '../../../../controller/core/inventory/os-release.js';
import { parseReleaseKey } from '../../../../controller/core/model/os-release.js';

describe('release keys: what the inventory reports, the policy model accepts', () => {
  const hosts: readonly [string, string, string, 'dpkg' | 'rpm'][] = [
    ['ID=debian\nVERSION_ID="12"', 'debian-12', 'debian', 'dpkg'],
    ['ID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"', 'ubuntu-22.04', 'debian', 'dpkg'],
    ['ID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.4"', 'rocky-9', 'rhel', 'rpm'],
    ['ID="almalinux"\nVERSION_ID="10.1"', 'almalinux-10', 'rhel', 'rpm'],
    ['ID=fedora\nVERSION_ID=40', 'fedora-40', 'rhel', 'rpm'],
  ];
  for (const [osRelease, key, family, scheme] of hosts) {
    it(`${key}`, () => {
      const host = parseOsRelease(osRelease);
      assert.ok(host.ok);
      assert.equal(host.value.release, key);
      assert.deepEqual(parseReleaseKey(key), { id: key.split('-')[0], versionId: key.split('-')[1], family, scheme });
    });
  }

  it('refuses unknown OS ids and RHEL-like keys with a minor version', () => {
    assert.equal(parseReleaseKey('suse-15'), undefined);
    assert.equal(parseReleaseKey('rocky-9.4'), undefined);
    assert.equal(parseOsRelease('ID=suse\nVERSION_ID=15').ok, false);
  });
});
