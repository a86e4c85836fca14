/**
 * OSV semantics (docs/schema.md "Evaluation", ossf/osv-schema): limit events, versions unioned
 * with ranges, last_affected inclusive, overlapping ranges, several entries for one package.
 * The schema's own examples come from test/fixtures/advisories/osv-semantics/ (provenance there).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isAffected, matchEntry } from '../../../../controller/core/advisory/advisory-index.js';
import { buildAdvisoryIndex } from '../../../../controller/core/advisory/build-index.js';
import type { OsvAffected, OsvRecord } from '../../../../controller/core/advisory/osv-record.js';
import { assess } from '../../../../controller/core/assess/assess.js';
import { dpkgVersionScheme, rpmVersionScheme, versionSchemeFor } from '../../../../controller/core/version/index.js';
import { host, pkg } from '../../../helpers/host-inventory-builders.js';
import { osv } from './records.js';

const FIXTURES = join(process.cwd(), 'test', 'fixtures', 'advisories', 'osv-semantics');
const schemaExamples = JSON.parse(await readFile(join(FIXTURES, 'osv-schema-examples.json'), 'utf8')) as OsvRecord[];
const alsa20193736 = JSON.parse(await readFile(join(FIXTURES, 'ALSA-2019-3736.json'), 'utf8')) as OsvRecord;

/** version → undefined (not affected), 'unfixed', or the fixed version reported for it. */
type Expectation = Readonly<Record<string, string | undefined>>;

function entryOf(records: OsvRecord[], release: string, name: string) {
  const { index, problems } = buildAdvisoryIndex(records, { schemeFor: versionSchemeFor });
  assert.deepEqual(problems, []);
  const entries = index.lookup(release, name);
  assert.equal(entries.length, 1, `one entry for ${name}`);
  return entries[0] as NonNullable<(typeof entries)[0]>;
}

function verdicts(records: OsvRecord[], expected: Expectation, release = 'debian-12', name = 'example'): Expectation {
  const entry = entryOf(records, release, name);
  const scheme = release.startsWith('debian') ? dpkgVersionScheme : rpmVersionScheme;
  return Object.fromEntries(
    Object.keys(expected).map((version) => {
      const match = matchEntry(entry, version, scheme);
      assert.equal(isAffected(entry, version, scheme), match !== undefined);
      return [version, match === undefined ? undefined : (match.fixed ?? 'unfixed')];
    }),
  );
}

const example = (id: string): OsvRecord => {
  const record = schemaExamples.find((candidate) => candidate.id === id);
  assert.ok(record, id);
  return record;
};

const ranges = (...events: NonNullable<OsvAffected['ranges']>[number][]): OsvAffected => ({
  package: { ecosystem: 'Debian:12', name: 'example' },
  ranges: events,
});
const range = (...events: Record<string, string>[]) => ({ type: 'ECOSYSTEM', events });

