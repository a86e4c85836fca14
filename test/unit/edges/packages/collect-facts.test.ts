import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { collectHostFacts, runThenCollectFacts } from '../../../../controller/edges/packages/collect-facts.js';
import { factsArgv, parseSections } from '../../../../controller/edges/packages/facts-script.js';
import { packageManagerFor } from '../../../../controller/edges/packages/host-package-manager.js';
import { LocalTransport } from '../../../../controller/edges/transport/local-transport.js';
import { isPatchwardError } from '../../../../controller/errors.js';
import { FakeTransport, factsOutput } from '../../../fakes/fake-transport.js';
import { NEEDS_RESTARTING_REQUIRED } from '../../../fixtures/reboot/recorded-outputs.js';

const DEBIAN = 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm';
const ROCKY = 'ID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.4"';
const OPTIONS = { pendingUpgrades: false, refresh: false, timeoutMs: 1000, sudo: false } as const;

const isFacts = (pm: string, pending: string, refresh: string) => (argv: readonly string[]) =>
  argv[0] === 'sh' && argv[1] === '-c' && argv[3] === 'patchward-facts' && argv[4] === pending && argv[5] === refresh && argv[6] === pm;

describe('facts script', () => {
  it('is a fixed script: options only travel as positional parameters', () => {
    const a = factsArgv({
      pendingUpgrades: true,
      refresh: true,
      packageManager: 'dnf',
      availableVersions: true,
      refreshTimeoutSeconds: 7.2,
      lockWaitSeconds: 30,
    });
    const b = factsArgv({ pendingUpgrades: false, refresh: false, refreshTimeoutSeconds: Number.NaN, lockWaitSeconds: -1 });
    assert.equal(a[2], b[2]);
    assert.deepEqual(a.slice(3), ['patchward-facts', '1', '1', 'dnf', '1', '8', '30']);
    assert.deepEqual(b.slice(3), ['patchward-facts', '0', '0', '', '0', '120', '0']);
  });

  it('splits sections and keeps exit codes; a cut-off section has no rc', () => {
    const sections = parseSections('junk\n@@patchward:a@@\nx\ny\n\n@@patchward-rc:a:0@@\n\n@@patchward:b@@\npartial');
    assert.deepEqual(sections.get('a'), { body: 'x\ny', rc: '0' });
    assert.deepEqual(sections.get('b'), { body: 'partial', rc: undefined });
  });

  it('runs a command first, then the facts, in one invocation: its output and exit code in their own section', async () => {
    const transport = new LocalTransport();
    const failing = await runThenCollectFacts(transport, ['sh', '-c', 'echo installing; echo refused >&2; exit 3'], OPTIONS);
    assert.equal(failing.command.exitCode, 3);
    assert.match(failing.command.stdout, /installing\nrefused/);
    assert.equal(failing.facts?.packageManager, 'apt');
    assert.ok(failing.facts?.packages.some((p) => p.name === 'dpkg'));
    assert.match(failing.facts?.bootId ?? '', /^[0-9a-f-]{36}$/);
    // Arguments are positional parameters run as "$@", never pasted into the script.
    const literal = "x'; echo pasted; '$(id)";
    const echoed = await runThenCollectFacts(transport, ['printf', '%s', literal], OPTIONS);
    assert.equal(echoed.command.exitCode, 0);
    assert.equal(echoed.command.stdout, literal);
  });

  it('runs for real on this Debian machine in one invocation', async () => {
    const facts = await collectHostFacts(new LocalTransport(), OPTIONS);
    assert.equal(facts.os.family, 'debian');
    assert.equal(facts.packageManager, 'apt');
    assert.ok(facts.packages.some((p) => p.name === 'dpkg'));
    // The native architecture without running dpkg for it, the running kernel from one uname.
    assert.equal(facts.arch, execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim());
    assert.equal(facts.kernel.running, execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim());
  });
});

