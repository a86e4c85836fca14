import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aptFamily, parseAptTransaction, parseGatedAptTransaction } from '../../../../controller/edges/packages/apt/apt-family.js';
import { dnfFamily, parseDnfTransaction } from '../../../../controller/edges/packages/dnf/dnf-family.js';
import { reinstallCommandLine } from '../../../../controller/edges/packages/host-package-manager.js';

// Recorded on sandbox hosts (apt-get 2.6.1, dnf 4.14) with the commands in the test names.
const APT_SIMULATION = `Reading package lists...
Building dependency tree...
Reading state information...
The following packages will be REMOVED:
  pw-oldtool
The following NEW packages will be installed:
  pw-newdep
4 upgraded, 1 newly installed, 1 to remove and 1 not upgraded.
Remv pw-oldtool [1.0-1]
Inst pw-libdemo [1.0-1] (1.0-2 patchward-sandbox:localhost [all])
Inst pw-newdep (1.0-1 patchward-sandbox:localhost [all])
Inst pw-kernel [1.1-1] (1.0-1 patchward-sandbox:localhost [all])
Inst libc6:amd64 [2.36-9+deb12u4] (2.36-9+deb12u4 Debian:12.6/stable [amd64])
Conf pw-libdemo (1.0-2 patchward-sandbox:localhost [all])
Conf pw-newdep (1.0-1 patchward-sandbox:localhost [all])`;

const DNF_SIMULATION = `Dependencies resolved.
================================================================================
 Package              Architecture  Version      Repository                Size
================================================================================
Upgrading:
 pw-demo-utils        noarch        1.0-2        patchward-sandbox        6.2 k
 pw-replacer          noarch        2.0-1        patchward-sandbox        6.3 k
     replacing  pw-oldtool.noarch 1.0-1
 patchward-a-very-long-package-name-that-wraps
                      noarch        1:2.0-1      patchward-sandbox        6.1 k
Downgrading:
 pw-kernel            noarch        1.0-1        patchward-sandbox        6.3 k
Installing dependencies:
 pw-newdep            noarch        1.0-1        patchward-sandbox        6.2 k
Removing dependent packages:
 pw-old-plugin        noarch        0.9-1        @System                  1.0 k

Transaction Summary
================================================================================
Install    1 Package
Upgrade    3 Packages

Total size: 31 k
Operation aborted.`;

describe('apt-get -s install … → transaction', () => {
  it('splits installs, upgrades, downgrades, reinstalls and removals, with :arch names', () => {
    const t = parseAptTransaction(APT_SIMULATION);
    assert.deepEqual(t.removals, [{ name: 'pw-oldtool', fromVersion: '1.0-1' }]);
    assert.deepEqual(t.upgrades, [{ name: 'pw-libdemo', version: '1.0-2', fromVersion: '1.0-1', arch: 'all' }]);
    assert.deepEqual(t.installs, [{ name: 'pw-newdep', version: '1.0-1', arch: 'all' }]);
    assert.deepEqual(t.downgrades, [{ name: 'pw-kernel', version: '1.0-1', fromVersion: '1.1-1', arch: 'all' }]);
    assert.deepEqual(t.reinstalls, [{ name: 'libc6', version: '2.36-9+deb12u4', fromVersion: '2.36-9+deb12u4', arch: 'amd64' }]);
  });

  it('builds a non-interactive, exact-version, config-keeping argv', () => {
    assert.deepEqual(
      aptFamily.installArgv([{ name: 'pw-libdemo', version: '1:1.0-2' }], {
        simulate: false,
        lockTimeoutSeconds: 120,
        allowDowngrades: false,
        allowRemovals: false,
      }),
      [
        'env',
        'DEBIAN_FRONTEND=noninteractive',
        'apt-get',
        '-q',
        '-y',
        '-o',
        'DPkg::Lock::Timeout=120',
        '-o',
        'Dpkg::Options::=--force-confdef',
        '-o',
        'Dpkg::Options::=--force-confold',
        '--no-remove',
        'install',
        'pw-libdemo=1:1.0-2',
      ],
    );
  });

  it('classifies failures by what apt says', () => {
    const classify = (stderr: string) => aptFamily.classifyFailure({ exitCode: 100, stdout: '', stderr, durationMs: 1 });
    assert.equal(classify("E: Version '9.9' for 'pw-libdemo' was not found"), 'not-offered');
    assert.equal(classify('E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 (python3)'), 'lock-timeout');
    assert.equal(classify('E: Sub-process /usr/bin/dpkg returned an error code (1)'), 'install-failed');
    assert.equal(classify('E: Unable to correct problems, you have held broken packages.'), 'unresolvable');
    assert.equal(classify('E: Packages need to be removed but remove is disabled.'), 'removal-refused');
  });
});

