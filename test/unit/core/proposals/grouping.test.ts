import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import type { Candidate } from '../../../../controller/core/proposals/candidate.js';
import { groupKey, groupProposals, isoWeekKey, utcDayKey } from '../../../../controller/core/proposals/group-proposals.js';
import { proposalBranch, refComponent } from '../../../../controller/core/proposals/ref-name.js';

function candidate(advisory: string, published: string | undefined, packages: string[] = ['p']): Candidate {
  return {
    advisory,
    cves: [],
    aliases: [],
    ...(published === undefined ? {} : { published }),
    severity: 'high',
    effectiveSeverity: 'high',
    knownExploited: false,
    urgent: false,
    fixes: packages.map((name) => ({ release: 'almalinux-9', package: name, minVersion: '1-1', installed: ['1-0'], binaries: [name] })),
    hosts: [{ host: 'h', release: 'almalinux-9' }],
    raisesApproval: false,
  };
}

describe('grouping keys', () => {
  it('ISO weeks and UTC days (table)', () => {
    const table: [string, string, string][] = [
      ['2026-12-02T12:00:00Z', '2026-12-02', '2026-W49'],
      ['2026-12-01T23:59:59+00:00', '2026-12-01', '2026-W49'],
      ['2026-12-01T23:30:00-05:00', '2026-12-02', '2026-W49'], // 04:30 UTC next day
      ['2027-01-01T00:00:00Z', '2027-01-01', '2026-W53'], // Friday: still ISO year 2026
      ['2024-12-30T00:00:00Z', '2024-12-30', '2025-W01'], // Monday of week 1 of 2025
      ['2026-12-27T23:00:00Z', '2026-12-27', '2026-W52'], // Sunday ends the week
      ['2026-12-28T00:00:00Z', '2026-12-28', '2026-W53'],
    ];
    for (const [stamp, day, week] of table) {
      assert.equal(utcDayKey(new Date(stamp)), day, stamp);
      assert.equal(isoWeekKey(new Date(stamp)), week, stamp);
    }
  });

  it('advisory, package (smallest name), daily and weekly keys; undated advisories', () => {
    const c = candidate('ALSA-2024:1234', '2026-12-02T08:00:00Z', ['openssh-server', 'openssh', 'openssh-clients']);
    assert.equal(groupKey('advisory', c), 'ALSA-2024:1234');
    assert.equal(groupKey('package', c), 'openssh');
    assert.equal(groupKey('daily', c), '2026-12-02');
    assert.equal(groupKey('weekly', c), '2026-W49');
    assert.equal(groupKey('daily', candidate('X-1', undefined)), 'undated');
  });
});

describe('groupProposals', () => {
  it('maxAdvisories splits a group by (published, id) into -part-N keys, whatever the input order', () => {
    const list = [
      candidate('B-1', '2026-12-01T05:00:00Z'),
      candidate('A-1', '2026-12-01T09:00:00Z'),
      candidate('C-1', '2026-12-01T01:00:00Z'),
      candidate('D-1', '2026-12-01T09:00:00Z'),
      candidate('E-1', '2026-12-02T00:00:00Z'),
    ];
    const settings = { policy: 'security', by: 'weekly' as const, maxAdvisories: 2 };
    const one = groupProposals(list, settings);
    const two = groupProposals([...list].reverse(), settings);
    assert.deepEqual(one, two);
    assert.deepEqual(
      one.map((p) => [p.key, p.branch, p.candidates.map((c) => c.advisory)]),
      [
        ['2026-W49', 'patchward/security/2026-W49', ['B-1', 'C-1']],
        ['2026-W49-part-2', 'patchward/security/2026-W49-part-2', ['A-1', 'D-1']],
        ['2026-W49-part-3', 'patchward/security/2026-W49-part-3', ['E-1']],
      ],
    );
  });

  it('a group is urgent when one of its advisories is', () => {
    const [proposal] = groupProposals([candidate('A-1', undefined), { ...candidate('B-1', undefined), urgent: true }], {
      policy: 'p',
      by: 'daily',
    });
    assert.equal(proposal?.urgent, true);
  });
});

describe('branch names', () => {
  const keys = [
    'ALSA-2024:1234',
    'DSA-5514-1',
    'libstdc++',
    '2026-W49',
    '..x..lock',
    'a b~c^d:e?f*g[h\\i',
    '@{x}',
    '.hidden',
    'foo.lock',
    'x//y',
    'ünïcode',
  ];

  it('ALSA-2024:1234 becomes ALSA-2024-1234', () => {
    assert.equal(refComponent('ALSA-2024:1234'), 'ALSA-2024-1234');
    assert.equal(proposalBranch(undefined, 'security', 'ALSA-2024:1234'), 'patchward/security/ALSA-2024-1234');
    assert.equal(proposalBranch('bots/pw-', 'security', '2026-12-02'), 'bots/pw-security/2026-12-02');
  });

  it('every key gives a branch name that git check-ref-format accepts', () => {
    for (const key of keys) {
      const branch = proposalBranch('patchward/', 'security', key);
      assert.doesNotThrow(() => execFileSync('git', ['check-ref-format', '--branch', branch], { stdio: 'pipe' }), `${key} → ${branch}`);
    }
  });
});
