import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChecked } from './os-process.js';

/*
 * The per-host directory under a run dir:
 *   upper/ work/   the host's overlay upper and work dirs (its own dpkg/rpm database, files, keys)
 *   merged/        mount point of the host's root, visible only inside the host's mount namespace
 *   boot_id        bind-mounted over /proc/sys/kernel/random/boot_id; new content at each start
 *   control/       bind-mounted at /run/patchward-sandbox: the host asks for a reboot by creating
 *                  control/reboot-requested (the `systemctl` stand-in below), host-init.sh restarts it
 *   init.pid, launcher.pid   "<pid> <start-time>" written by host-init.sh
 *   host.log       output of host-init.sh and sshd -e
 * Files a host must have from its first start are written straight into upper/ before the overlay
 * is mounted (never while it is mounted).
 */

export const HOST_KEY_PATH = 'etc/ssh/ssh_host_ed25519_key';

export interface HostKey {
  /** OpenSSH public key line without comment: `ssh-ed25519 AAAA...`. */
  readonly publicKey: string;
  /** `SHA256:...` as ssh-keygen -l prints it. */
  readonly fingerprint: string;
}

/** Creates a fresh host dir: overlay dirs, hostname, machine id, hosts file, authorized keys, a new host key. */
export async function prepareHostDir(hostDir: string, name: string, clientPublicKey: string): Promise<HostKey> {
  for (const dir of ['upper', 'work', 'merged']) mkdirSync(join(hostDir, dir), { recursive: true });
  const upper = join(hostDir, 'upper');
  mkdirSync(join(upper, 'etc/ssh/authorized_keys.d'), { recursive: true, mode: 0o755 });
  writeFileSync(join(upper, 'etc/hostname'), `${name}\n`);
  // Real hosts have one, distinct; the base image has none.
  writeFileSync(join(upper, 'etc/machine-id'), `${randomBytes(16).toString('hex')}\n`);
  writeFileSync(join(upper, 'etc/hosts'), `127.0.0.1\tlocalhost\n127.0.1.1\t${name}\n::1\tlocalhost ip6-localhost ip6-loopback\n`);
  writeRebootStandIn(upper);
  for (const user of ['root', 'patchward']) {
    const path = join(upper, 'etc/ssh/authorized_keys.d', user);
    writeFileSync(path, `${clientPublicKey.trim()}\n`);
    chmodSync(path, 0o644);
  }
  return generateHostKey(hostDir, name);
}

/** Writes a new ed25519 host key into the (unmounted) upper dir and returns it. */
export async function generateHostKey(hostDir: string, name: string): Promise<HostKey> {
  const keyPath = join(hostDir, 'upper', HOST_KEY_PATH);
  rmSync(keyPath, { force: true });
  rmSync(`${keyPath}.pub`, { force: true });
  await runChecked('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `root@${name}`, '-f', keyPath]);
  return readHostKey(hostDir);
}

export function readHostKey(hostDir: string): HostKey {
  const pubPath = join(hostDir, 'upper', `${HOST_KEY_PATH}.pub`);
  const [type, blob] = readFileSync(pubPath, 'utf8').trim().split(/\s+/);
  return { publicKey: `${type} ${blob}`, fingerprint: fingerprintOf(blob ?? '') };
}

/** `SHA256:<unpadded base64>` of a public key blob, exactly as `ssh-keygen -l -E sha256` prints it. */
export function fingerprintOf(base64Blob: string): string {
  const digest = createHash('sha256').update(Buffer.from(base64Blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** Writes a new boot id (a "reboot" of the host shows as a new /proc/sys/kernel/random/boot_id). */
export function writeBootId(hostDir: string): string {
  const bootId = randomUUID();
  writeFileSync(join(hostDir, 'boot_id'), `${bootId}\n`);
  return bootId;
}

export function readBootId(hostDir: string): string {
  return readFileSync(join(hostDir, 'boot_id'), 'utf8').trim();
}

/** Generates the controller's test login key in the run dir (ed25519, no passphrase). */
export async function generateClientKey(runDir: string): Promise<{ keyPath: string; publicKey: string }> {
  const keyPath = join(runDir, 'client_ed25519');
  await runChecked('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'patchward-sandbox-client', '-f', keyPath]);
  return { keyPath, publicKey: readFileSync(`${keyPath}.pub`, 'utf8').trim() };
}

/**
 * The hosts have no systemd: `systemctl reboot` (and `reboot`) are this stand-in in /usr/local/sbin
 * (first on root's and sudo's PATH). It asks the harness for a reboot through the control dir and,
 * like the real command, returns at once; a moment later it ends the host's PID 1 (sshd handles
 * SIGTERM), which ends every process and mount of the host, and host-init.sh starts it again with a
 * new boot id, a fresh /run and the same disk. Any other systemctl verb fails, saying why.
 */
const SYSTEMCTL_STAND_IN = `#!/bin/sh
# patchward sandbox: stand-in for systemctl/reboot (no systemd in a sandbox host), see test/harness/host-dir.ts
verb=$1
[ "$(basename "$0")" = reboot ] && verb=reboot
if [ "$verb" != reboot ]; then
  echo "patchward sandbox: only 'systemctl reboot' is supported here (no systemd)" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "Failed to reboot: Access denied (run as root)" >&2
  exit 1
fi
: > /run/patchward-sandbox/reboot-requested || exit 1
( sleep 1; kill -TERM 1 ) </dev/null >/dev/null 2>&1 &
exit 0
`;

function writeRebootStandIn(upper: string): void {
  const dir = join(upper, 'usr/local/sbin');
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (const name of ['systemctl', 'reboot']) {
    writeFileSync(join(dir, name), SYSTEMCTL_STAND_IN);
    chmodSync(join(dir, name), 0o755);
  }
}
