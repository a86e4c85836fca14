/**
 * Hand-checked results on real data: the fixture inventories (see test/fixtures/inventories/README.md)
 * against every advisory fixture. Each expectation below was worked out by reading the records.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import type { AdvisoryIndex } from '../../../../controller/core/advisory/advisory-index.js';
import { assess } from '../../../../controller/core/assess/assess.js';
import type { FleetAssessment, MissingFix } from '../../../../controller/core/assess/assessment.js';
import type { HostInventoryList } from '../../../../controller/core/inventory/host-inventory.js';
import { FIXTURES, loadBundledAdvisories } from '../../../helpers/bundled-advisories.js';

describe('hand-checked assessments of the fixture hosts', () => {
  let index: AdvisoryIndex;
  let result: FleetAssessment;
  const findings = (host: string): readonly MissingFix[] => result.hosts.find((h) => h.host === host)?.result?.findings ?? [];

  before(async () => {
    const loaded = await loadBundledAdvisories();
    index = loaded.index;
    const fleet = JSON.parse(await readFile(`${FIXTURES}inventories/fleet.json`, 'utf8')) as HostInventoryList;
    result = assess(fleet.items, index, { approvals: [] }, { now: new Date('2026-11-21T00:00:00Z') });
  });

  it('loads every record: 3,427 AlmaLinux + 4,601 derived + 8 Ubuntu + 9 Debian, none rejected', () => {
    assert.equal(index.stats.records, 8045);
    assert.equal(index.stats.superseded, 24, '21 AlmaLinux ids in two release folders + 3 derived duplicates');
    assert.equal(index.stats.rejectedEntries, 0);
  });

  it('jammy: libc6 2.35-0ubuntu3.1 → USN-6409-1 (glibc 2.35-0ubuntu3.4); libssl3 3.0.2-0ubuntu1.6 → UBUNTU-CVE-2024-6119 (openssl 3.0.2-0ubuntu1.18)', () => {
    const rows = findings('jammy-oci').map((f) => [f.package, f.source, f.installedVersion, f.advisory, f.fixedVersion]);
    assert.deepEqual(rows, [
      ['libc-bin', 'glibc', '2.35-0ubuntu3.1', 'USN-6409-1', '2.35-0ubuntu3.4'],
      ['libc6', 'glibc', '2.35-0ubuntu3.1', 'USN-6409-1', '2.35-0ubuntu3.4'],
      ['libssl3', 'openssl', '3.0.2-0ubuntu1.6', 'UBUNTU-CVE-2024-6119', '3.0.2-0ubuntu1.18'],
    ]);
    const usn = findings('jammy-oci')[1];
    // USN-6409-1 names CVE-2023-4911 through UBUNTU-CVE-2023-4911; the KEV sample lists it.
    assert.deepEqual([usn?.cves, usn?.knownExploited], [['CVE-2023-4527', 'CVE-2023-4911'], true]);
    // UBUNTU-CVE-2024-6119: Ubuntu priority medium wins over its CVSS 7.5.
    assert.deepEqual([findings('jammy-oci')[2]?.severity, findings('jammy-oci')[2]?.score], ['medium', 7.5]);
    assert.equal(result.hosts.find((h) => h.host === 'jammy-oci-2')?.state, 'pending-reboot');
  });

  it('bookworm docker image: glibc 2.36-9+deb12u9 is past DSA-5514-1/DEBIAN-CVE-2023-4911 (deb12u3) and DEBIAN-CVE-2024-2961 (deb12u6)', () => {
    const glibc = findings('bookworm-docker').filter((f) => f.source === 'glibc' && f.package === 'libc6');
    assert.ok(!glibc.some((f) => ['DSA-5514-1', 'DEBIAN-CVE-2023-4911', 'DEBIAN-CVE-2024-2961'].includes(f.advisory)));
    // Changelog-derived glibc entries above deb12u9: deb12u10, deb12u11, deb12u14 (3 entry records) and 8 per-CVE records.
    assert.deepEqual([...new Set(glibc.map((f) => f.fixedVersion))].sort(), ['2.36-9+deb12u10', '2.36-9+deb12u11', '2.36-9+deb12u14']);
    assert.equal(glibc.length, 11);
    // systemd 252.31-1~deb12u1: DEBIAN-CVE-2023-26604 (fixed 247.1-2) does not apply; derived 252.38/252.39 do.
    const systemd = findings('bookworm-docker').filter((f) => f.package === 'libsystemd0');
    assert.ok(!systemd.some((f) => f.advisory === 'DEBIAN-CVE-2023-26604'));
    assert.ok(systemd.some((f) => f.advisory === 'x_PWD-DEB-systemd-252.38-1_deb12u1' && f.fixedVersion === '252.38-1~deb12u1'));
    // bsdutils has its own epoch (1:2.38.1-5+deb12u2); it is compared by its source version 2.38.1-5+deb12u2.
    const bsdutils = findings('bookworm-docker').find((f) => f.package === 'bsdutils');
    assert.deepEqual(
      [bsdutils?.source, bsdutils?.comparedVersion, bsdutils?.fixedVersion],
      ['util-linux', '2.38.1-5+deb12u2', '2.38.1-5+deb12u3'],
    );
  });

  it('AlmaLinux 9: openssl-libs 1:3.0.1-41.el9_0 misses 11 of the 12 openssl advisories (ALSA-2022:6224 fixed exactly that build)', () => {
    const openssl = findings('alma9-cloud').filter((f) => f.package === 'openssl-libs');
    assert.deepEqual(openssl.map((f) => f.advisory).sort(), [
      'ALSA-2022:7288',
      'ALSA-2023:2523',
      'ALSA-2023:3722',
      'ALSA-2024:2447',
      'ALSA-2024:6783',
      'ALSA-2025:1330',
      'ALSA-2025:21255',
      'ALSA-2026:1473',
      'ALSA-2026:19218',
      'ALSA-2026:22312',
      'ALSA-2026:25239',
    ]);
    const first = openssl.find((f) => f.advisory === 'ALSA-2022:7288');
    assert.deepEqual([first?.fixedVersion, first?.severity, first?.cves], ['1:3.0.1-43.el9_0', 'high', ['CVE-2022-3602', 'CVE-2022-3786']]);
    assert.equal(openssl.find((f) => f.advisory === 'ALSA-2023:2523')?.severity, 'low');
    // openssh CVE-2024-6387 (ALSA-2024:4312) is in the KEV sample.
    assert.ok(findings('alma9-cloud').some((f) => f.advisory === 'ALSA-2024:4312' && f.knownExploited));
  });

  it('the unreachable host is unknown and the summary counts identical hosts once', () => {
    assert.equal(result.hosts.find((h) => h.host === 'db-7')?.state, 'unknown');
    assert.equal(result.summary.distinctPackageSets, 3);
    assert.equal(result.summary.topAdvisories[0]?.advisory, 'USN-6409-1');
    assert.equal(result.summary.topAdvisories[0]?.hosts, 2);
  });
});
