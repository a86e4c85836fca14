import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectCandidates } from '../../../../controller/core/proposals/select-candidates.js';
import { HOSTS, policySpec, selectInput } from './fixtures.js';

const ids = (spec: Parameters<typeof policySpec>[0], baseline?: Parameters<typeof selectInput>[1]) =>
  selectCandidates(selectInput(policySpec(spec), baseline)).map((candidate) => candidate.advisory);

describe('selectCandidates: severity', () => {
  // DSA-1000-1 high, DSA-1001-1 low, DEBIAN-CVE-2026-1002 unrated, DSA-1003-1 low + known exploited, ALSA critical.
  const table: { spec: Parameters<typeof policySpec>[0]; want: string[] }[] = [
    { spec: {}, want: ['ALSA-2026:1004', 'DEBIAN-CVE-2026-1002', 'DSA-1000-1', 'DSA-1003-1'] },
    { spec: { minSeverity: 'low' }, want: ['ALSA-2026:1004', 'DEBIAN-CVE-2026-1002', 'DSA-1000-1', 'DSA-1001-1', 'DSA-1003-1'] },
    { spec: { minSeverity: 'medium' }, want: ['ALSA-2026:1004', 'DEBIAN-CVE-2026-1002', 'DSA-1000-1', 'DSA-1003-1'] },
    // Unrated counts as medium: not proposed under a high policy.
    { spec: { minSeverity: 'high' }, want: ['ALSA-2026:1004', 'DSA-1000-1', 'DSA-1003-1'] },
    { spec: { minSeverity: 'critical' }, want: ['ALSA-2026:1004', 'DSA-1003-1'] },
    { spec: { minSeverity: 'critical', knownExploited: 'as-critical' }, want: ['ALSA-2026:1004', 'DSA-1003-1'] },
    { spec: { minSeverity: 'critical', knownExploited: 'by-severity' }, want: ['ALSA-2026:1004'] },
    { spec: { minSeverity: 'high', knownExploited: 'by-severity' }, want: ['ALSA-2026:1004', 'DSA-1000-1'] },
  ];
  for (const row of table)
    it(`${JSON.stringify(row.spec)} → ${row.want.join(', ')}`, () => {
      assert.deepEqual(ids(row.spec), row.want);
    });

  it('as-critical makes a known-exploited low advisory critical and urgent', () => {
    const spec = policySpec({ knownExploited: 'as-critical', urgentLane: { enabled: true, knownExploited: false } });
    const sudo = selectCandidates(selectInput(spec)).find((candidate) => candidate.advisory === 'DSA-1003-1');
    assert.equal(sudo?.severity, 'low');
    assert.equal(sudo?.effectiveSeverity, 'critical');
    assert.equal(sudo?.urgent, true);
    const always = selectCandidates(selectInput(policySpec({ urgentLane: { enabled: true, knownExploited: false } }))).find(
      (candidate) => candidate.advisory === 'DSA-1003-1',
    );
    assert.equal(always?.effectiveSeverity, 'low');
    assert.equal(always?.urgent, false);
  });
});

describe('selectCandidates: scope', () => {
  it('only hosts the selector governs; the fix is the highest needed version with every installed version listed', () => {
    const all = selectCandidates(selectInput(policySpec({ selector: { matchLabels: { role: 'web' } } })));
    assert.deepEqual(
      all.map((candidate) => candidate.advisory),
      ['DEBIAN-CVE-2026-1002', 'DSA-1000-1', 'DSA-1003-1'],
    );
    const dsa = all.find((candidate) => candidate.advisory === 'DSA-1000-1');
    assert.deepEqual(dsa?.fixes, [
      {
        release: 'debian-12',
        package: 'glibc',
        minVersion: '2.36-9+deb12u3',
        installed: ['2.36-9+deb12u1', '2.36-9+deb12u2'],
        binaries: ['libc6'],
      },
    ]);
    assert.deepEqual(dsa?.hosts, [
      { host: 'web-1', release: 'debian-12', ring: 'canary' },
      { host: 'web-2', release: 'debian-12', ring: 'broad' },
    ]);
    assert.deepEqual(dsa?.cves, ['CVE-2026-1000']);
  });

  it('releases, exclusions (by advisory, CVE, package glob; until) and holds (host selector, until)', () => {
    assert.deepEqual(ids({ releases: ['almalinux-9'] }), ['ALSA-2026:1004']);
    assert.deepEqual(ids({ exclusions: [{ advisory: 'CVE-2026-1000', reason: 'r' }] }), [
      'ALSA-2026:1004',
      'DEBIAN-CVE-2026-1002',
      'DSA-1003-1',
    ]);
    assert.deepEqual(ids({ exclusions: [{ package: 'openssh*', reason: 'r' }] }), ['DEBIAN-CVE-2026-1002', 'DSA-1000-1', 'DSA-1003-1']);
    // An exclusion that ended yesterday no longer applies; one ending today (a date = whole UTC day) does.
    assert.deepEqual(ids({ exclusions: [{ package: 'bash', reason: 'r', until: '2026-12-01' }] }), ids({}));
    assert.deepEqual(ids({ exclusions: [{ package: 'bash', reason: 'r', until: '2026-12-02' }] }), [
      'ALSA-2026:1004',
      'DSA-1000-1',
      'DSA-1003-1',
    ]);
    // A hold on libc6 for canary hosts leaves web-2 (broad) in the glibc proposal.
    const held = selectCandidates(
      selectInput(policySpec({ holds: [{ package: 'libc6', hosts: { matchLabels: { ring: 'canary' } }, reason: 'r' }] })),
    ).find((candidate) => candidate.advisory === 'DSA-1000-1');
    assert.deepEqual(
      held?.hosts.map((h) => h.host),
      ['web-2'],
    );
    assert.deepEqual(held?.fixes[0]?.installed, ['2.36-9+deb12u2']);
    assert.deepEqual(ids({ holds: [{ package: 'glibc', reason: 'r', until: '2026-01-01T00:00:00Z' }] }), ids({}));
  });

  it('approved at the fixed version: not proposed; approved lower: proposed, raising the approval', () => {
    const approved = {
      approvals: [{ advisory: 'DSA-1000-1', packages: [{ release: 'debian-12', name: 'glibc', minVersion: '2.36-9+deb12u3' }] }],
    };
    assert.deepEqual(ids({}, approved), ['ALSA-2026:1004', 'DEBIAN-CVE-2026-1002', 'DSA-1003-1']);
    const lower = {
      approvals: [{ advisory: 'DSA-1000-1', packages: [{ release: 'debian-12', name: 'glibc', minVersion: '2.36-9+deb12u2' }] }],
    };
    const raised = selectCandidates(selectInput(policySpec(), lower)).find((candidate) => candidate.advisory === 'DSA-1000-1');
    assert.equal(raised?.raisesApproval, true);
    assert.equal(raised?.fixes[0]?.minVersion, '2.36-9+deb12u3');
    // web-2 (2.36-9+deb12u2) meets the old approval but still needs the newer fix.
    assert.deepEqual(
      raised?.hosts.map((h) => h.host),
      ['web-1', 'web-2'],
    );
  });

  it('a host that is not governed or not assessed adds nothing', () => {
    const hosts = [{ ...HOSTS[0], status: 'unreachable', reason: 'down' } as never, HOSTS[2] as never];
    const candidates = selectCandidates(selectInput(policySpec(), { approvals: [] }, hosts));
    assert.deepEqual(
      candidates.map((candidate) => candidate.advisory),
      ['ALSA-2026:1004'],
    );
  });
});
