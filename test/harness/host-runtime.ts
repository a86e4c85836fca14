import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { SandboxError } from './errors.js';
import { writeBootId } from './host-dir.js';
import type { SandboxFlavour, SandboxLayers } from './layers.js';
import { isAlive, readProcessRecord, runCommand, signalRecorded, waitGone, type CommandResult, type ProcessRecord } from './os-process.js';

/** How one host is started: what sandbox.ts keeps in the run dir's state file. */
export interface HostSpec {
  readonly name: string;
  readonly flavour: SandboxFlavour;
  /** The host's own loopback address (127.x.y.z): sshd and the host's test services bind there. */
  readonly address: string;
  readonly port: number;
  readonly hostDir: string;
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

export function initRecord(hostDir: string): ProcessRecord | undefined {
  return readProcessRecord(join(hostDir, 'init.pid'));
}

function launcherRecord(hostDir: string): ProcessRecord | undefined {
  return readProcessRecord(join(hostDir, 'launcher.pid'));
}

export function isHostRunning(hostDir: string): boolean {
  const init = initRecord(hostDir);
  return init !== undefined && isAlive(init);
}

/** True once something on <address>:<port> greets with an SSH banner. */
function hasSshBanner(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    let settled = false;
    const finish = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => finish(false));
    socket.once('data', (chunk: Buffer) => finish(chunk.toString('latin1').startsWith('SSH-')));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
  });
}

function logTail(hostDir: string): string {
  try {
    return readFileSync(join(hostDir, 'host.log'), 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '';
  }
}

/**
 * Starts one host (a new "boot": new boot id, fresh /run, same upper dir) and waits until its sshd
 * answers. The host process is detached: it outlives this Node process unless stopped.
 */
export async function launchHost(layers: SandboxLayers, spec: HostSpec, timeoutMs = 20_000): Promise<{ bootId: string }> {
  const { hostDir } = spec;
  rmSync(join(hostDir, 'init.pid'), { force: true });
  rmSync(join(hostDir, 'launcher.pid'), { force: true });
  const bootId = writeBootId(hostDir);
  const log = openSync(join(hostDir, 'host.log'), 'a');
  let exited = false;
  try {
    const child = spawn(
      'bash',
      [
        join(layers.scriptsDir, 'host-init.sh'),
        'launch',
        hostDir,
        `${layers.prov[spec.flavour]}:${layers.base}`,
        layers.repo,
        spec.name,
        String(spec.port),
        spec.address,
      ],
      { detached: true, stdio: ['ignore', log, log], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' } },
    );
    child.once('exit', () => {
      exited = true;
    });
    child.once('error', () => {
      exited = true;
    });
    child.unref();
  } finally {
    closeSync(log);
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      throw new SandboxError('StartFailed', `host ${spec.name} exited while starting:\n${logTail(hostDir)}`, {
        host: spec.name,
        hostDir,
        port: spec.port,
      });
    }
    const init = initRecord(hostDir);
    if (init !== undefined && isAlive(init) && (await hasSshBanner(spec.address, spec.port)) && isAlive(init)) return { bootId };
    if (Date.now() > deadline) {
      await stopHostProcesses(hostDir);
      throw new SandboxError(
        'NotReady',
        `host ${spec.name} did not accept SSH on ${spec.address}:${spec.port} within ${timeoutMs} ms:\n${logTail(hostDir)}`,
        {
          host: spec.name,
          hostDir,
          port: spec.port,
        },
      );
    }
    await sleep(25);
  }
}

/**
 * Loopback addresses for `count` hosts, one each: `127.A.B.n` with A and B random per fleet (so that
 * fleets started at the same time by other test files do not share addresses) and n = 1…254,
 * moving on to the next B after 254 hosts. The whole of 127.0.0.0/8 answers on Linux's `lo`.
 */
export function loopbackAddresses(count: number, random: () => number = Math.random): string[] {
  const a = 2 + Math.floor(random() * 253);
  const b = Math.floor(random() * 256);
  return Array.from({ length: count }, (_, index) => `127.${a}.${(b + Math.floor(index / 254)) % 256}.${(index % 254) + 1}`);
}

/** True when a start failed because the port was taken (another process bound it first). */
export function isPortClash(error: unknown, hostDir: string): boolean {
  return error instanceof SandboxError && error.code === 'StartFailed' && /Address already in use/.test(logTail(hostDir));
}

/**
 * Stops a host by its recorded PIDs (start times checked): SIGKILL to the host's PID 1 ends every
 * process of its PID namespace, and with them its mount namespace and every mount in it.
 */
export async function stopHostProcesses(hostDir: string): Promise<void> {
  // The launcher first: it would start the host again if it saw a reboot request in between.
  const records = [launcherRecord(hostDir), initRecord(hostDir)].filter((r): r is ProcessRecord => r !== undefined);
  for (const record of records) signalRecorded(record, 'SIGKILL');
  if (!(await waitGone(records, 10_000))) {
    throw new SandboxError('CommandFailed', `host processes in ${hostDir} did not end after SIGKILL`, { hostDir, records });
  }
}

/** Stops every host recorded under <runDir>/hosts, running or not (a crashed run's leftovers included). */
export async function stopAllRecorded(runDir: string): Promise<void> {
  const hostsDir = join(runDir, 'hosts');
  if (!existsSync(hostsDir)) return;
  await Promise.all(readdirSync(hostsDir).map((name) => stopHostProcesses(join(hostsDir, name))));
}

/** Mount points at or under `dir` in this process's mount namespace, deepest first. */
export function mountsUnder(dir: string): string[] {
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  const points: string[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const field = line.split(' ')[4];
    if (field === undefined) continue;
    const point = field.replace(/\\([0-7]{3})/g, (_m, octal: string) => String.fromCharCode(parseInt(octal, 8)));
    if (point === dir || point.startsWith(prefix)) points.push(point);
  }
  return points.sort((a, b) => b.length - a.length);
}

/** Unmounts what is mounted under the run dir (only there: those mounts are the harness's). */
export async function unmountUnder(runDir: string): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const points = mountsUnder(runDir);
    if (points.length === 0) return;
    for (const point of points) {
      const result = await runCommand('umount', [point]);
      if (result.code !== 0) await runCommand('umount', ['-l', point]);
    }
  }
  const left = mountsUnder(runDir);
  if (left.length > 0) throw new SandboxError('BadState', `mounts under ${runDir} would not go: ${left.join(', ')}`, { runDir, left });
}

