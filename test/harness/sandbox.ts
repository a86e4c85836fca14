/**
 * Sandbox test hosts: real Debian root filesystems on this machine, each in its own mount, PID and
 * UTS namespaces with its own overlay upper dir (own dpkg/rpm database), its own SSH host key and
 * its own sshd on its own loopback address (127.A.B.n, one per host) and port. See the "Sandbox hosts" section of test/README.md.
 *
 *   await ensureSandboxImage();
 *   const fleet = await startHosts({ count: 3, flavour: 'apt' });
 *   try { ... ssh root@<fleet.hosts[0].address> -p fleet.hosts[0].port -i fleet.clientKeyPath ... }
 *   finally { await fleet.stop(); }
 *
 * Needs root. Hosts are detached processes recorded (PID + start time) in <runDir>/hosts/<name>;
 * `loadFleet(runDir)` picks a fleet up from another process (the CLI's `down`).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SandboxError } from './errors.js';
import { cleanRunDir, forgetOnExit, killOnExit, OWNER_FILE, reapAbandonedFleets, TEMP_PREFIX } from './run-dirs.js';
import { breakPackageDb, holdPackageLock, makeCommandHang, type PackageDbBreakage, serveHttp } from './faults.js';
import { renderFleetYaml, type FleetYamlOptions } from './fleet-yaml.js';
import { generateClientKey, generateHostKey, prepareHostDir, readBootId } from './host-dir.js';
import {
  execInHost,
  freeLoopbackPorts,
  initRecord,
  isHostRunning,
  isPortClash,
  launchHost,
  loopbackAddresses,
  removeRunDir,
  stopAllRecorded,
  stopHostProcesses,
  unmountUnder,
  type ExecOptions,
  type HostSpec,
} from './host-runtime.js';
import { missingLayers, resolveLayers, type SandboxFlavour, type SandboxLayers } from './layers.js';
import { isAlive, pidsInNamespaceOf, processStartTime, signalRecorded, type CommandResult } from './os-process.js';

export type { SandboxFlavour } from './layers.js';
export type { PackageDbBreakage } from './faults.js';
export type { FleetYamlOptions } from './fleet-yaml.js';
export type { CommandResult } from './os-process.js';
export type { ExecOptions } from './host-runtime.js';
export { SandboxError, type SandboxErrorCode } from './errors.js';
export { cleanRunDir, reapAbandonedFleets } from './run-dirs.js';

export interface SandboxHost {
  readonly name: string;
  /** The host's own loopback address (127.A.B.n): sshd listens there, and so may its test services. */
  readonly address: string;
  readonly port: number;
  readonly flavour: SandboxFlavour;
  /** The OS release key the inventory should report: `debian-12` (apt) or `rocky-9` (rpm stand-in). */
  readonly os: 'debian-12' | 'rocky-9';
  /** The host's current SSH host key, OpenSSH public key line: `ssh-ed25519 AAAA...`. */
  readonly hostKeyPublic: string;
  /** `SHA256:...` of that key. */
  readonly hostKeyFingerprint: string;
}

export interface HostGroup {
  readonly count: number;
  readonly flavour: SandboxFlavour;
  /** Host names are `<namePrefix>-<nn>` (default prefix `pw-<flavour>`). */
  readonly namePrefix?: string;
}

export interface StartHostsOptions {
  /** One group of hosts (`count` + `flavour`), or several with `groups`. */
  readonly count?: number;
  readonly flavour?: SandboxFlavour;
  readonly namePrefix?: string;
  readonly groups?: readonly HostGroup[];
  /** Where the hosts live; a leftover fleet there (crashed run) is stopped and removed first. Default: a new temp dir. */
  readonly runDir?: string;
  /** SIGKILL the hosts when this Node process exits (default true; the CLI's `up` passes false). */
  readonly stopOnExit?: boolean;
}

interface StoredHost {
  readonly name: string;
  readonly flavour: SandboxFlavour;
  /** Absent in state files written before hosts had their own address: 127.0.0.1. */
  readonly address?: string;
  readonly port: number;
  hostKeyPublic: string;
  hostKeyFingerprint: string;
}

