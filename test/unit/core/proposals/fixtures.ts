/** Inline advisories, hosts and a policy for the proposal core tests. */
import { buildAdvisoryIndex } from '../../../../controller/core/advisory/build-index.js';
import type { OsvRecord } from '../../../../controller/core/advisory/osv-record.js';
import { assess } from '../../../../controller/core/assess/assess.js';
import type { BaselineApprovals } from '../../../../controller/core/assess/baseline.js';
import type { HostInventory } from '../../../../controller/core/inventory/host-inventory.js';
import type { PatchPolicySpec } from '../../../../controller/core/model/index.js';
import type { SelectInput } from '../../../../controller/core/proposals/select-candidates.js';
import { versionSchemeFor } from '../../../../controller/core/version/index.js';
import { host, pkg } from '../../../helpers/host-inventory-builders.js';
import { fixedRange, osv } from '../advisory/records.js';

export const NOW = new Date('2026-12-02T12:00:00Z');

const CRITICAL = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }];
const HIGH = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H' }];
const LOW = [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N' }];

export const RECORDS: OsvRecord[] = [
  osv('DSA-1000-1', [{ package: { ecosystem: 'Debian:12', name: 'glibc' }, ranges: [fixedRange('2.36-9+deb12u3')] }], {
    upstream: ['CVE-2026-1000'],
    severity: HIGH,
    published: '2026-11-30T10:00:00Z',
  }),
  osv('DSA-1001-1', [{ package: { ecosystem: 'Debian:12', name: 'curl' }, ranges: [fixedRange('7.88.1-10+deb12u8')] }], {
    upstream: ['CVE-2026-1001'],
    severity: LOW,
    published: '2026-12-01T23:59:59Z',
  }),
  // Unrated: no CVSS, no distribution rating.
  osv('DEBIAN-CVE-2026-1002', [{ package: { ecosystem: 'Debian:12', name: 'bash' }, ranges: [fixedRange('5.2.15-2+deb12u1')] }], {
    published: '2026-12-02T00:00:00Z',
  }),
  // Low, but known exploited (CVE in the catalogue).
  osv('DSA-1003-1', [{ package: { ecosystem: 'Debian:12', name: 'sudo' }, ranges: [fixedRange('1.9.13p3-1+deb12u2')] }], {
    upstream: ['CVE-2026-1003'],
    severity: LOW,
    published: '2026-12-02T08:00:00Z',
  }),
  osv(
    'ALSA-2026:1004',
    [
      { package: { ecosystem: 'AlmaLinux:9', name: 'openssh' }, ranges: [fixedRange('8.7p1-38.el9_4.4')] },
      { package: { ecosystem: 'AlmaLinux:9', name: 'openssh-server' }, ranges: [fixedRange('8.7p1-38.el9_4.4')] },
    ],
    { related: ['CVE-2026-1004'], severity: CRITICAL, published: '2026-11-16T00:00:00Z' },
  ),
];

export function indexOf(records: readonly OsvRecord[] = RECORDS) {
  return buildAdvisoryIndex([...records], { schemeFor: versionSchemeFor, knownExploited: new Set(['CVE-2026-1003']) }).index;
}

export const HOSTS: HostInventory[] = [
  host(
    'web-1',
    'debian-12',
    [
      pkg('libc6', '2.36-9+deb12u1', 'glibc', '2.36-9+deb12u1'),
      pkg('curl', '7.88.1-10+deb12u5'),
      pkg('bash', '5.2.15-2+b2', 'bash', '5.2.15-2'),
      pkg('sudo', '1.9.13p3-1+deb12u1'),
    ],
    { labels: { ring: 'canary', role: 'web' } },
  ),
  host('web-2', 'debian-12', [pkg('libc6', '2.36-9+deb12u2', 'glibc', '2.36-9+deb12u2'), pkg('sudo', '1.9.13p3-1+deb12u1')], {
    labels: { ring: 'broad', role: 'web' },
  }),
  host(
    'db-1',
    'almalinux-9',
    [
      pkg('openssh', '8.7p1-38.el9_4.1', undefined, undefined, 'x86_64'),
      pkg('openssh-server', '8.7p1-38.el9_4.1', undefined, undefined, 'x86_64'),
    ],
    {
      labels: { ring: 'broad', role: 'db' },
    },
  ),
];

export const RINGS = [
  { name: 'canary', selector: { matchLabels: { ring: 'canary' } } },
  { name: 'broad', selector: { matchLabels: { ring: 'broad' } } },
];

export function policySpec(extra: Partial<PatchPolicySpec> = {}): PatchPolicySpec {
  return { selector: {}, baseline: 'production', ...extra };
}

export function selectInput(
  spec: PatchPolicySpec,
  baseline: BaselineApprovals = { approvals: [] },
  hosts = HOSTS,
  records = RECORDS,
): SelectInput {
  const index = indexOf(records);
  const assessment = assess(hosts, index, baseline, { now: NOW });
  return {
    policy: { name: 'security', spec },
    baseline,
    hosts: assessment.hosts,
    advisory: (id) => index.advisory(id),
    schemeOf: (release) => index.release(release)?.scheme,
    rings: RINGS,
    now: NOW,
  };
}