describe('dnf --assumeno install … → transaction', () => {
  it('reads every section, obsoletes as removals, and wrapped rows', () => {
    const t = parseDnfTransaction(DNF_SIMULATION);
    assert.deepEqual(
      t.upgrades.map((c) => `${c.name} ${c.version}`),
      ['pw-demo-utils 1.0-2', 'pw-replacer 2.0-1', 'patchward-a-very-long-package-name-that-wraps 1:2.0-1'],
    );
    assert.deepEqual(
      t.removals.map((c) => `${c.name} ${c.fromVersion}`),
      ['pw-oldtool 1.0-1', 'pw-old-plugin 0.9-1'],
    );
    assert.deepEqual(
      t.downgrades.map((c) => c.name),
      ['pw-kernel'],
    );
    assert.deepEqual(
      t.installs.map((c) => c.name),
      ['pw-newdep'],
    );
    assert.ok(dnfFamily.isSimulationDone({ exitCode: 1, stdout: DNF_SIMULATION, stderr: '', durationMs: 1 }));
    assert.equal(
      dnfFamily.isSimulationDone({ exitCode: 1, stdout: '', stderr: 'Error: Unable to find a match: x-9', durationMs: 1 }),
      false,
    );
  });

  it('simulates with --assumeno; applies exact EVRs with -y behind a bounded wait for the rpm lock', () => {
    const targets = [{ name: 'openssl', version: '1:3.0.7-27.el9' }];
    assert.deepEqual(
      dnfFamily.installArgv(targets, { simulate: true, lockTimeoutSeconds: 30, allowDowngrades: false, allowRemovals: false }),
      ['dnf', '--assumeno', '--setopt=clean_requirements_on_remove=False', 'install', 'openssl-1:3.0.7-27.el9'],
    );
    const apply = dnfFamily.installArgv(targets, { simulate: false, lockTimeoutSeconds: 30, allowDowngrades: false, allowRemovals: false });
    assert.deepEqual(
      [apply[0], apply[1], ...apply.slice(3)],
      [
        'sh',
        '-c',
        'patchward-dnf-install',
        '30',
        'dnf',
        '-y',
        '--setopt=clean_requirements_on_remove=False',
        'install',
        'openssl-1:3.0.7-27.el9',
      ],
    );
    assert.equal(
      dnfFamily.classifyFailure({
        exitCode: 75,
        stdout: '',
        stderr: 'patchward: rpm transaction lock /var/lib/rpm/.rpm.lock still held after 30 s',
        durationMs: 1,
      }),
      'lock-timeout',
    );
  });

  it('classifies failures by what dnf says', () => {
    const classify = (stderr: string) => dnfFamily.classifyFailure({ exitCode: 1, stdout: '', stderr, durationMs: 1 });
    assert.equal(classify('No match for argument: pw-libdemo-9.9-1\nError: Unable to find a match: pw-libdemo-9.9-1'), 'not-offered');
    assert.equal(classify('Error in PREIN scriptlet in rpm package pw-broken\nError: Transaction failed'), 'install-failed');
    assert.equal(classify('Error: \n Problem: conflicting requests\n  - nothing provides libfoo'), 'unresolvable');
  });
});

describe('reinstallCommandLine', () => {
  it('prints the rollback command, quoted by the one quoting function', () => {
    assert.equal(
      reinstallCommandLine('apt', [
        { name: 'libc6', version: '2.36-9+deb12u4' },
        { name: 'pw-x', version: '1:1.0~rc1-1' },
      ]),
      "apt-get install --allow-downgrades libc6=2.36-9+deb12u4 'pw-x=1:1.0~rc1-1'",
    );
    assert.equal(reinstallCommandLine('dnf', [{ name: 'openssl', version: '1:3.0.7-25.el9' }]), 'dnf install openssl-1:3.0.7-25.el9');
  });
});

