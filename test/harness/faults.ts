import { spawn } from 'node:child_process';
import { SandboxError } from './errors.js';
import type { ExecOptions } from './host-runtime.js';
import type { SandboxFlavour } from './layers.js';
import type { CommandResult } from './os-process.js';

/** Runs argv as root inside one host (SandboxFleet.exec bound to a host). */
export type HostExec = (argv: readonly string[], options?: ExecOptions) => Promise<CommandResult>;

/**
 * Broken package-database states, each made with the real tools where they can make it:
 *  - `unpacked`        apt: `dpkg --unpack` of pw-libdemo 1.0-2 without configuring it (status "install ok unpacked").
 *                      rpm: not applicable (rpm has no such state); refused.
 *  - `half-configured` apt: pw-broken 1.0-2 unpacked, then `dpkg --configure` fails in its postinst.
 *                      rpm: not applicable; refused.
 *  - `half-installed`  apt: pw-libdemo's status rewritten to "install reinstreq half-installed" (what an
 *                      interrupted unpack leaves). rpm: pw-libdemo 1.0-2 registered with `rpm --justdb`
 *                      beside 1.0-1 (the duplicate an interrupted dnf transaction leaves).
 *  - `corrupt-db`      apt: an unparsable line in /var/lib/dpkg/status. rpm: the rpmdb.sqlite header overwritten.
 */
export type PackageDbBreakage = 'unpacked' | 'half-configured' | 'half-installed' | 'corrupt-db';

const SCRIPTS: Record<SandboxFlavour, Partial<Record<PackageDbBreakage, string>>> = {
  apt: {
    unpacked: 'dpkg --unpack /srv/patchward-repo/apt/pw-libdemo_1.0-2_all.deb',
    'half-configured': 'dpkg --unpack /srv/patchward-repo/apt/pw-broken_1.0-2_all.deb && { dpkg --configure pw-broken && exit 1; true; }',
    'half-installed': "sed -i '/^Package: pw-libdemo$/,/^$/ s/^Status: .*/Status: install reinstreq half-installed/' /var/lib/dpkg/status",
    'corrupt-db': "printf '\\nthis line is not a field\\n' >> /var/lib/dpkg/status",
  },
  rpm: {
    'half-installed': 'rpm -i --justdb --noscripts --nodeps --force /srv/patchward-repo/rpm/pw-libdemo-1.0-2.noarch.rpm',
    'corrupt-db':
      'f=$(ls /var/lib/rpm/rpmdb.sqlite) && printf "not an sqlite database, broken by the patchward sandbox" | dd of="$f" conv=notrunc status=none && rm -f /var/lib/rpm/rpmdb.sqlite-shm /var/lib/rpm/rpmdb.sqlite-wal',
  },
};

export async function breakPackageDb(exec: HostExec, flavour: SandboxFlavour, how: PackageDbBreakage): Promise<void> {
  const script = SCRIPTS[flavour][how];
  if (script === undefined)
    throw new SandboxError('BadArgument', `breakPackageDb: '${how}' does not exist for the ${flavour} flavour`, { flavour, how });
  const result = await exec(['/bin/sh', '-c', script]);
  if (result.code !== 0)
    throw new SandboxError('CommandFailed', `breakPackageDb ${how} failed: ${result.stderr.trim()}`, {
      flavour,
      how,
      stderr: result.stderr,
    });
}

/**
 * Swaps the host's `command` (as found on root's PATH) for a shell wrapper that sleeps forever; the
 * real one is kept as `<path>.pw-real`. Only this host is affected (its own upper dir). Returns undo.
 */
export async function makeCommandHang(exec: HostExec, command: string): Promise<() => Promise<void>> {
  if (!/^[A-Za-z0-9._+-]+$/.test(command))
    throw new SandboxError('BadArgument', `makeCommandHang: not a command name: ${command}`, { command });
  const script = `set -e
p=$(command -v "$1")
[ -e "$p.pw-real" ] || mv "$p" "$p.pw-real"
printf '#!/bin/sh\\n# patchward sandbox: makeCommandHang(%s); the real one is %s.pw-real\\nexec sleep infinity\\n' "$1" "$p" > "$p"
chmod 0755 "$p"
echo "$p"`;
  const result = await exec(['/bin/sh', '-c', script, 'hang', command]);
  if (result.code !== 0)
    throw new SandboxError('CommandFailed', `makeCommandHang ${command}: ${result.stderr.trim()}`, { command, stderr: result.stderr });
  const path = result.stdout.trim();
  return async () => {
    const undo = await exec(['/bin/sh', '-c', 'mv -f "$1.pw-real" "$1"', 'unhang', path]);
    if (undo.code !== 0)
      throw new SandboxError('CommandFailed', `undo makeCommandHang ${command}: ${undo.stderr.trim()}`, { command, path });
  };
}

