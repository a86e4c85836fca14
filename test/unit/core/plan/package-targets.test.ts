import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AvailableVersion, HostInventory, InstalledPackage } from '../../../../controller/core/inventory/host-inventory.js';
import type { Approval, PatchBaseline, PatchPolicy } from '../../../../controller/core/model/index.js';
import { type HostPlan, type LeftOutHost, planRollout, type RolloutPlan } from '../../../../controller/core/plan/index.js';
import {
  approval,
  baseline,
  deb,
  debianInventory,
  GLIBC_MIN,
  glibcOffers,
  host,
  input,
  offer,
  oldGlibc,
  policy,
  ring,
  rockyInventory,
  simplePolicy,
} from './plan-fixtures.js';

const NOW = new Date('2027-01-04T12:00:00Z');

function planFor(
  inventory: HostInventory,
  approvals: Approval[],
  extra: { policies?: PatchPolicy[]; baselines?: PatchBaseline[] } = {},
): RolloutPlan {
  const hosts = [host(inventory.host, 'canary')];
  return planRollout(
    input(
      simplePolicy([ring('canary', 0)], hosts, {
        policies: extra.policies ?? [policy('security', 'production')],
        baselines: extra.baselines ?? [baseline('production', approvals)],
      }),
      [inventory],
    ),
    NOW,
  );
}

function hostPlan(plan: RolloutPlan, name = 'h1'): HostPlan | undefined {
  return plan.rings.flatMap((entry) => entry.hosts).find((entry) => entry.host === name);
}

function leftOut(plan: RolloutPlan, name = 'h1'): LeftOutHost | undefined {
  return plan.leftOut.find((entry) => entry.host === name);
}

/** `name:arch from → to` lines, the shape a reviewer reads. */
function changes(plan: RolloutPlan, name = 'h1'): string[] {
  return (hostPlan(plan, name)?.packages ?? []).map((change) => `${change.name}:${change.arch ?? ''} ${change.from} -> ${change.to}`);
}

interface DpkgCase {
  readonly name: string;
  readonly installed: InstalledPackage[];
  readonly offered: AvailableVersion[];
  readonly min: Record<string, string>;
  readonly expected: string[] | { block: RegExp } | { leftOut: string };
}

