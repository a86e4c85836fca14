import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { mountsUnder } from '../../harness/host-runtime.js';
import { runCliCaptured } from '../../helpers/run-cli.js';
import { resolveLayers } from '../../harness/layers.js';
import { runCommand, type CommandResult } from '../../harness/os-process.js';
import { ensureSandboxImage, startHosts, type SandboxFleet } from '../../harness/sandbox.js';

/*
 * The sandbox hosts themselves: real sshd, real dpkg/rpm databases, real ssh client with pinned keys.
 * A "reboot" here is the harness restarting the host's namespaces with a new boot id: there is no
 * kernel or systemd inside a sandbox host (test/README.md, "Sandbox hosts").
 */

const isRoot = process.getuid?.() === 0;

/** These tests need root (namespaces, overlay mounts); without it they fail, they never skip. */
function requireRoot(): void {
  assert.ok(isRoot, 'sandbox host tests need root: run the suite as root (CI does)');
}

function ssh(
  fleet: SandboxFleet,
  host: string,
  command: string,
  options: { user?: 'root' | 'patchward'; timeoutMs?: number; knownHosts?: string } = {},
): Promise<CommandResult> {
  const args = fleet.sshArgs(host, options.user ?? 'root');
  if (options.knownHosts !== undefined)
    args.splice(args.indexOf(`UserKnownHostsFile=${fleet.knownHostsPath}`), 1, `UserKnownHostsFile=${options.knownHosts}`);
  return runCommand('ssh', [...args, command], { timeoutMs: options.timeoutMs ?? 15_000 });
}

async function sh(fleet: SandboxFleet, host: string, script: string): Promise<string> {
  const result = await fleet.exec(host, ['/bin/sh', '-c', script]);
  assert.equal(result.code, 0, `${host}: ${script}: ${result.stderr}`);
  return result.stdout.trim();
}

