import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildAdvisoryIndex } from '../../../../controller/core/advisory/build-index.js';
import { assess } from '../../../../controller/core/assess/assess.js';
import type { BaselineApprovals } from '../../../../controller/core/assess/baseline.js';
import { versionSchemeFor } from '../../../../controller/core/version/index.js';
import { UNFIXED_RANGE, fixedRange, osv } from '../advisory/records.js';
import { host, pkg } from '../../../helpers/host-inventory-builders.js';

const NOW = new Date('2026-11-21T00:00:00Z');

const { index } = buildAdvisoryIndex(
  [
    osv('DSA-5514-1', [{ package: { ecosystem: 'Debian:12', name: 'glibc' }, ranges: [fixedRange('2.36-9+deb12u3')] }], {
      upstream: ['CVE-2023-4911'],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H' }],
    }),
    osv('DEBIAN-CVE-2023-26604', [{ package: { ecosystem: 'Debian:12', name: 'systemd' }, ranges: [fixedRange('247.1-2')] }]),
    osv('DEBIAN-CVE-2024-0001', [{ package: { ecosystem: 'Debian:12', name: 'bash' }, ranges: [fixedRange('5.2.15-2+deb12u1')] }]),
    osv('UBUNTU-CVE-2099-1', [
      { package: { ecosystem: 'Ubuntu:22.04:LTS', name: 'openssh' }, ranges: [UNFIXED_RANGE] },
      { package: { ecosystem: 'Ubuntu:Pro:22.04:LTS', name: 'openssh' }, ranges: [fixedRange('1:8.9p1-3ubuntu0.99+esm1')] },
    ]),
    osv('ALSA-2022:7288', [{ package: { ecosystem: 'AlmaLinux:9', name: 'openssl-libs' }, ranges: [fixedRange('1:3.0.1-43.el9_0')] }], {
      summary: 'Important: openssl security update',
      related: ['CVE-2022-3602'],
    }),
  ],
  { schemeFor: versionSchemeFor, knownExploited: new Set(['CVE-2022-3602']) },
);

const glibcOld = [
  pkg('libc6', '2.36-9+deb12u1', 'glibc', '2.36-9+deb12u1'),
  pkg('libc-bin', '2.36-9+deb12u1', 'glibc'),
  pkg('systemd', '252.31-1~deb12u1'),
];