const DPKG_CASES: DpkgCase[] = [
  {
    name: 'each binary of the source moves to the lowest offered source version >= the minimum',
    installed: oldGlibc(),
    offered: glibcOffers(),
    min: { glibc: GLIBC_MIN },
    expected: ['libc-bin:amd64 2.36-9+deb12u1 -> 2.36-9+deb12u3', 'libc6:amd64 2.36-9+deb12u1 -> 2.36-9+deb12u3'],
  },
  {
    name: 'the binary version of that source version, not the source version (binNMU)',
    installed: [deb('libfoo1', '1.0-1+b1', 'foo', '1.0-1')],
    offered: [offer('libfoo1', '1.0-2+b2', 'foo', '1.0-2', 'amd64'), offer('libfoo1', '1.0-3', 'foo', '1.0-3', 'amd64')],
    min: { foo: '1.0-2' },
    expected: ['libfoo1:amd64 1.0-1+b1 -> 1.0-2+b2'],
  },
  {
    name: 'a binary whose version differs from its source entirely (epoch and upstream of its own)',
    installed: [deb('libbar0', '2:5.0-1', 'bar', '1.4-1')],
    offered: [offer('libbar0', '2:5.0-2', 'bar', '1.4-2', 'amd64')],
    min: { bar: '1.4-2' },
    expected: ['libbar0:amd64 2:5.0-1 -> 2:5.0-2'],
  },
  {
    name: 'a source version that lacks one of the binaries is skipped for the next that has all',
    installed: oldGlibc(),
    offered: [
      offer('libc6', '2.36-9+deb12u3', 'glibc', '2.36-9+deb12u3', 'amd64'),
      offer('libc6', '2.36-9+deb12u4', 'glibc', '2.36-9+deb12u4', 'amd64'),
      offer('libc-bin', '2.36-9+deb12u4', 'glibc', '2.36-9+deb12u4', 'amd64'),
    ],
    min: { glibc: GLIBC_MIN },
    expected: ['libc-bin:amd64 2.36-9+deb12u1 -> 2.36-9+deb12u4', 'libc6:amd64 2.36-9+deb12u1 -> 2.36-9+deb12u4'],
  },
  {
    name: 'siblings stay in step: a binary already above the minimum sets the floor',
    installed: [deb('libc6', '2.36-9+deb12u4', 'glibc', '2.36-9+deb12u4'), deb('libc-bin', '2.36-9+deb12u1', 'glibc', '2.36-9+deb12u1')],
    offered: glibcOffers(),
    min: { glibc: GLIBC_MIN },
    expected: ['libc-bin:amd64 2.36-9+deb12u1 -> 2.36-9+deb12u4'],
  },
  {
    name: 'multi-arch: each installed architecture gets the binary of its own architecture',
    installed: [
      deb('libc6', '2.36-9+deb12u1', 'glibc', '2.36-9+deb12u1', 'amd64'),
      deb('libc6', '2.36-9+deb12u1', 'glibc', '2.36-9+deb12u1', 'i386'),
    ],
    offered: [
      offer('libc6', '2.36-9+deb12u3', 'glibc', '2.36-9+deb12u3', 'amd64'),
      offer('libc6', '2.36-9+deb12u3', 'glibc', '2.36-9+deb12u3', 'i386'),
    ],
    min: { glibc: GLIBC_MIN },
    expected: ['libc6:amd64 2.36-9+deb12u1 -> 2.36-9+deb12u3', 'libc6:i386 2.36-9+deb12u1 -> 2.36-9+deb12u3'],
  },
  {
    name: 'an offer for another architecture does not count',
    installed: [deb('libc6', '2.36-9+deb12u1', 'glibc', '2.36-9+deb12u1', 'arm64')],
    offered: [offer('libc6', '2.36-9+deb12u3', 'glibc', '2.36-9+deb12u3', 'amd64')],
    min: { glibc: GLIBC_MIN },
    expected: { block: /no version of source glibc >= 2\.36-9\+deb12u3 offered for libc6:arm64/ },
  },
  {
    name: 'an Architecture: all binary takes the all offer',
    installed: [deb('libc-l10n', '2.36-9+deb12u1', 'glibc', '2.36-9+deb12u1', 'all')],
    offered: [offer('libc-l10n', '2.36-9+deb12u3', 'glibc', '2.36-9+deb12u3', 'all')],
    min: { glibc: GLIBC_MIN },
    expected: ['libc-l10n:all 2.36-9+deb12u1 -> 2.36-9+deb12u3'],
  },
  {
    name: 'epochs compare as dpkg does (1:9.2p1 > 9.9)',
    installed: [deb('openssh-server', '1:9.2p1-2+deb12u2', 'openssh', '1:9.2p1-2+deb12u2')],
    offered: [
      offer('openssh-server', '9.9p1-1', 'openssh', '9.9p1-1', 'amd64'),
      offer('openssh-server', '1:9.2p1-2+deb12u3', 'openssh', '1:9.2p1-2+deb12u3', 'amd64'),
    ],
    min: { openssh: '1:9.2p1-2+deb12u3' },
    expected: ['openssh-server:amd64 1:9.2p1-2+deb12u2 -> 1:9.2p1-2+deb12u3'],
  },
  {
    name: 'an offered version invalid for dpkg is never chosen',
    installed: [deb('libc6', '2.36-9+deb12u1', 'glibc', '2.36-9+deb12u1')],
    offered: [
      offer('libc6', '2.36-9+deb12u3;rm -rf /', 'glibc', '2.36-9+deb12u3;rm -rf /', 'amd64'),
      offer('libc6', '2.36-9+deb12u4', 'glibc', '2.36-9+deb12u4', 'amd64'),
    ],
    min: { glibc: GLIBC_MIN },
    expected: ['libc6:amd64 2.36-9+deb12u1 -> 2.36-9+deb12u4'],
  },
  {
    name: 'only offers below the minimum: blocked, naming the source and binaries',
    installed: oldGlibc(),
    offered: [offer('libc6', '2.36-9+deb12u2', 'glibc', '2.36-9+deb12u2', 'amd64')],
    min: { glibc: GLIBC_MIN },
    expected: { block: /no version of source glibc >= 2\.36-9\+deb12u3 offered for libc6:amd64, libc-bin:amd64/ },
  },
  {
    name: 'a binary without a source field is its own source',
    installed: [deb('sudo', '1.9.13p3-1+deb12u0')],
    offered: [offer('sudo', '1.9.13p3-1+deb12u1', undefined, undefined, 'amd64')],
    min: { sudo: '1.9.13p3-1+deb12u1' },
    expected: ['sudo:amd64 1.9.13p3-1+deb12u0 -> 1.9.13p3-1+deb12u1'],
  },
  {
    name: 'installed at the minimum: already compliant',
    installed: [deb('libc6', GLIBC_MIN, 'glibc', GLIBC_MIN)],
    offered: glibcOffers(),
    min: { glibc: GLIBC_MIN },
    expected: { leftOut: 'compliant' },
  },
  {
    name: 'no binary of an approved source installed: not affected',
    installed: [deb('openssl', '3.0.11-1~deb12u2')],
    offered: glibcOffers(),
    min: { glibc: GLIBC_MIN },
    expected: { leftOut: 'not-affected' },
  },
  {
    name: 'an installed version invalid for dpkg is never compliant',
    installed: [deb('libc6', 'not a version!', 'glibc', 'not a version!')],
    offered: glibcOffers(),
    min: { glibc: GLIBC_MIN },
    expected: ['libc6:amd64 not a version! -> 2.36-9+deb12u3'],
  },
];