/** PIDs whose root directory is under dir: processes of hosts that should be gone. */
function processesRootedUnder(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/root`).startsWith(`${dir}/`)) pids.push(Number(entry));
    } catch {
      // gone or not ours to read
    }
  }
  return pids;
}

describe('sandbox hosts', { timeout: 120_000 }, () => {
  let fleet: SandboxFleet;
  const apt = ['pw-apt-01', 'pw-apt-02', 'pw-apt-03'] as const;
  const rpm = 'pw-rpm-01';

  before(async () => {
    requireRoot();
    await ensureSandboxImage();
    fleet = await startHosts({
      groups: [
        { count: 3, flavour: 'apt' },
        { count: 1, flavour: 'rpm' },
      ],
    });
  });

  after(async () => {
    await fleet?.stop();
  });

  it('lets the real ssh client in with the pinned host key, as root and as patchward with sudo -n', async () => {
    for (const host of fleet.hosts) {
      const root = await ssh(fleet, host.name, 'id -un; hostname');
      assert.equal(root.code, 0, root.stderr);
      assert.equal(root.stdout, `root\n${host.name}\n`);
      const user = await ssh(fleet, host.name, 'id -un; sudo -n id -un', { user: 'patchward' });
      assert.equal(user.code, 0, user.stderr);
      assert.equal(user.stdout, 'patchward\nroot\n');
      assert.equal(user.stderr, '');
    }
  });

  it('launches hosts holding no fd of the harness (an inherited lock fd would never be released)', () => {
    for (const host of fleet.hosts) {
      const launcher = readFileSync(join(fleet.runDir, 'hosts', host.name, 'launcher.pid'), 'utf8').split(' ')[0];
      assert.deepEqual(readdirSync(`/proc/${launcher}/fd`).sort(), ['0', '1', '2']);
    }
  });

  it('gives every host its own host key, none of them the base image key', async () => {
    const keys = fleet.hosts.map((h) => h.hostKeyPublic);
    assert.equal(new Set(keys).size, keys.length);
    const basePub = join(resolveLayers().base, 'etc/ssh/ssh_host_ed25519_key.pub');
    if (existsSync(basePub)) {
      const baseKey = readFileSync(basePub, 'utf8').split(' ').slice(0, 2).join(' ');
      assert.ok(!keys.includes(baseKey));
    }
    for (const host of fleet.hosts) {
      const served = await runCommand('ssh-keyscan', ['-t', 'ed25519', '-p', String(host.port), host.address]);
      assert.match(served.stdout, new RegExp(host.hostKeyPublic.replace(/[+/]/g, '\\$&')));
      assert.match(host.hostKeyFingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
    }
  });

  it('gives every host its own dpkg database: an upgrade on one leaves the others alone', async () => {
    const up = await ssh(
      fleet,
      apt[0],
      'DEBIAN_FRONTEND=noninteractive apt-get install -y -q pw-libdemo=1.0-2 >/dev/null 2>&1; dpkg-query -W -f "\\${Version} \\${source:Package}" pw-libdemo',
      { timeoutMs: 60_000 },
    );
    assert.equal(up.stdout, '1.0-2 pw-demo-src');
    assert.equal(await sh(fleet, apt[1], 'dpkg-query -W -f "\\${Version}" pw-libdemo'), '1.0-1');
    assert.equal(await sh(fleet, apt[2], 'dpkg-query -W -f "\\${Version}" pw-libdemo'), '1.0-1');
  });

  it('makes the rpm host a RHEL-family stand-in with its own rpm database and only the local dnf repo', async () => {
    assert.match(await sh(fleet, rpm, '. /etc/os-release; echo "$ID $VERSION_ID $ID_LIKE"'), /^rocky 9\.4 rhel centos fedora$/);
    assert.equal(await sh(fleet, rpm, 'rpm -q --qf "%{VERSION}-%{RELEASE} %{SOURCERPM}" pw-libdemo'), '1.0-1 pw-demo-src-1.0-1.src.rpm');
    const upgrades = await sh(fleet, rpm, 'dnf -q --cacheonly check-update pw-kernel; true');
    assert.match(upgrades, /pw-kernel\.noarch\s+1\.1-1\s+patchward-sandbox/);
    assert.equal(await sh(fleet, rpm, 'dnf -q repolist --enabled | tail -n +2 | cut -d" " -f1'), 'patchward-sandbox');
  });

  it('exercises a reboot as a namespace restart: new boot id, /run/reboot-required gone, disk kept', async () => {
    await sh(fleet, apt[1], 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q pw-kernel >/dev/null 2>&1');
    assert.equal(await sh(fleet, apt[1], 'cat /var/run/reboot-required.pkgs'), 'pw-kernel');
    const before = await sh(fleet, apt[1], 'cat /proc/sys/kernel/random/boot_id');
    assert.equal(before, fleet.bootId(apt[1]));
    const { bootId } = await fleet.restartHost(apt[1]);
    assert.notEqual(bootId, before);
    assert.equal(await sh(fleet, apt[1], 'cat /proc/sys/kernel/random/boot_id'), bootId);
    assert.equal(await sh(fleet, apt[1], 'test -e /var/run/reboot-required && echo yes || echo no'), 'no');
    assert.equal(await sh(fleet, apt[1], 'dpkg-query -W -f "\\${Version}" pw-kernel'), '1.1-1');
    assert.equal((await ssh(fleet, apt[1], 'true')).code, 0);
  });

  it('gives every host its own loopback address: sshd listens there only, so a service can fail on one host', async () => {
    const addresses = fleet.hosts.map((host) => host.address);
    assert.equal(new Set(addresses).size, addresses.length, `distinct: ${addresses.join(' ')}`);
    for (const address of addresses) assert.match(address, /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/);
    const first = fleet.host(apt[0]);
    assert.equal((await ssh(fleet, apt[0], 'true')).code, 0);
    // The same port on another loopback address has nothing behind it.
    const elsewhere = await runCommand('ssh-keyscan', ['-T', '3', '-p', String(first.port), fleet.host(apt[1]).address]);
    assert.equal(elsewhere.stdout.trim(), '');
  });

  it('reboots from inside: `sudo systemctl reboot` over SSH comes back with a new boot id, /run emptied, disk kept', async () => {
    const host = apt[2];
    await sh(fleet, host, 'DEBIAN_FRONTEND=noninteractive apt-get install -y -q pw-kernel >/dev/null 2>&1');
    assert.equal(await sh(fleet, host, 'test -e /var/run/reboot-required && echo yes'), 'yes');
    const before = fleet.bootId(host);
    const asked = await ssh(fleet, host, 'sudo -n systemctl reboot', { user: 'patchward' });
    assert.equal(asked.code, 0, asked.stderr);
    let after = before;
    for (let tries = 0; tries < 300 && after === before; tries++) {
      await new Promise((done) => setTimeout(done, 100));
      const answer = await ssh(fleet, host, 'cat /proc/sys/kernel/random/boot_id', { timeoutMs: 5000 });
      if (answer.code === 0) after = answer.stdout.trim();
    }
    assert.notEqual(after, before, 'the host answered with a new boot id');
    assert.equal(after, fleet.bootId(host));
    assert.equal(await sh(fleet, host, 'test -e /var/run/reboot-required && echo yes || echo no'), 'no');
    assert.equal(await sh(fleet, host, 'dpkg-query -W -f "\\${Version}" pw-kernel'), '1.1-1');
    const refused = await ssh(fleet, host, 'systemctl restart nginx');
    assert.notEqual(refused.code, 0, 'other systemctl verbs fail');
  });

  it('rotates a host key so that the pinned one is refused', async () => {
    const pinned = join(fleet.runDir, 'known_hosts.pinned');
    writeFileSync(pinned, readFileSync(fleet.knownHostsPath));
    const old = fleet.host(apt[2]).hostKeyPublic;
    const rotated = await fleet.rotateHostKey(apt[2]);
    assert.notEqual(rotated.hostKeyPublic, old);
    const refused = await ssh(fleet, apt[2], 'true', { knownHosts: pinned });
    assert.equal(refused.code, 255);
    assert.match(refused.stderr, /Host key verification failed/);
    assert.equal((await ssh(fleet, apt[2], 'true')).code, 0);
  });

  it('injects faults: a hanging command, a held dpkg lock, a half-configured package', async () => {
    const undo = await fleet.makeCommandHang(apt[2], 'dpkg-query');
    const hung = await ssh(fleet, apt[2], 'dpkg-query -W pw-libdemo', { timeoutMs: 1500 });
    assert.equal(hung.signal, 'SIGKILL');
    await undo();
    assert.equal((await ssh(fleet, apt[2], 'dpkg-query -W pw-libdemo')).code, 0);

    const release = await fleet.holdPackageLock(apt[2]);
    const locked = await fleet.exec(apt[2], ['apt-get', 'install', '-y', 'pw-newdep']);
    assert.notEqual(locked.code, 0);
    assert.match(locked.stderr, /Could not get lock \/var\/lib\/dpkg\/lock-frontend/);
    await release();

    await fleet.breakPackageDb(apt[2], 'half-configured');
    assert.match(await sh(fleet, apt[2], 'dpkg-query -W -f "\\${db:Status-Status}" pw-broken'), /^half-configured$/);
  });

  it('writes a Fleet document that `patchward validate` accepts, pinning the current host keys', async () => {
    const dir = join(fleet.runDir, 'policy');
    mkdirSync(dir);
    fleet.writeFleetYaml(join(dir, 'fleet.yaml'), { user: 'patchward' });
    const run = await runCliCaptured(['validate', dir]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const doc = parse(readFileSync(join(dir, 'fleet.yaml'), 'utf8')) as {
      spec: { hosts: { name: string; labels: Record<string, string>; ssh: { user: string; sudo: boolean; hostKeys: string[] } }[] };
    };
    assert.deepEqual(
      doc.spec.hosts.map((h) => h.ssh.hostKeys),
      fleet.hosts.map((h) => [h.hostKeyPublic]),
    );
    assert.deepEqual(
      doc.spec.hosts.map((h) => h.labels['os']),
      ['debian-12', 'debian-12', 'debian-12', 'rocky-9'],
    );
    assert.ok(doc.spec.hosts.every((h) => h.ssh.user === 'patchward' && h.ssh.sudo));
  });

  it('stops without leaving processes, mounts or the run dir behind', async () => {
    const runDir = fleet.runDir;
    const pids = fleet.hosts.flatMap((h) => fleet.pids(h.name));
    assert.ok(pids.length >= 4);
    await fleet.stop();
    assert.deepEqual(mountsUnder(runDir), []);
    assert.deepEqual(processesRootedUnder(runDir), []);
    assert.deepEqual(
      pids.filter((pid) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')),
      [],
    );
    assert.equal(existsSync(runDir), false);
  });
});

describe('sandbox hosts after a crash', { timeout: 60_000 }, () => {
  it('comes up again in the same run dir after the owner was killed -9 and a mount was left', async () => {
    requireRoot();
    const parent = mkdtempSync(join(tmpdir(), 'patchward-sandbox-crash-'));
    const runDir = join(parent, 'fleet');
    const module = new URL('../../harness/sandbox.js', import.meta.url).href;
    const owner = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
      const { startHosts } = await import(${JSON.stringify(module)});
      await startHosts({ count: 2, flavour: 'apt', runDir: ${JSON.stringify(runDir)} });
      console.log('up');
      setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      owner.stdout.on('data', (chunk: Buffer) => (chunk.toString().includes('up') ? resolve() : undefined));
      owner.once('exit', (code) => reject(new Error(`owner exited ${code}`)));
    });
    const stale = readdirSync(join(runDir, 'hosts')).map((name) =>
      Number(readFileSync(join(runDir, 'hosts', name, 'init.pid'), 'utf8').split(' ')[0]),
    );
    owner.kill('SIGKILL');
    await new Promise((resolve) => owner.once('exit', resolve));
    assert.ok(
      stale.every((pid) => existsSync(`/proc/${pid}`)),
      'hosts outlive a killed owner',
    );
    mkdirSync(join(runDir, 'leftover'));
    const bind = await runCommand('mount', ['--bind', join(runDir, 'hosts'), join(runDir, 'leftover')]);
    assert.equal(bind.code, 0, bind.stderr);

    const fleet = await startHosts({ count: 2, flavour: 'apt', runDir });
    try {
      assert.ok(stale.every((pid) => !existsSync(`/proc/${pid}`) || readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ')));
      assert.deepEqual(mountsUnder(runDir), []);
      for (const host of fleet.hosts) assert.equal((await ssh(fleet, host.name, 'true')).code, 0);
      fleet.writeFleetYaml(join(parent, 'fleet.yaml'));
      const doc = parse(readFileSync(join(parent, 'fleet.yaml'), 'utf8')) as {
        kind: string;
        spec: { hosts: { port: number; ssh: { hostKeys: string[] } }[] };
      };
      assert.equal(doc.kind, 'Fleet');
      assert.deepEqual(
        doc.spec.hosts.map((h) => h.port),
        fleet.hosts.map((h) => h.port),
      );
      assert.deepEqual(
        doc.spec.hosts.map((h) => h.ssh.hostKeys[0]),
        fleet.hosts.map((h) => h.hostKeyPublic),
      );
    } finally {
      await fleet.stop();
      rmSync(parent, { recursive: true, force: true });
    }
  });
});