describe('collectHostFacts with a fake transport', () => {
  it('apt: packages, reboot-required file with packages, lock held, pending upgrades', async () => {
    const transport = new FakeTransport('deb1', [
      {
        argv: isFacts('', '1', '0'),
        sudo: true,
        reply: {
          stdout: factsOutput({
            'os-release': [DEBIAN, '0'],
            uname: ['6.1.0-9-amd64\nx86_64', '0'],
            pm: ['apt', '0'],
            arch: ['amd64', '0'],
            packages: [
              'bash\t5.2.15-2+b2\tamd64\tii \tbash\t5.2.15-2\nlinux-image-6.1.0-18-amd64\t6.1.76-1\tamd64\tii \tlinux-signed-amd64\t6.1.76+1\nlibx\t1\tamd64\tiF \tx\t1',
              '0',
            ],
            reboot: ['required\nlinux-image-6.1.0-18-amd64', '0'],
            locks: ['/var/lib/dpkg/lock-frontend', '0'],
            pending: ['Inst bash [5.2.15-2+b2] (5.2.15-2+b8 Debian:12 [amd64])', '0'],
          }),
        },
      },
    ]);
    const facts = await collectHostFacts(transport, { ...OPTIONS, pendingUpgrades: true, sudo: true });
    transport.assertDone();
    assert.equal(facts.os.release, 'debian-12');
    assert.deepEqual(facts.kernel, { running: '6.1.0-9-amd64', newestInstalled: '6.1.0-18-amd64' });
    assert.deepEqual(facts.reboot.reasons, ['reboot-required file', 'newer kernel installed (6.1.0-18-amd64, running 6.1.0-9-amd64)']);
    assert.deepEqual(facts.reboot.packages, ['linux-image-6.1.0-18-amd64']);
    assert.equal(facts.packageDb.healthy, false);
    assert.deepEqual(
      facts.packageDb.problems.map((p) => p.kind),
      ['half-configured', 'lock-held'],
    );
    assert.deepEqual(facts.pendingUpgrades, [
      { name: 'bash', installedVersion: '5.2.15-2+b2', candidateVersion: '5.2.15-2+b8', arch: 'amd64' },
    ]);
  });

  it('dnf: rpmdb error from stderr, needs-restarting, check-update without cache becomes a warning', async () => {
    const transport = new FakeTransport('rocky1', [
      {
        argv: isFacts('dnf', '1', '0'),
        reply: {
          stdout: factsOutput({
            'os-release': [ROCKY, '0'],
            uname: ['5.14.0-427.13.1.el9_4.x86_64\nx86_64', '0'],
            pm: ['dnf', '0'],
            arch: ['x86_64', '0'],
            packages: ['bash\t(none)\t5.1.8\t9.el9\tx86_64\tbash-5.1.8-9.el9.src.rpm', '1'],
            // Recorded `needs-restarting -r` of a Fedora host (baeldung.com, see test/fixtures/reboot/README.md).
            reboot: [NEEDS_RESTARTING_REQUIRED, '1'],
            locks: ['', '0'],
            pending: ['', '1'],
          }),
          stderr: 'error: rpmdb: BDB0113 Thread/process 1234 failed\nerror: cannot open Packages index\n',
        },
      },
    ]);
    const facts = await packageManagerFor('dnf', transport).collectFacts({ ...OPTIONS, pendingUpgrades: true });
    transport.assertDone();
    assert.equal(facts.os.release, 'rocky-9');
    assert.equal(facts.packageManager, 'dnf');
    assert.deepEqual(
      facts.packageDb.problems.map((p) => p.kind),
      ['rpmdb-error'],
    );
    assert.match(facts.packageDb.problems[0]?.detail ?? '', /BDB0113/);
    assert.deepEqual(facts.reboot, {
      required: true,
      reasons: ['needs-restarting -r (dbus, dbus-broker, dbus-daemon, glibc, kernel, linux-firmware, systemd)'],
    });
    assert.equal(facts.pendingUpgrades, undefined);
    assert.match(facts.warnings.join(), /check-update failed/);
  });

  it('refuses an unsupported OS and a failed invocation with typed errors', async () => {
    const transport = new FakeTransport('alpine', [
      { argv: isFacts('apt', '0', '0'), reply: { stdout: factsOutput({ 'os-release': ['ID=alpine\nVERSION_ID=3.19', '0'] }) } },
      { argv: isFacts('apt', '0', '0'), reply: { exitCode: 127, stderr: 'sh: not found' } },
    ]);
    const apt = packageManagerFor('apt', transport);
    await assert.rejects(apt.collectFacts(OPTIONS), (error: unknown) => isPatchwardError(error) && error.code === 'UnsupportedOs');
    await assert.rejects(apt.collectFacts(OPTIONS), (error: unknown) => isPatchwardError(error) && error.code === 'FactsFailed');
    transport.assertDone();
  });
});