describe('assess', () => {
  it('matches binaries through their source name and source version', () => {
    const result = assess(
      [host('a', 'debian-12', [...glibcOld, pkg('bash', '5.2.15-2+b7', 'bash', '5.2.15-2')])],
      index,
      { approvals: [] },
      { now: NOW },
    );
    const findings = result.hosts[0]?.result?.findings ?? [];
    assert.deepEqual(
      findings.map((f) => [f.advisory, f.package, f.source, f.installedVersion, f.comparedVersion, f.fixedVersion, f.severity]),
      [
        ['DSA-5514-1', 'libc6', 'glibc', '2.36-9+deb12u1', '2.36-9+deb12u1', '2.36-9+deb12u3', 'high'],
        ['DSA-5514-1', 'libc-bin', 'glibc', '2.36-9+deb12u1', '2.36-9+deb12u1', '2.36-9+deb12u3', 'high'],
        ['DEBIAN-CVE-2024-0001', 'bash', 'bash', '5.2.15-2+b7', '5.2.15-2', '5.2.15-2+deb12u1', undefined],
      ],
    );
    assert.equal(result.hosts[0]?.state, 'missing-unapproved-fixes');
  });

  it('a fix older than anything the release shipped affects nobody (systemd 247.1-2 on bookworm)', () => {
    const result = assess([host('a', 'debian-12', [pkg('systemd', '252.31-1~deb12u1')])], index, { approvals: [] }, { now: NOW });
    assert.deepEqual(result.hosts[0]?.result?.findings, []);
    assert.equal(result.hosts[0]?.state, 'compliant');
  });

  it('reports UNFIXED entries without a fixed version and ignores Pro-only fixes unless asked', () => {
    const jammy = host('j', 'ubuntu-22.04', [pkg('openssh-server', '1:8.9p1-3ubuntu0.1', 'openssh')]);
    const standard = assess([jammy], index, { approvals: [] }, { now: NOW }).hosts[0];
    assert.deepEqual(
      standard?.result?.findings.map((f) => [f.advisory, f.unfixed, f.fixedVersion, f.stream]),
      [['UBUNTU-CVE-2099-1', true, undefined, 'standard']],
    );
    assert.equal(standard?.state, 'compliant', 'nothing to install');
    const pro = assess([jammy], index, { approvals: [] }, { now: NOW, streams: ['standard', 'pro'] }).hosts[0];
    assert.deepEqual(
      pro?.result?.findings.map((f) => [f.unfixed, f.fixedVersion, f.stream]),
      [
        [true, undefined, 'standard'],
        [false, '1:8.9p1-3ubuntu0.99+esm1', 'pro'],
      ],
    );
    assert.equal(pro?.state, 'missing-unapproved-fixes');
  });

  it('matches rpm packages by name on every arch and marks known-exploited', () => {
    const alma = host('r', 'almalinux-9', [
      pkg('openssl-libs', '1:3.0.1-41.el9_0', undefined, undefined, 'x86_64'),
      pkg('openssl-libs', '1:3.0.1-41.el9_0', undefined, undefined, 'i686'),
      pkg('openssl', '1:3.0.1-41.el9_0'),
    ]);
    const findings = assess([alma], index, { approvals: [] }, { now: NOW }).hosts[0]?.result?.findings ?? [];
    assert.deepEqual(
      findings.map((f) => [f.package, f.arch, f.fixedVersion, f.severity, f.knownExploited]),
      [
        ['openssl-libs', 'x86_64', '1:3.0.1-43.el9_0', 'high', true],
        ['openssl-libs', 'i686', '1:3.0.1-43.el9_0', 'high', true],
      ],
    );
  });

  describe('compliance state precedence', () => {
    const approveGlibc = (minVersion: string): BaselineApprovals => ({
      approvals: [{ advisory: 'CVE-2023-4911', packages: [{ release: 'debian-12', name: 'glibc', minVersion }] }],
    });
    const cases: [string, BaselineApprovals, boolean, string][] = [
      ['approved fix missing wins over reboot', approveGlibc('2.36-9+deb12u3'), true, 'missing-approved-fixes'],
      ['approval satisfied by the installed version, reboot pending', approveGlibc('2.36-9+deb12u1'), true, 'pending-reboot'],
      ['unapproved fix, no reboot', { approvals: [] }, false, 'missing-unapproved-fixes'],
      ['unapproved fix, reboot pending', { approvals: [] }, true, 'pending-reboot'],
      ['held package', { approvals: [], holds: [{ package: 'libc*', reason: 'vendor app pins glibc' }] }, false, 'compliant'],
      [
        'hold expired the day before',
        { approvals: [], holds: [{ package: 'glibc', until: '2026-11-20', reason: 'x' }] },
        false,
        'missing-unapproved-fixes',
      ],
      [
        'hold lasting through today',
        { approvals: [], holds: [{ package: 'glibc', until: '2026-11-21', reason: 'x' }] },
        false,
        'compliant',
      ],
      [
        'hold for another release',
        { approvals: [], holds: [{ package: 'glibc', releases: ['debian-11'], reason: 'x' }] },
        false,
        'missing-unapproved-fixes',
      ],
      [
        'hold for other hosts',
        { approvals: [], holds: [{ package: 'glibc', hosts: { matchLabels: { ring: 'canary' } }, reason: 'x' }] },
        false,
        'missing-unapproved-fixes',
      ],
      [
        'hold for this host',
        { approvals: [], holds: [{ package: 'glibc', hosts: { matchLabels: { ring: 'prod' } }, reason: 'x' }] },
        false,
        'compliant',
      ],
    ];
    for (const [name, baseline, reboot, expected] of cases) {
      it(name, () => {
        const inventory = host('h', 'debian-12', glibcOld, {
          labels: { ring: 'prod' },
          reboot: { required: reboot, reasons: reboot ? ['reboot-required file'] : [] },
        });
        assert.equal(assess([inventory], index, baseline, { now: NOW }).hosts[0]?.state, expected);
      });
    }

    it('unreachable hosts, hosts without packages and releases without advisories are unknown', () => {
      const result = assess(
        [
          {
            apiVersion: 'patchward.io/v1alpha1',
            kind: 'HostInventory',
            host: 'down',
            collectedAt: '2026-11-21T00:00:00Z',
            status: 'timeout',
            reason: 'ssh timeout',
          },
          { ...host('empty', 'debian-12', []), packages: undefined },
          host('rocky', 'rocky-9', [pkg('bash', '5.1.8-6.el9_1')]),
        ],
        index,
        { approvals: [] },
        { now: NOW },
      );
      assert.deepEqual(
        result.hosts.map((h) => [h.state, h.reason]),
        [
          ['unknown', 'host timeout: ssh timeout'],
          ['unknown', 'inventory has no OS release or package list'],
          ['unknown', 'no advisory data for release rocky-9'],
        ],
      );
      assert.equal(result.summary.byState.unknown, 3);
    });
  });

  it('approval by alias carries the approval minVersion', () => {
    const finding = assess(
      [host('h', 'debian-12', glibcOld)],
      index,
      { approvals: [{ advisory: 'DSA-5514-1', packages: [{ release: 'debian-12', name: 'glibc', minVersion: '2.36-9+deb12u3' }] }] },
      { now: NOW },
    ).hosts[0]?.result?.findings[0];
    assert.deepEqual([finding?.approved, finding?.approvedMinVersion, finding?.approvedMissing], [true, '2.36-9+deb12u3', true]);
  });

  it('reports installed versions that break the grammar instead of comparing them', () => {
    const result = assess([host('h', 'debian-12', [pkg('libc6', '2.36 -9; reboot', 'glibc')])], index, { approvals: [] }, { now: NOW });
    assert.deepEqual(result.hosts[0]?.result?.problems, [{ package: 'libc6', version: '2.36 -9; reboot', reason: 'invalid-version' }]);
    assert.deepEqual(result.hosts[0]?.result?.findings, []);
    assert.equal(result.hosts[0]?.state, 'unknown', 'a host whose versions cannot be compared is never compliant');
    assert.match(result.hosts[0]?.reason ?? '', /libc6 2\.36 -9; reboot is not a valid version/);
  });

  it('assesses identical package sets once, whether the list is shared or a copy', () => {
    const shared = [...glibcOld];
    const copy = glibcOld.map((p) => ({ ...p }));
    const other = [...glibcOld.slice(0, 2), pkg('systemd', '252.30-1~deb12u1')];
    const fleet = [
      host('a', 'debian-12', shared),
      host('b', 'debian-12', shared),
      host('c', 'debian-12', copy),
      host('d', 'debian-12', other),
    ];
    const result = assess(fleet, index, { approvals: [] }, { now: NOW });
    assert.equal(result.summary.distinctPackageSets, 2);
    assert.equal(result.hosts[0]?.result, result.hosts[2]?.result);
    assert.notEqual(result.hosts[0]?.result, result.hosts[3]?.result);
    assert.equal(result.summary.topAdvisories[0]?.hosts, 4);
  });
});