describe('planner: dpkg source -> binary versions', () => {
  for (const testCase of DPKG_CASES) {
    it(testCase.name, () => {
      const plan = planFor(debianInventory('h1', testCase.installed, testCase.offered), [approval('DSA-1', 'debian-12', testCase.min)]);
      const expected = testCase.expected;
      if (Array.isArray(expected)) {
        assert.deepEqual(changes(plan), expected);
        assert.equal(hostPlan(plan)?.block, undefined);
      } else if ('block' in expected) {
        assert.equal(hostPlan(plan)?.state, 'blocked');
        assert.equal(hostPlan(plan)?.block?.kind, 'no-candidate');
        assert.match(hostPlan(plan)?.block?.detail ?? '', expected.block);
      } else assert.equal(leftOut(plan)?.reason, expected.leftOut);
    });
  }

  it('an inventory collected without offered versions blocks the host and says why', () => {
    const { available: _omitted, ...withoutOffers } = debianInventory('h1', oldGlibc(), []);
    const plan = planFor(withoutOffers, [approval('DSA-1', 'debian-12', { glibc: GLIBC_MIN })]);
    assert.equal(hostPlan(plan)?.block?.kind, 'no-candidate');
    assert.match(hostPlan(plan)?.block?.detail ?? '', /glibc needs >= 2\.36-9\+deb12u3, but the inventory does not list the versions/);
  });

  it('records the source versions from -> to and the approvals behind the change', () => {
    const plan = planFor(debianInventory('h1', oldGlibc(), glibcOffers()), [approval('DSA-5514-1', 'debian-12', { glibc: GLIBC_MIN })]);
    const change = hostPlan(plan)?.packages[0];
    assert.deepEqual(change, {
      name: 'libc-bin',
      arch: 'amd64',
      from: '2.36-9+deb12u1',
      to: '2.36-9+deb12u3',
      source: 'glibc',
      sourceFrom: '2.36-9+deb12u1',
      sourceTo: '2.36-9+deb12u3',
      minVersion: GLIBC_MIN,
      advisories: ['DSA-5514-1'],
    });
  });
});

