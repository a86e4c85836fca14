import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { familyOfOsId, osIdsOfFamily } from '../../../../controller/core/inventory/os-release.js';
import { factsArgv } from '../../../../controller/edges/packages/facts-script.js';

/** The facts script's own os-release test, run by the real grep against os-release lines. */
function scriptPicksDnf(osReleaseLine: string): boolean {
  const script = factsArgv({ pendingUpgrades: false, refresh: false })[2] ?? '';
  const match = /grep -Eq '([^']+)' \/etc\/os-release/.exec(script);
  assert.ok(match, 'the facts script tests /etc/os-release with grep -E');
  return spawnSync('grep', ['-Eq', match[1] as string], { input: `${osReleaseLine}\n` }).status === 0;
}

describe('the OS family table is the one the facts script uses', () => {
  const all = [...osIdsOfFamily('rhel'), ...osIdsOfFamily('debian')];

  it('every known os-release ID, as ID= and quoted in ID_LIKE=, goes to the package manager of its family', () => {
    assert.ok(osIdsOfFamily('rhel').includes('ol') && osIdsOfFamily('debian').includes('ubuntu'));
    for (const id of all) {
      const rhel = familyOfOsId(id) === 'rhel';
      assert.equal(scriptPicksDnf(`ID=${id}`), rhel, `ID=${id}`);
      assert.equal(scriptPicksDnf(`ID_LIKE="other ${id}"`), rhel, `ID_LIKE="other ${id}"`);
    }
  });

  it('matches whole words only (no dnf for an ID that merely contains a RHEL name)', () => {
    for (const line of ['ID=solus', 'ID=rockylinux', 'ID_LIKE="suse opensuse"', 'NAME="rocky"'])
      assert.equal(scriptPicksDnf(line), false, line);
  });
});
