import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCliCaptured } from '../../helpers/run-cli.js';

const F = new URL('../../../../test/fixtures/', import.meta.url).pathname;
const UBUNTU = ['--advisories', `${F}advisories/ubuntu`];
const JAMMY = ['--inventory', `${F}inventories/ubuntu-jammy-oci.json`];
const NOW = ['--now', '2026-11-21T00:00:00Z'];

describe('patchward assess', () => {
  it('prints a table with state, counts and top advisories per host', async () => {
    const run = await runCliCaptured(['assess', ...JAMMY, ...UBUNTU, ...NOW]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^HOST\s+RELEASE\s+STATE/m);
    assert.match(
      run.stdout,
      /^jammy-oci\s+ubuntu-22\.04\s+missing-unapproved-fixes\s+0\s+0\s+1\s+0\s+1\s+0\s+0\s+UBUNTU-CVE-2024-6119 \(medium\), USN-6409-1 \(unrated\)$/m,
    );
    assert.match(run.stdout, /fleet: 1 hosts/);
  });

  it('writes the auditor CSV: one RFC 4180 row per host × missing fix', async () => {
    const run = await runCliCaptured(['assess', ...JAMMY, ...UBUNTU, '--output', 'csv', ...NOW]);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\r\n');
    assert.equal(
      lines[0],
      'host,release,package,installed,fixed,advisory,cves,severity,known_exploited,approved,state,source,unfixed,held',
    );
    assert.equal(
      lines[2],
      'jammy-oci,ubuntu-22.04,libc6,2.35-0ubuntu3.1,2.35-0ubuntu3.4,USN-6409-1,CVE-2023-4527 CVE-2023-4911,unrated,false,false,missing-unapproved-fixes,glibc,false,',
    );
    assert.equal(
      lines[3],
      'jammy-oci,ubuntu-22.04,libssl3,3.0.2-0ubuntu1.6,3.0.2-0ubuntu1.18,UBUNTU-CVE-2024-6119,CVE-2024-6119,medium,false,false,missing-unapproved-fixes,openssl,false,',
    );
    assert.equal(lines.length, 5, 'header, 3 rows, final CRLF');
  });

  it('applies a baseline (approval by alias, hold) and the KEV catalogue; JSON for machines', async () => {
    const run = await runCliCaptured([
      'assess',
      ...JAMMY,
      ...UBUNTU,
      '--advisories',
      `${F}advisories/debian`,
      '--kev',
      `${F}advisories/kev/known-exploited-sample.json`,
      '--baseline',
      `${F}advisories/baselines/glibc-approved.yaml`,
      '--output',
      'json',
      ...NOW,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      kind: string;
      hosts: {
        state: string;
        findings: {
          package: string;
          approved: boolean;
          approvedMissing: boolean;
          heldReason?: string;
          knownExploited: boolean;
          severity?: string;
        }[];
      }[];
      knownExploitedRevision: string;
    };
    assert.equal(report.kind, 'AssessmentReport');
    assert.equal(report.knownExploitedRevision, 'sample-2026.11.21');
    const [jammy] = report.hosts;
    assert.equal(jammy?.state, 'missing-approved-fixes');
    const libc6 = jammy?.findings.find((f) => f.package === 'libc6');
    assert.deepEqual([libc6?.approved, libc6?.approvedMissing, libc6?.knownExploited, libc6?.severity], [true, true, true, 'high']);
    assert.match(jammy?.findings.find((f) => f.package === 'libssl3')?.heldReason ?? '', /vendor appliance/);
  });

  it('--fail-on exits 1 when an available fix at or above the severity is missing', async () => {
    const medium = await runCliCaptured(['assess', ...JAMMY, ...UBUNTU, '--fail-on', 'medium', ...NOW]);
    assert.equal(medium.code, 1);
    const critical = await runCliCaptured(['assess', ...JAMMY, ...UBUNTU, '--fail-on', 'critical', ...NOW]);
    assert.equal(critical.code, 0);
  });

  it('assesses a HostInventoryList and marks the unreachable host unknown', async () => {
    const run = await runCliCaptured(['assess', '--inventory', `${F}inventories/fleet.json`, ...UBUNTU, '--output', 'csv', ...NOW]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^db-7,,,,,,,,,,unknown,,,\r$/m);
    assert.match(run.stdout, /^jammy-oci-2,ubuntu-22\.04,libc6,.*,pending-reboot,/m);
  });

  it('refuses bad arguments and invalid inventories with exit 2', async () => {
    assert.equal((await runCliCaptured(['assess', ...UBUNTU])).code, 2);
    assert.equal((await runCliCaptured(['assess', ...JAMMY, ...UBUNTU, '--output', 'xml'])).code, 2);
    assert.equal((await runCliCaptured(['assess', ...JAMMY, ...UBUNTU, '--fail-on', 'severe'])).code, 2);
    const invalid = await runCliCaptured(['assess', '--inventory', `${F}advisories/kev/known-exploited-sample.json`, ...UBUNTU]);
    assert.equal(invalid.code, 2);
    assert.match(invalid.stderr, /not a HostInventory/);
    assert.equal((await runCliCaptured(['assess', ...JAMMY, '--advisories', `${F}advisories/missing-dir`])).code, 2);
  });

  it('refuses a baseline that fails the PatchBaseline CRD schema or grammar, naming file, line, column and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'patchward-assess-baseline-'));
    const file = join(dir, 'baseline.yaml');
    writeFileSync(
      file,
      [
        'apiVersion: patchward.io/v1alpha1',
        'kind: PatchBaseline',
        'metadata: { name: bad }',
        'spec:',
        '  approvals:',
        '    - advisory: USN-6409-1',
        '      packages:',
        '        - { release: ubuntu-22.04, name: "glibc;reboot", minVersion: 2.35-0ubuntu3.4 }',
        '',
      ].join('\n'),
    );
    const run = await runCliCaptured(['assess', ...JAMMY, ...UBUNTU, '--baseline', file, ...NOW]);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '', 'nothing is assessed with a broken baseline');
    assert.ok(run.stderr.includes(`${file}:8:42: error: spec.approvals[0].packages[0].name:`), run.stderr);
    assert.match(run.stderr, /not a valid Debian\/Ubuntu \(dpkg\) package name/);
    assert.doesNotMatch(run.stderr, /^usage:/m, 'a bad input file is not a usage error: no usage text');
  });
});