describe('planner: rpm EVRs', () => {
  const installed = [deb('openssh-server', '8.7p1-38.el9', undefined, undefined, 'x86_64')];
  const cases: { name: string; offered: AvailableVersion[]; expected: string[] | RegExp }[] = [
    {
      name: 'the lowest offered EVR at or above the minimum',
      offered: [
        offer('openssh-server', '8.7p1-38.el9_4.4', undefined, undefined, 'x86_64'),
        offer('openssh-server', '8.7p1-38.el9_4.1', undefined, undefined, 'x86_64'),
        offer('openssh-server', '8.7p1-38.el9_4', undefined, undefined, 'x86_64'),
      ],
      expected: ['openssh-server:x86_64 8.7p1-38.el9 -> 8.7p1-38.el9_4.1'],
    },
    {
      name: 'an epoch outranks a higher version',
      offered: [
        offer('openssh-server', '1:8.0-1.el9', undefined, undefined, 'x86_64'),
        offer('openssh-server', '9.9p1-1.el9', undefined, undefined, 'x86_64'),
      ],
      expected: ['openssh-server:x86_64 8.7p1-38.el9 -> 9.9p1-1.el9'],
    },
    {
      name: 'another architecture does not count, noarch does',
      offered: [
        offer('openssh-server', '8.7p1-38.el9_4.1', undefined, undefined, 'aarch64'),
        offer('openssh-server', '8.7p1-38.el9_4.2', undefined, undefined, 'noarch'),
      ],
      expected: ['openssh-server:x86_64 8.7p1-38.el9 -> 8.7p1-38.el9_4.2'],
    },
    { name: 'nothing offered: blocked', offered: [], expected: /no version of openssh-server\.x86_64 >= 8\.7p1-38\.el9_4\.1 offered/ },
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      const plan = planFor(rockyInventory('h1', installed, testCase.offered), [
        approval('RLSA-2024:4312', 'rocky-9', { 'openssh-server': '8.7p1-38.el9_4.1' }),
      ]);
      if (Array.isArray(testCase.expected)) assert.deepEqual(changes(plan), testCase.expected);
      else assert.match(hostPlan(plan)?.block?.detail ?? '', testCase.expected);
    });
  }

  it('an approval for another release does not apply', () => {
    const plan = planFor(rockyInventory('h1', installed, []), [
      approval('ALSA-2024:4312', 'almalinux-9', { 'openssh-server': '8.7p1-38.el9_4.1' }),
    ]);
    assert.equal(leftOut(plan)?.reason, 'not-affected');
  });
});