/*
 * apt and dpkg lock with fcntl (POSIX) locks, and so does rpm: a flock(1) lock would not block them.
 * python3 (in every host image) takes the same fcntl locks and holds them until killed.
 */
const LOCK_FILES: Record<SandboxFlavour, readonly string[]> = {
  apt: ['/var/lib/dpkg/lock-frontend', '/var/lib/dpkg/lock'],
  rpm: ['/var/lib/rpm/.rpm.lock'],
};

const LOCK_HOLDER = `import fcntl, os, sys, time
held = []
for path in sys.argv[1:]:
    f = open(path, 'a')
    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    held.append(f)
print(os.getpid(), flush=True)
while True:
    time.sleep(3600)
`;

/** Holds the package manager's lock files in a process inside the host; returns the release. */
export async function holdPackageLock(initPid: number, exec: HostExec, flavour: SandboxFlavour): Promise<() => Promise<void>> {
  const env = ['PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LANG=C.UTF-8'];
  const child = spawn(
    'nsenter',
    [
      '-t',
      String(initPid),
      '-m',
      '-u',
      '-p',
      '-r',
      '-w',
      '--',
      '/usr/bin/env',
      '-i',
      ...env,
      'python3',
      '-c',
      LOCK_HOLDER,
      ...LOCK_FILES[flavour],
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const innerPid = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve(out.trim());
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) => reject(new SandboxError('CommandFailed', `lock holder exited ${code}: ${err.trim()}`, { flavour })));
  });
  child.stdout.destroy();
  child.stderr.destroy();
  child.unref();
  // The release returns once the holder is gone (its locks go with it), not when the signal is sent:
  // a caller that takes the lock right after must not race the dying process.
  const waitGone = `kill -KILL "$1" 2>/dev/null
for i in $(seq 1 200); do
  [ -e "/proc/$1" ] || exit 0
  case "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" in Z|X|'') exit 0 ;; esac
  sleep 0.05
done
echo "lock holder $1 still alive" >&2; exit 1`;
  return async () => {
    const gone = await exec(['/bin/sh', '-c', waitGone, 'release-lock', innerPid]);
    if (gone.code !== 0) throw new SandboxError('CommandFailed', `holdPackageLock release: ${gone.stderr.trim()}`, { flavour, innerPid });
  };
}

/**
 * Serves the host's /srv/www over HTTP with python3's http.server INSIDE the host, bound to the
 * host's own address only; waits until it answers. `GET /<file>` is 200 while /srv/www/<file>
 * exists and 404 once it is removed (a health endpoint a test can break on one host). Returns stop.
 */
export async function serveHttp(exec: HostExec, address: string, port: number): Promise<() => Promise<void>> {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SandboxError('BadArgument', `serveHttp: bad port ${port}`, { port });
  const script = 'mkdir -p /srv/www && cd /srv/www && { nohup python3 -m http.server --bind "$1" "$2" >/dev/null 2>&1 & echo $!; }';
  const started = await exec(['/bin/sh', '-c', script, 'serve', address, String(port)]);
  const pid = started.stdout.trim();
  if (started.code !== 0 || !/^\d+$/.test(pid))
    throw new SandboxError('CommandFailed', `serveHttp: could not start http.server: ${started.stderr.trim()}`, { address, port });
  for (let tries = 0; tries < 200; tries++) {
    const answer = await fetch(`http://${address}:${port}/`).catch(() => undefined);
    if (answer !== undefined) {
      await answer.body?.cancel();
      return async () => {
        await exec(['kill', pid]);
      };
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  await exec(['kill', pid]);
  throw new SandboxError('NotReady', `serveHttp: http.server on ${address}:${port} did not answer`, { address, port });
}