const TABLE: [string, OsvRecord[], Expectation][] = [
  // The schema's examples
  [
    'schema: unfixed — every version affected, no fix',
    [example('OSV-SCHEMA-EXAMPLE-UNFIXED')],
    { '0.1': 'unfixed', '1.0': 'unfixed', '99:1': 'unfixed' },
  ],
  [
    'schema: fixed — everything before 1.0.2',
    [example('OSV-SCHEMA-EXAMPLE-FIXED')],
    { '0.9': '1.0.2', '1.0.1': '1.0.2', '1.0.2': undefined, '1.0.3': undefined },
  ],
  [
    'schema: multiple ranges — [1.0.0, 1.0.2) or [3.0.0, 3.2.5)',
    [example('OSV-SCHEMA-EXAMPLE-MULTIPLE-RANGES')],
    {
      '0.9': undefined,
      '1.0.0': '1.0.2',
      '1.0.1': '1.0.2',
      '1.0.2': undefined,
      '2.0': undefined,
      '3.0.0': '3.2.5',
      '3.2.4': '3.2.5',
      '3.2.5': undefined,
    },
  ],
  [
    'schema: limit — introduced 1.0, limit 2.0 bounds the range',
    [example('OSV-SCHEMA-EXAMPLE-LIMIT')],
    { '0.9': undefined, '1.0': 'unfixed', '1.9': 'unfixed', '2.0': undefined, '3.0': undefined },
  ],
  [
    'schema: last_affected 2.1.214 is inclusive',
    [example('OSV-SCHEMA-EXAMPLE-LAST-AFFECTED')],
    { '2.1.213': 'unfixed', '2.1.214': 'unfixed', '2.1.214-1': undefined, '2.1.215': undefined },
  ],
  [
    'schema: fixed 2.1.214 is exclusive',
    [example('OSV-SCHEMA-EXAMPLE-LAST-AFFECTED-FIXED')],
    { '2.1.213': '2.1.214', '2.1.214': undefined },
  ],
  // limit
  ['limit "*" is no bound', [osv('L1', [ranges(range({ introduced: '1.0' }, { limit: '*' }))])], { '1.0': 'unfixed', '999': 'unfixed' }],
  [
    'several limits: below any of them counts',
    [osv('L2', [ranges(range({ introduced: '1.0' }, { limit: '2.0' }, { limit: '3.0' }))])],
    { '2.5': 'unfixed', '3.0': undefined },
  ],
  [
    'a limit bounds the whole range, fixes included',
    [osv('L3', [ranges(range({ introduced: '0' }, { fixed: '1.5' }, { introduced: '2.0' }, { limit: '2.5' }))])],
    { '1.2': '1.5', '1.5': undefined, '2.2': 'unfixed', '2.6': undefined },
  ],
  [
    'a limit in one range does not bound another range',
    [osv('L4', [ranges(range({ introduced: '1.0' }, { limit: '2.0' }), range({ introduced: '3.0' }))])],
    { '2.5': undefined, '3.5': 'unfixed' },
  ],
  // versions ∪ ranges
  [
    'versions are affected in addition to the ranges',
    [osv('V1', [{ ...ranges(range({ introduced: '0' }, { fixed: '1.5' })), versions: ['2.0', '2.1'] }])],
    { '1.0': '1.5', '1.7': undefined, '2.0': 'unfixed', '2.1': 'unfixed', '2.2': undefined },
  ],
  [
    'a listed version below a fix gets that fix',
    [osv('V2', [{ ...ranges(range({ introduced: '3.0' }, { fixed: '3.5' })), versions: ['1.0'] }])],
    { '1.0': '3.5', '2.0': undefined, '3.1': '3.5' },
  ],
  [
    'versions alone (no range)',
    [osv('V3', [{ package: { ecosystem: 'Debian:12', name: 'example' }, versions: ['1.0', '1.1'] }])],
    { '1.0': 'unfixed', '1.0.1': undefined, '1.1': 'unfixed' },
  ],
  // overlapping ranges: the lowest fix that leaves every range
  [
    'overlapping ranges: 1.5 is still in [1.2, 2.0), so the fix is 2.0',
    [osv('O1', [ranges(range({ introduced: '0' }, { fixed: '1.5' }), range({ introduced: '1.2' }, { fixed: '2.0' }))])],
    { '1.0': '2.0', '1.3': '2.0', '1.6': '2.0', '2.0': undefined },
  ],
  [
    'adjacent ranges chain to the last fix',
    [osv('O2', [ranges(range({ introduced: '0' }, { fixed: '1.5' }), range({ introduced: '1.5' }, { fixed: '1.8' }))])],
    { '1.0': '1.8', '1.5': '1.8', '1.8': undefined },
  ],
  [
    'overlap with last_affected: the fix above it wins',
    [osv('O3', [ranges(range({ introduced: '0' }, { fixed: '3.0' }), range({ introduced: '0' }, { last_affected: '2.5' }))])],
    { '1.0': '3.0', '2.5': '3.0', '2.9': '3.0' },
  ],
  [
    'a fix that another range still affects up to last_affected: no known fix',
    [osv('O4', [ranges(range({ introduced: '0' }, { fixed: '2.0' }), range({ introduced: '2.0' }, { last_affected: '2.5' }))])],
    { '1.0': 'unfixed', '2.2': 'unfixed', '2.6': undefined },
  ],
  [
    'a fix that is itself listed as affected is no fix',
    [
      osv('O5', [
        { ...ranges(range({ introduced: '0' }, { fixed: '1.5' }), range({ introduced: '0' }, { fixed: '1.7' })), versions: ['1.5'] },
      ]),
    ],
    { '1.0': '1.7', '1.5': '1.7', '1.6': '1.7' },
  ],
  [
    'overlapping events in one range (introduced twice)',
    [osv('O6', [ranges(range({ introduced: '0' }, { introduced: '1.0' }, { fixed: '2.0' }))])],
    { '0.5': '2.0', '1.5': '2.0', '2.0': undefined },
  ],
  // several entries of one record for the same package (no module stream): merged, one fix
  [
    'several entries for one package merge: the fix leaves both',
    [osv('M1', [ranges(range({ introduced: '0' }, { fixed: '1.5' })), ranges(range({ introduced: '1.2' }, { fixed: '2.0' }))])],
    { '1.0': '2.0', '1.4': '2.0', '2.0': undefined },
  ],
];