describe('planner: several baselines govern a host', () => {
  const inventory = debianInventory('h1', oldGlibc(), glibcOffers());
  const policies = [policy('security', 'production'), policy('web', 'web-extra', { selector: { matchLabels: { ring: 'canary' } } })];

  it('all approvals apply and the highest minimum per package wins', () => {
    const plan = planFor(inventory, [], {
      policies,
      baselines: [
        baseline('production', [approval('DSA-5514-1', 'debian-12', { glibc: GLIBC_MIN })]),
        baseline('web-extra', [approval('DSA-9999-1', 'debian-12', { glibc: '2.36-9+deb12u4' })]),
      ],
    });
    assert.deepEqual(changes(plan), ['libc-bin:amd64 2.36-9+deb12u1 -> 2.36-9+deb12u4', 'libc6:amd64 2.36-9+deb12u1 -> 2.36-9+deb12u4']);
    assert.deepEqual(hostPlan(plan)?.packages[0]?.advisories, ['DSA-5514-1', 'DSA-9999-1']);
    assert.equal(hostPlan(plan)?.packages[0]?.minVersion, '2.36-9+deb12u4');
  });

  it('a hold in any governing baseline wins over an approval in another', () => {
    const plan = planFor(inventory, [], {
      policies,
      baselines: [
        baseline('production', [approval('DSA-5514-1', 'debian-12', { glibc: GLIBC_MIN })]),
        baseline('web-extra', [], [{ package: 'libc-*', reason: 'waits for the vendor (INC-7)' }]),
      ],
    });
    assert.equal(leftOut(plan)?.reason, 'held');
    assert.match(leftOut(plan)?.detail ?? '', /INC-7/);
  });

  it('a hold in a governing policy wins too, and an expired hold no longer holds', () => {
    const held = [policy('security', 'production', { holds: [{ package: 'glibc', reason: 'freeze', until: '2027-01-31' }] })];
    assert.equal(leftOut(planFor(inventory, [approval('DSA-1', 'debian-12', { glibc: GLIBC_MIN })], { policies: held }))?.reason, 'held');
    const expired = [policy('security', 'production', { holds: [{ package: 'glibc', reason: 'freeze', until: '2027-01-03' }] })];
    assert.equal(
      hostPlan(planFor(inventory, [approval('DSA-1', 'debian-12', { glibc: GLIBC_MIN })], { policies: expired }))?.state,
      'pending',
    );
  });

  it('a hold on one package leaves the host with the rest of its work, the held one listed', () => {
    const installedBoth = [...oldGlibc(), deb('openssh-server', '1:9.2p1-2+deb12u2', 'openssh', '1:9.2p1-2+deb12u2')];
    const offered = [...glibcOffers(), offer('openssh-server', '1:9.2p1-2+deb12u3', 'openssh', '1:9.2p1-2+deb12u3', 'amd64')];
    const plan = planFor(debianInventory('h1', installedBoth, offered), [], {
      baselines: [
        baseline(
          'production',
          [approval('DSA-1', 'debian-12', { glibc: GLIBC_MIN }), approval('DSA-2', 'debian-12', { openssh: '1:9.2p1-2+deb12u3' })],
          [{ package: 'openssh-server', reason: 'sshd change freeze' }],
        ),
      ],
    });
    assert.deepEqual(changes(plan), ['libc-bin:amd64 2.36-9+deb12u1 -> 2.36-9+deb12u3', 'libc6:amd64 2.36-9+deb12u1 -> 2.36-9+deb12u3']);
    assert.deepEqual(
      hostPlan(plan)?.held.map((entry) => `${entry.name}: ${entry.reason}`),
      ['openssh-server: sshd change freeze'],
    );
  });

  it('exclusions by advisory (or alias) and by package leave the host out as excluded', () => {
    const approvals = [approval('DSA-5514-1', 'debian-12', { glibc: GLIBC_MIN }, { aliases: ['CVE-2023-4911'] })];
    const byAlias = [policy('security', 'production', { exclusions: [{ advisory: 'CVE-2023-4911', reason: 'not exposed' }] })];
    assert.equal(leftOut(planFor(inventory, approvals, { policies: byAlias }))?.reason, 'excluded');
    const byPackage = [policy('security', 'production', { exclusions: [{ package: 'libc6', reason: 'vendor build' }] })];
    const plan = planFor(inventory, approvals, { policies: byPackage });
    assert.equal(leftOut(plan)?.reason, 'excluded');
    assert.match(leftOut(plan)?.detail ?? '', /vendor build/);
  });

  it('approval removes: the names allowed for the host release, from the approvals it needs', () => {
    const plan = planFor(inventory, [
      approval(
        'DSA-5514-1',
        'debian-12',
        { glibc: GLIBC_MIN },
        { removes: [{ name: 'libc6-dev' }, { name: 'nscd', releases: ['debian-12'] }, { name: 'other', releases: ['ubuntu-24.04'] }] },
      ),
    ]);
    assert.deepEqual(hostPlan(plan)?.allowedRemovals, ['libc6-dev', 'nscd']);
  });
});