interface StoredFleet {
  readonly version: 1;
  readonly clientKeyPath: string;
  readonly clientPublicKey: string;
  readonly hosts: StoredHost[];
}

const STATE_FILE = 'state.json';

/** Builds the cached base, provisioning layers and package repository when missing (bash test/harness/ensure.sh). */
export async function ensureSandboxImage(options: { quiet?: boolean } = {}): Promise<void> {
  const layers = resolveLayers();
  if (missingLayers(layers).length === 0) return;
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn('bash', [join(layers.scriptsDir, 'ensure.sh')], {
      stdio: ['ignore', options.quiet === true ? 'ignore' : 'inherit', 'inherit'],
    });
    child.once('error', fail);
    child.once('close', done);
  });
  if (code !== 0) throw new SandboxError('CommandFailed', `bash test/harness/ensure.sh exited ${code}`, { scriptsDir: layers.scriptsDir });
}

/** Brings up hosts and resolves when every sshd accepts connections. */
export async function startHosts(options: StartHostsOptions): Promise<SandboxFleet> {
  if (process.getuid?.() !== 0) throw new SandboxError('NotRoot', 'the sandbox hosts need root (namespaces, overlay mounts, chroot)');
  const groups =
    options.groups ??
    (options.count !== undefined
      ? [
          {
            count: options.count,
            flavour: options.flavour ?? 'apt',
            ...(options.namePrefix === undefined ? {} : { namePrefix: options.namePrefix }),
          },
        ]
      : []);
  if (groups.length === 0 || groups.some((g) => !Number.isInteger(g.count) || g.count < 0)) {
    throw new SandboxError('BadArgument', 'startHosts needs count (and flavour) or groups', { options });
  }
  const layers = resolveLayers();
  const missing = missingLayers(layers);
  if (missing.length > 0)
    throw new SandboxError('ImageMissing', `sandbox layers missing (run bash test/harness/ensure.sh): ${missing.join(', ')}`, { missing });

  await reapAbandonedFleets();
  const runDir = options.runDir === undefined ? mkdtempSync(join(tmpdir(), TEMP_PREFIX)) : resolve(options.runDir);
  if (options.runDir !== undefined) await cleanRunDir(runDir);
  mkdirSync(join(runDir, 'hosts'), { recursive: true });
  if (options.stopOnExit !== false) writeFileSync(join(runDir, OWNER_FILE), `${process.pid} ${processStartTime(process.pid) ?? ''}\n`);
  const client = await generateClientKey(runDir);

  const names = groups.flatMap((g) =>
    Array.from({ length: g.count }, (_, i) => ({
      name: `${g.namePrefix ?? `pw-${g.flavour}`}-${String(i + 1).padStart(2, '0')}`,
      flavour: g.flavour,
    })),
  );
  if (new Set(names.map((n) => n.name)).size !== names.length)
    throw new SandboxError('BadArgument', 'host names collide: give the groups distinct namePrefix', { names });
  const addresses = loopbackAddresses(names.length);
  const ports = await freeLoopbackPorts(addresses);
  const state: StoredFleet = { version: 1, clientKeyPath: client.keyPath, clientPublicKey: client.publicKey, hosts: [] };
  const fleet = new SandboxFleet(runDir, layers, state);
  if (options.stopOnExit !== false) killOnExit(fleet);

  await forEachLimited(names, 16, async ({ name, flavour }, index) => {
    const hostDir = join(runDir, 'hosts', name);
    const key = await prepareHostDir(hostDir, name, client.publicKey);
    const address = addresses[index] ?? '127.0.0.1';
    let port = ports[index] ?? 0;
    for (let attempt = 1; ; attempt++) {
      const host: StoredHost = { name, flavour, address, port, hostKeyPublic: key.publicKey, hostKeyFingerprint: key.fingerprint };
      try {
        await launchHost(layers, { name, flavour, address, port, hostDir });
        state.hosts.push(host);
        fleet.saveState();
        return;
      } catch (error) {
        if (attempt >= 3 || !isPortClash(error, hostDir)) {
          await fleet.stop().catch(() => undefined);
          throw error;
        }
        port = (await freeLoopbackPorts([address]))[0] ?? 0;
      }
    }
  });
  state.hosts.sort((a, b) => a.name.localeCompare(b.name));
  fleet.saveState();
  return fleet;
}