// Recorded on a sandbox host (apt 2.6.1): what the gate hook printed for
// `apt-get install pw-depender=2.0-1 pw-replacer=2.0-1` (its Pre-Install-Pkgs protocol 3 lines, marked).
const APT_GATE_OUTPUT = `Reading package lists...
Get:1 file:/srv/patchward-repo/apt ./ pw-newdep 1.0-1 [700 B]

@@patchward-transaction@@ pw-oldtool 1.0-1 all none > - - none **REMOVE**
@@patchward-transaction@@ pw-newdep - - none < 1.0-1 all none /srv/patchward-repo/apt/./pw-newdep_1.0-1_all.deb
@@patchward-transaction@@ pw-depender 1.0-1 all none < 2.0-1 all none /srv/patchward-repo/apt/./pw-depender_2.0-1_all.deb
@@patchward-transaction@@ pw-replacer 1.0-1 all none < 2.0-1 all none /srv/patchward-repo/apt/./pw-replacer_2.0-1_all.deb
@@patchward-transaction@@ pw-kernel 1.1-1 all none > 1.0-1 all none /srv/patchward-repo/apt/./pw-kernel_1.0-1_all.deb
@@patchward-transaction@@ pw-libdemo 1.0-2 amd64 same = 1.0-2 amd64 same /var/cache/apt/archives/pw-libdemo_1.0-2_amd64.deb
@@patchward-transaction@@ pw-newdep - - none < 1.0-1 all none **CONFIGURE**
@@patchward-transaction@@ pw-depender 1.0-1 all none < 2.0-1 all none **CONFIGURE**
@@patchward-transaction-end@@
`;

describe('apt gate hook output (Pre-Install-Pkgs protocol 3)', () => {
  it('reads installs, upgrades, downgrades, reinstalls and removals; configure lines are not changes', () => {
    assert.deepEqual(parseGatedAptTransaction(APT_GATE_OUTPUT), {
      installs: [{ name: 'pw-newdep', version: '1.0-1', arch: 'all' }],
      upgrades: [
        { name: 'pw-depender', version: '2.0-1', fromVersion: '1.0-1', arch: 'all' },
        { name: 'pw-replacer', version: '2.0-1', fromVersion: '1.0-1', arch: 'all' },
      ],
      downgrades: [{ name: 'pw-kernel', version: '1.0-1', fromVersion: '1.1-1', arch: 'all' }],
      reinstalls: [{ name: 'pw-libdemo', version: '1.0-2', fromVersion: '1.0-2', arch: 'amd64' }],
      removals: [{ name: 'pw-oldtool', fromVersion: '1.0-1', arch: 'all' }],
    });
  });

  it('has no transaction until the end marker has arrived (the verdict waits for all of it)', () => {
    const cut = APT_GATE_OUTPUT.slice(0, APT_GATE_OUTPUT.indexOf('@@patchward-transaction-end@@'));
    assert.equal(parseGatedAptTransaction(cut), undefined);
    assert.equal(aptFamily.gatedInstall?.transaction('Reading package lists...\n'), undefined);
  });

  it('the gated install runs the hook with protocol 3 and keeps fd 3 for the verdict; dnf has no gate', () => {
    const argv =
      aptFamily.gatedInstall?.argv([{ name: 'pw-libdemo', version: '1.0-2' }], { lockTimeoutSeconds: 5, allowDowngrades: false }) ?? [];
    assert.ok(argv.includes('APT::Keep-Fds::=3'));
    assert.ok(argv.includes('DPkg::Tools::Options:::::Version=3'));
    assert.ok(argv.some((arg) => arg.startsWith('DPkg::Pre-Install-Pkgs::=: patchward-gate;')));
    assert.ok(!argv.includes('--no-remove') && !argv.includes('-s'));
    assert.deepEqual(argv.slice(-2), ['install', 'pw-libdemo=1.0-2']);
    assert.equal(dnfFamily.gatedInstall, undefined);
  });
});
