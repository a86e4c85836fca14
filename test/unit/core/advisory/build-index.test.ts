import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { affectedInterval } from '../../../../controller/core/advisory/advisory-index.js';
import { buildAdvisoryIndex } from '../../../../controller/core/advisory/build-index.js';
import { dpkgVersionScheme, rpmVersionScheme, versionSchemeFor } from '../../../../controller/core/version/index.js';
import { UNFIXED_RANGE, fixedRange, osv } from './records.js';

const build = (records: Parameters<typeof buildAdvisoryIndex>[0], knownExploited?: ReadonlySet<string>) =>
  buildAdvisoryIndex(records, { schemeFor: versionSchemeFor, ...(knownExploited === undefined ? {} : { knownExploited }) });

describe('buildAdvisoryIndex', () => {
  it('indexes by release key and package name; Pro entries keep their stream', () => {
    const { index } = build([
      osv(
        'UBUNTU-CVE-2024-6119',
        [
          { package: { ecosystem: 'Ubuntu:22.04:LTS', name: 'openssl' }, ranges: [fixedRange('3.0.2-0ubuntu1.18')] },
          { package: { ecosystem: 'Ubuntu:Pro:FIPS-updates:22.04:LTS', name: 'openssl' }, ranges: [fixedRange('3.0.2-0ubuntu1.18+Fips1')] },
        ],
        { upstream: ['CVE-2024-6119'] },
      ),
    ]);
    const entries = index.lookup('ubuntu-22.04', 'openssl');
    assert.deepEqual(
      entries.map((entry) => [entry.stream, entry.fixed]),
      [
        ['standard', '3.0.2-0ubuntu1.18'],
        ['fips-updates', '3.0.2-0ubuntu1.18+Fips1'],
      ],
    );
    assert.deepEqual(index.lookup('ubuntu-22.04', 'glibc'), []);
    assert.deepEqual(index.advisory('UBUNTU-CVE-2024-6119')?.cves, ['CVE-2024-6119']);
  });

  it('keeps the newest modified copy of an id and drops withdrawn ids', () => {
    const old = osv('DSA-1', [{ package: { ecosystem: 'Debian:12', name: 'curl' }, ranges: [fixedRange('7.88.1-10+deb12u1')] }], {
      modified: '2024-01-01T00:00:00Z',
    });
    const newer = osv('DSA-1', [{ package: { ecosystem: 'Debian:12', name: 'curl' }, ranges: [fixedRange('7.88.1-10+deb12u5')] }], {
      modified: '2024-06-01T00:00:00.5Z',
    });
    const gone = osv('DSA-2', [{ package: { ecosystem: 'Debian:12', name: 'curl' }, ranges: [fixedRange('7.88.1-10+deb12u9')] }], {
      withdrawn: '2024-07-01T00:00:00Z',
    });
    const { index, problems } = build([newer, old, gone]);
    assert.deepEqual(
      index.lookup('debian-12', 'curl').map((entry) => [entry.advisory.id, entry.fixed]),
      [['DSA-1', '7.88.1-10+deb12u5']],
    );
    assert.equal(index.stats.superseded, 1);
    assert.equal(index.stats.withdrawn, 1);
    assert.ok(problems.some((problem) => problem.advisory === 'DSA-2' && problem.reason === 'withdrawn'));
  });

  it('rejects entries whose name or versions break the grammar, and only those', () => {
    const { index, problems } = build([
      osv('X-1', [
        { package: { ecosystem: 'Debian:12', name: 'Bad Name;rm' }, ranges: [fixedRange('1.0-1')] },
        { package: { ecosystem: 'Debian:12', name: 'openssh' }, ranges: [fixedRange('1:9.2p1 -2')] },
        { package: { ecosystem: 'Debian:12', name: 'sudo' }, ranges: [fixedRange('1.9.13p3-1+deb12u1')] },
        { package: { ecosystem: 'Debian:12', name: 'nginx' }, ranges: [], versions: ['1.22.1-9', '$(reboot)'] },
        { package: { ecosystem: 'AlmaLinux:9', name: 'openssl-libs' }, ranges: [fixedRange('1:3.0.1-43.el9_0')] },
        { package: { ecosystem: 'Alpine:v3.19', name: 'musl' }, ranges: [fixedRange('1.2.4-r1')] },
      ]),
    ]);
    assert.deepEqual(
      problems.map((problem) => [problem.reason, problem.package, problem.version]),
      [
        ['invalid-package-name', 'Bad Name;rm', undefined],
        ['invalid-version', 'openssh', '1:9.2p1 -2'],
        ['invalid-version', 'nginx', '$(reboot)'],
        ['unsupported-ecosystem', 'musl', undefined],
      ],
    );
    assert.equal(index.lookup('debian-12', 'openssh').length, 0);
    assert.equal(index.lookup('debian-12', 'sudo').length, 1);
    assert.deepEqual([...(index.lookup('debian-12', 'nginx')[0]?.versions ?? [])], ['1.22.1-9']);
    assert.equal(index.lookup('almalinux-9', 'openssl-libs').length, 1);
    assert.equal(index.stats.rejectedEntries, 2);
  });

  it('evaluates several ranges, several intervals, last_affected and unfixed ranges', () => {
    const { index } = build([
      osv('R-1', [
        {
          package: { ecosystem: 'Debian:12', name: 'pkg' },
          ranges: [
            { type: 'ECOSYSTEM', events: [{ fixed: '1.5-1' }, { introduced: '1.0-1' }, { introduced: '2.0-1' }, { fixed: '2.3-1' }] },
            { type: 'ECOSYSTEM', events: [{ introduced: '3.0-1' }, { last_affected: '3.2-1' }] },
            { type: 'ECOSYSTEM', events: [{ introduced: '5.0-1' }] },
            { type: 'GIT', events: [{ introduced: 'abc' }] },
          ],
        },
      ]),
    ]);
    const [entry] = index.lookup('debian-12', 'pkg');
    assert.ok(entry !== undefined);
    assert.equal(entry.fixed, '1.5-1');
    const hit = (version: string) => {
      const interval = affectedInterval(entry, version, dpkgVersionScheme);
      return interval === undefined
        ? 'not affected'
        : interval === 'listed'
          ? 'listed'
          : (interval.fixed ?? (interval.lastAffected === undefined ? 'unfixed' : 'no fix after ' + interval.lastAffected));
    };
    assert.deepEqual(['0.9-1', '1.0-1', '1.4-9', '1.5-1', '2.2-1', '2.3-1', '3.1-1', '3.2-1', '3.3-1', '5.0-1', '9.9-1'].map(hit), [
      'not affected',
      '1.5-1',
      '1.5-1',
      'not affected',
      '2.3-1',
      'not affected',
      'no fix after 3.2-1',
      'no fix after 3.2-1',
      'not affected',
      'unfixed',
      'unfixed',
    ]);
  });

  it('orders rpm events with the rpm scheme, arch-less', () => {
    const { index } = build([
      osv('ALSA-2022:7288', [{ package: { ecosystem: 'AlmaLinux:9', name: 'openssl-libs' }, ranges: [fixedRange('1:3.0.1-43.el9_0')] }]),
    ]);
    const [entry] = index.lookup('almalinux-9', 'openssl-libs');
    assert.ok(entry !== undefined);
    assert.notEqual(affectedInterval(entry, '1:3.0.1-41.el9_0', rpmVersionScheme), undefined);
    assert.equal(affectedInterval(entry, '1:3.0.1-43.el9_0', rpmVersionScheme), undefined);
    assert.equal(affectedInterval(entry, '3.5.0-1.el9', rpmVersionScheme) !== undefined, true, 'epoch 0 < epoch 1');
  });

  it('rates by distribution word first, then CVSS, then an alias or a shared CVE', () => {
    const { index } = build(
      [
        osv('UBUNTU-CVE-2024-6119', [{ package: { ecosystem: 'Ubuntu:22.04:LTS', name: 'openssl' }, ranges: [UNFIXED_RANGE] }], {
          upstream: ['CVE-2024-6119'],
          severity: [
            { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' },
            { type: 'Ubuntu', score: 'medium' },
          ],
        }),
        osv(
          'DEBIAN-CVE-2023-4911',
          [
            {
              package: { ecosystem: 'Debian:12', name: 'glibc' },
              ranges: [fixedRange('2.36-9+deb12u3')],
              ecosystem_specific: { urgency: 'not yet assigned' },
            },
          ],
          {
            upstream: ['CVE-2023-4911'],
            severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H' }],
          },
        ),
        osv('DSA-5514-1', [{ package: { ecosystem: 'Debian:12', name: 'glibc' }, ranges: [fixedRange('2.36-9+deb12u3')] }], {
          upstream: ['CVE-2023-4911', 'DEBIAN-CVE-2023-4911'],
        }),
        osv('USN-6409-1', [{ package: { ecosystem: 'Ubuntu:22.04:LTS', name: 'glibc' }, ranges: [fixedRange('2.35-0ubuntu3.4')] }], {
          upstream: ['UBUNTU-CVE-2023-4527', 'UBUNTU-CVE-2023-4911'],
        }),
        osv('ALSA-2024:1', [{ package: { ecosystem: 'AlmaLinux:9', name: 'x' }, ranges: [fixedRange('1-1.el9')] }], {
          summary: 'Important: x security update',
          related: ['CVE-2024-1'],
        }),
        osv(
          'U-2',
          [
            {
              package: { ecosystem: 'Ubuntu:24.04:LTS', name: 'why' },
              ranges: [UNFIXED_RANGE],
              ecosystem_specific: { ubuntu_priority: 'negligible' },
            },
          ],
          { upstream: ['CVE-2099-1'] },
        ),
      ],
      new Set(['CVE-2023-4911']),
    );
    const rating = (id: string) => index.advisory(id)?.severity;
    assert.deepEqual(rating('UBUNTU-CVE-2024-6119'), {
      level: 'medium',
      source: 'ubuntu-priority',
      score: 7.5,
      vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
    });
    assert.equal(rating('DEBIAN-CVE-2023-4911')?.level, 'high');
    assert.deepEqual([rating('DSA-5514-1')?.level, rating('DSA-5514-1')?.source, rating('DSA-5514-1')?.score], ['high', 'alias', 7.8]);
    assert.deepEqual([rating('USN-6409-1')?.level, rating('USN-6409-1')?.source], ['high', 'alias']);
    assert.deepEqual(index.advisory('USN-6409-1')?.cves, ['CVE-2023-4527', 'CVE-2023-4911']);
    assert.equal(rating('ALSA-2024:1')?.level, 'high');
    assert.equal(index.lookup('ubuntu-24.04', 'why')[0]?.severity.level, 'none');
    assert.equal(index.advisory('DSA-5514-1')?.knownExploited, true);
    assert.equal(index.advisory('USN-6409-1')?.knownExploited, true);
    assert.equal(index.advisory('UBUNTU-CVE-2024-6119')?.knownExploited, false);
  });
});