/** The fleet recorded in runDir (by startHosts or `sandbox.sh up`), e.g. to stop it from another process. */
export function loadFleet(runDir: string): SandboxFleet {
  const path = join(resolve(runDir), STATE_FILE);
  let state: StoredFleet;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as StoredFleet;
  } catch (cause) {
    throw new SandboxError('BadState', `no readable sandbox state in ${path}`, { runDir }, { cause });
  }
  return new SandboxFleet(resolve(runDir), resolveLayers(), state);
}

export class SandboxFleet {
  readonly runDir: string;
  private readonly layers: SandboxLayers;
  private readonly state: StoredFleet;

  constructor(runDir: string, layers: SandboxLayers, state: StoredFleet) {
    this.runDir = runDir;
    this.layers = layers;
    this.state = state;
  }

  /** Private key of the controller's test login (root and `patchward` on every host). */
  get clientKeyPath(): string {
    return this.state.clientKeyPath;
  }

  get clientPublicKey(): string {
    return this.state.clientPublicKey;
  }

  /** OpenSSH known_hosts with every host's current key (`[<address>]:<port> ssh-ed25519 ...`). */
  get knownHostsPath(): string {
    return join(this.runDir, 'known_hosts');
  }

  get hosts(): readonly SandboxHost[] {
    return this.state.hosts.map((h) => toHost(h));
  }

  host(name: string): SandboxHost {
    return toHost(this.stored(name));
  }

  /** Argv for the real `ssh` client to reach a host with strict, pinned host keys. */
  sshArgs(name: string, user: 'root' | 'patchward' = 'root'): string[] {
    const host = this.stored(name);
    return [
      '-i',
      this.clientKeyPath,
      '-p',
      String(host.port),
      '-o',
      'IdentitiesOnly=yes',
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      `UserKnownHostsFile=${this.knownHostsPath}`,
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-o',
      'ConnectTimeout=10',
      '-o',
      'LogLevel=ERROR',
      `${user}@${addressOf(host)}`,
    ];
  }

  isRunning(name: string): boolean {
    return isHostRunning(this.hostDir(name));
  }

  /** The boot id the host reports in /proc/sys/kernel/random/boot_id (changes at each restart). */
  bootId(name: string): string {
    return readBootId(this.hostDir(name));
  }

  /** Outer PIDs of every process of a running host (for memory figures and teardown checks). */
  pids(name: string): number[] {
    const init = initRecord(this.hostDir(name));
    return init === undefined ? [] : pidsInNamespaceOf(init);
  }

  /** Runs argv as root inside the host, without SSH (nsenter + its root): ground truth for tests. */
  exec(name: string, argv: readonly string[], options: ExecOptions = {}): Promise<CommandResult> {
    return execInHost(this.hostDir(name), argv, options);
  }

  /** "Power off": ends every process of the host; its disk (upper dir) stays. */
  async stopHost(name: string): Promise<void> {
    await stopHostProcesses(this.hostDir(name));
  }

  /** "Power on" a stopped host (new boot id); a no-op for a running one. */
  async startHost(name: string): Promise<{ bootId: string }> {
    const host = this.stored(name);
    if (this.isRunning(name)) return { bootId: this.bootId(name) };
    return launchHost(this.layers, this.spec(host));
  }

  /** "Reboot": stop, then start with a new boot id and a fresh /run (so /run/reboot-required is gone). */
  async restartHost(name: string): Promise<{ bootId: string }> {
    await this.stopHost(name);
    return this.startHost(name);
  }

  /** Gives the host a new SSH host key (and restarts it): pinned keys no longer match. */
  async rotateHostKey(name: string): Promise<SandboxHost> {
    const host = this.stored(name);
    await this.stopHost(name);
    const key = await generateHostKey(this.hostDir(name), name);
    host.hostKeyPublic = key.publicKey;
    host.hostKeyFingerprint = key.fingerprint;
    this.saveState();
    await this.startHost(name);
    return toHost(host);
  }