/** Removes a run dir that has no mounts left, never crossing into another file system. */
export async function removeRunDir(runDir: string): Promise<void> {
  if (mountsUnder(runDir).length > 0)
    throw new SandboxError('BadState', `refusing to remove ${runDir}: something is mounted under it`, { runDir });
  const result = await runCommand('rm', ['-rf', '--one-file-system', runDir]);
  if (result.code !== 0) throw new SandboxError('CommandFailed', `rm -rf ${runDir}: ${result.stderr.trim()}`, { runDir });
}

/** Asks the kernel for a free port on each loopback address (bound at once, then released). */
export async function freeLoopbackPorts(addresses: readonly string[]): Promise<number[]> {
  const servers = await Promise.all(
    addresses.map((address) => {
      const server = createServer();
      return new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, address, () => resolve(server));
      });
    }),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new SandboxError('CommandFailed', 'no port from listen(0)');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return ports;
}

export interface ExecOptions {
  /** Text for the command's stdin. */
  readonly input?: string;
  /**
   * Kill the command after this long (default 60 s). Only nsenter is killed: a process it started
   * inside the host may live on until the host stops (like a command abandoned over SSH).
   */
  readonly timeoutMs?: number;
}

/**
 * Runs argv inside a running host without SSH: nsenter into its mount, UTS and PID namespaces with
 * its root directory, and a clean root environment. Ground truth for tests (`dpkg-query -W`, `rpm -qa`).
 */
export function execInHost(hostDir: string, argv: readonly string[], options: ExecOptions = {}): Promise<CommandResult> {
  const init = initRecord(hostDir);
  if (init === undefined || !isAlive(init)) {
    return Promise.reject(new SandboxError('HostStopped', `host in ${hostDir} is not running`, { hostDir }));
  }
  const env = [
    'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'HOME=/root',
    'LANG=C.UTF-8',
    'USER=root',
    'LOGNAME=root',
  ];
  return runCommand('nsenter', ['-t', String(init.pid), '-m', '-u', '-p', '-r', '-w', '--', '/usr/bin/env', '-i', ...env, ...argv], {
    ...(options.input === undefined ? {} : { input: options.input }),
    timeoutMs: options.timeoutMs ?? 60_000,
  });
}
