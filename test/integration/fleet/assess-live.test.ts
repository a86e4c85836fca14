/**
 * `patchward assess -f POLICY_DIR` on a live fleet: real sandbox hosts inventoried over SSH, the
 * repository's own baseline, the synthetic sandbox advisory feed. Then a fix is installed on one
 * host with its real apt, and a second run sees that host's approved fix gone.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureSandboxImage, startHosts, type SandboxFleet } from '../../harness/sandbox.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

interface ReportHost {
  readonly host: string;
  readonly state: string;
  readonly findings: readonly { readonly advisory: string; readonly approved: boolean; readonly package: string }[];
}

function hostsOf(stdout: string): Map<string, ReportHost> {
  const report = JSON.parse(stdout) as { hosts: ReportHost[] };
  return new Map(report.hosts.map((host) => [host.host, host]));
}

function advisoriesOf(host: ReportHost | undefined): Map<string, boolean> {
  assert.ok(host !== undefined, 'host missing from the report');
  return new Map(host.findings.map((finding) => [finding.advisory, finding.approved]));
}

describe('patchward assess -f on live sandbox hosts', { timeout: 300_000 }, () => {
  let fleet: SandboxFleet;
  let repo: string;
  const assessLive = () =>
    runCliCaptured(['assess', '-f', repo, '--advisories', 'test/fixtures/advisories/sandbox', '--output', 'json', '--timeout', '30']);

  before(async () => {
    await ensureSandboxImage({ quiet: true });
    fleet = await startHosts({
      groups: [
        { count: 2, flavour: 'apt', namePrefix: 'live-apt' },
        { count: 1, flavour: 'rpm', namePrefix: 'live-rpm' },
      ],
    });
    repo = mkdtempSync(join(tmpdir(), 'patchward-live-repo-'));
    for (const file of ['windows.yaml', 'rings.yaml', 'security-policy.yaml']) copyFileSync(join('policies', file), join(repo, file));
    copyFileSync('scripts/demo/baseline.yaml', join(repo, 'baseline.yaml'));
    fleet.writeFleetYaml(join(repo, 'fleet.yaml'));
  });

  after(async () => {
    await fleet?.stop();
    if (repo !== undefined) rmSync(repo, { recursive: true, force: true });
  });

  it('reports approved and unapproved missing fixes per host, then sees a fix installed on one host', async () => {
    const first = await assessLive();
    assert.equal(first.code, 0, first.stderr);
    const before = hostsOf(first.stdout);
    assert.deepEqual([...before.keys()].sort(), ['live-apt-01', 'live-apt-02', 'live-rpm-01']);
    for (const name of before.keys()) {
      const advisories = advisoriesOf(before.get(name));
      assert.equal(advisories.get('PWSA-2026-0001'), true, `${name}: PWSA-2026-0001 is approved in the repo's baseline`);
      assert.equal(advisories.get('PWSA-2026-0002'), false, `${name}: PWSA-2026-0002 is not approved`);
      assert.equal(before.get(name)?.state, 'missing-approved-fixes');
    }

    const install = await fleet.exec('live-apt-01', ['apt-get', 'install', '-y', '-q', 'pw-libdemo=1.0-2', 'pw-demo-utils=1.0-2']);
    assert.equal(install.code, 0, install.stderr);

    const second = await assessLive();
    assert.equal(second.code, 0, second.stderr);
    const after = hostsOf(second.stdout);
    const patched = advisoriesOf(after.get('live-apt-01'));
    assert.equal(patched.has('PWSA-2026-0001'), false, 'the installed fix is no longer missing');
    assert.equal(patched.get('PWSA-2026-0002'), false);
    assert.equal(after.get('live-apt-01')?.state, 'missing-unapproved-fixes');
    assert.equal(advisoriesOf(after.get('live-apt-02')).get('PWSA-2026-0001'), true, 'the other host is untouched');
  });
});