  /** Makes `command` on that host sleep forever (the binary is swapped for a wrapper); returns an undo. */
  makeCommandHang(name: string, command: string): Promise<() => Promise<void>> {
    return makeCommandHang((argv, options) => this.exec(name, argv, options), command);
  }

  /** Leaves the host's package database in a broken state (see PackageDbBreakage). */
  breakPackageDb(name: string, how: PackageDbBreakage): Promise<void> {
    return breakPackageDb((argv, options) => this.exec(name, argv, options), this.stored(name).flavour, how);
  }

  /** Holds the package manager's lock (dpkg lock-frontend + lock, or rpm's) until the returned release is called. */
  holdPackageLock(name: string): Promise<() => Promise<void>> {
    const init = initRecord(this.hostDir(name));
    if (init === undefined || !isAlive(init))
      return Promise.reject(new SandboxError('HostStopped', `host ${name} is not running`, { host: name }));
    return holdPackageLock(init.pid, (argv, options) => this.exec(name, argv, options), this.stored(name).flavour);
  }

  /**
   * A test service: python3's http.server inside the host, serving its /srv/www on the host's own
   * address and `port` only (the same port on another host's address has nothing). Returns stop.
   */
  serveHttp(name: string, port: number): Promise<() => Promise<void>> {
    return serveHttp((argv, options) => this.exec(name, argv, options), addressOf(this.stored(name)), port);
  }

  /** Writes a `Fleet` document (patchward.io/v1alpha1) pinning every host's current key. */
  writeFleetYaml(path: string, options: FleetYamlOptions = {}): void {
    writeFileSync(path, renderFleetYaml(this.hosts, this.clientKeyPath, options));
  }

  /** Stops every host, checks nothing is left mounted under the run dir, removes the run dir. */
  async stop(options: { keepRunDir?: boolean } = {}): Promise<void> {
    forgetOnExit(this);
    await stopAllRecorded(this.runDir);
    await unmountUnder(this.runDir);
    if (options.keepRunDir === true || process.env['PATCHWARD_KEEP_TESTENV'] === '1') return;
    await removeRunDir(this.runDir);
  }

  /** Synchronous SIGKILL of every recorded host: the process-exit hook. */
  killNow(): void {
    for (const host of this.state.hosts) {
      const init = initRecord(this.hostDir(host.name));
      if (init !== undefined) signalRecorded(init, 'SIGKILL');
    }
  }

  saveState(): void {
    writeFileSync(join(this.runDir, `${STATE_FILE}.tmp`), `${JSON.stringify(this.state, null, 2)}\n`);
    renameSync(join(this.runDir, `${STATE_FILE}.tmp`), join(this.runDir, STATE_FILE));
    const lines = this.state.hosts.map((h) => `[${addressOf(h)}]:${h.port} ${h.hostKeyPublic}\n`).join('');
    writeFileSync(this.knownHostsPath, lines);
  }

  private stored(name: string): StoredHost {
    const host = this.state.hosts.find((h) => h.name === name);
    if (host === undefined) throw new SandboxError('UnknownHost', `no sandbox host named ${name}`, { host: name, runDir: this.runDir });
    return host;
  }

  private hostDir(name: string): string {
    return join(this.runDir, 'hosts', this.stored(name).name);
  }

  private spec(host: StoredHost): HostSpec {
    return { name: host.name, flavour: host.flavour, address: addressOf(host), port: host.port, hostDir: this.hostDir(host.name) };
  }
}

function toHost(h: StoredHost): SandboxHost {
  return Object.freeze({
    name: h.name,
    address: addressOf(h),
    port: h.port,
    flavour: h.flavour,
    os: h.flavour === 'apt' ? ('debian-12' as const) : ('rocky-9' as const),
    hostKeyPublic: h.hostKeyPublic,
    hostKeyFingerprint: h.hostKeyFingerprint,
  });
}

function addressOf(host: StoredHost): string {
  return host.address ?? '127.0.0.1';
}

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async (): Promise<void> => {
    while (next < items.length && errors.length === 0) {
      const index = next++;
      try {
        await work(items[index] as T, index);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) throw errors[0];
}