describe('OSV semantics (table)', () => {
  for (const [name, records, expected] of TABLE) {
    it(name, () => {
      assert.deepEqual(verdicts(records, expected), expected);
    });
  }

  it('the schema example DSA-3029-1 (Debian:7 nginx)', () => {
    assert.deepEqual(verdicts([example('DSA-3029-1')], { '1.2.1-2.2+wheezy2': '', '1.2.1-2.2+wheezy3': '' }, 'debian-7', 'nginx'), {
      '1.2.1-2.2+wheezy2': '1.2.1-2.2+wheezy3',
      '1.2.1-2.2+wheezy3': undefined,
    });
  });

  it('the entry-level fix (for reports) is the lowest fix that leaves every range', () => {
    const entry = entryOf(
      [osv('O1', [ranges(range({ introduced: '0' }, { fixed: '1.5' }), range({ introduced: '1.2' }, { fixed: '2.0' }))])],
      'debian-12',
      'example',
    );
    assert.equal(entry.fixed, '2.0');
    assert.deepEqual(entry.fixedCandidates, ['1.5', '2.0']);
  });

  it('refuses an entry whose limit is not a version of the scheme, naming it', () => {
    const { problems } = buildAdvisoryIndex([osv('BAD', [ranges(range({ introduced: '0' }, { limit: 'not a version' }))])], {
      schemeFor: versionSchemeFor,
    });
    assert.deepEqual(
      problems.map((problem) => [problem.advisory, problem.reason, problem.version]),
      [['BAD', 'invalid-version', 'not a version']],
    );
  });
});

describe('module streams: one finding per stream, named', () => {
  const NOW = new Date('2026-11-21T00:00:00Z');
  const nodejs = (stream: string, fixed: string): OsvAffected => ({
    package: { ecosystem: 'AlmaLinux:9', name: 'nodejs', purl: `pkg:rpm/almalinux/nodejs?arch=src&rpmmod=${encodeURIComponent(stream)}` },
    ranges: [range({ introduced: '0' }, { fixed })],
  });
  const record = osv('ALSA-2099:0001', [
    nodejs('nodejs:18:9030020231120082734:rhel9', '1:18.19.0-1.module+el9.3.0+20000+abcdef12'),
    nodejs('nodejs:20:9030020231120082734:rhel9', '1:20.11.0-1.module+el9.3.0+20001+abcdef13'),
    // the same stream again (another architecture build): merged into the nodejs:18 entry
    nodejs('nodejs:18:9030020231120082734:rhel9', '1:18.19.0-1.module+el9.3.0+20000+abcdef12'),
  ]);

  it('names each stream from the rpmmod purl qualifier and merges entries of the same stream', () => {
    const { index } = buildAdvisoryIndex([record], { schemeFor: versionSchemeFor });
    assert.deepEqual(
      index.lookup('almalinux-9', 'nodejs').map((entry) => [entry.moduleStream, entry.fixed]),
      [
        ['nodejs:18', '1:18.19.0-1.module+el9.3.0+20000+abcdef12'],
        ['nodejs:20', '1:20.11.0-1.module+el9.3.0+20001+abcdef13'],
      ],
    );
  });

  it('assess reports one finding per stream, each naming it', () => {
    const { index } = buildAdvisoryIndex([record], { schemeFor: versionSchemeFor });
    const result = assess(
      [host('a', 'almalinux-9', [pkg('nodejs', '1:18.14.0-1.module+el9.2.0+17000+abcdef12')])],
      index,
      { approvals: [] },
      { now: NOW },
    );
    assert.deepEqual(
      (result.hosts[0]?.result?.findings ?? []).map((finding) => [finding.advisory, finding.moduleStream, finding.fixedVersion]),
      [
        ['ALSA-2099:0001', 'nodejs:18', '1:18.19.0-1.module+el9.3.0+20000+abcdef12'],
        ['ALSA-2099:0001', 'nodejs:20', '1:20.11.0-1.module+el9.3.0+20001+abcdef13'],
      ],
    );
  });

  it('takes the stream from ecosystem_specific.module when there is no purl', () => {
    const { index } = buildAdvisoryIndex(
      [
        osv('X', [
          {
            package: { ecosystem: 'AlmaLinux:9', name: 'php' },
            ecosystem_specific: { module: 'php:8.1' },
            ranges: [range({ introduced: '0' }, { fixed: '8.1.27-1.el9' })],
          },
        ]),
      ],
      { schemeFor: versionSchemeFor },
    );
    assert.deepEqual(
      index.lookup('almalinux-9', 'php').map((entry) => entry.moduleStream),
      ['php:8.1'],
    );
  });

  it('real data (ALSA-2019:3736, php:7.3): the three libzip module builds are three named streams', () => {
    const { index } = buildAdvisoryIndex([alsa20193736], { schemeFor: versionSchemeFor });
    const entries = index.lookup('almalinux-8', 'libzip');
    assert.deepEqual(entries.map((entry) => entry.moduleStream).sort(), [
      'module_el8.3.0+2009+b272fdef',
      'module_el8.4.0+2229+b272fdef',
      'module_el8.5.0+152+112d3b8c',
    ]);
    const result = assess(
      [host('a', 'almalinux-8', [pkg('libzip', '1.5.1-2.module_el8.3.0+2009+b272fdef')])],
      index,
      { approvals: [] },
      { now: NOW },
    );
    assert.equal(result.hosts[0]?.result?.findings.length, 3);
    assert.ok((result.hosts[0]?.result?.findings ?? []).every((finding) => finding.moduleStream?.startsWith('module_el8.')));
  });
});
