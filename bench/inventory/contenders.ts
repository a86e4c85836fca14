/** The three contenders of the inventory benchmark, each timed as one wall-clock run over N hosts. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { collectSshInventory } from '../../controller/edges/inventory/collect-fleet-inventory.js';
import { FileSecretReader } from '../../controller/edges/transport/secrets/file-secret-reader.js';
import type { SshTarget } from '../../controller/ports/transport.js';

export const DPKG_QUERY_FORMAT =
  '${Package}\\t${Version}\\t${Architecture}\\t${db:Status-Abbrev}\\t${source:Package}\\t${source:Version}\\n';

export interface BenchHost {
  readonly name: string;
  /** The sandbox host's own loopback address. */
  readonly address: string;
  readonly port: number;
  readonly hostKeyPublic: string;
}

export interface RunOutcome {
  readonly seconds: number;
  readonly okHosts: number;
}

export async function runPatchward(hosts: readonly BenchHost[], keyPath: string, concurrency: number): Promise<RunOutcome> {
  const targets: SshTarget[] = hosts.map((host) => ({
    name: host.name,
    address: host.address,
    port: host.port,
    user: 'root',
    key: { file: keyPath },
    hostKeys: [host.hostKeyPublic],
    trustOnFirstUse: false,
    sudo: false,
    connectTimeoutMs: 30_000,
    commandTimeoutMs: 120_000,
  }));
  const started = performance.now();
  const { inventory } = await collectSshInventory(targets, {
    secrets: new FileSecretReader({ baseDir: '/' }),
    logger: pino({ level: 'silent' }),
    concurrency,
    hostTimeoutMs: 120_000,
    // Like for like with the contenders, which list installed packages only.
    availableVersions: false,
  });
  return { seconds: (performance.now() - started) / 1000, okHosts: inventory.items.filter((item) => item.status === 'ok').length };
}

/** Runs a program to completion, collecting its output (no shell). */
export function run(
  program: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
    );
  });
}

/** OpenSSH client options shared by the plain-ssh and Ansible contenders: key only, pinned known_hosts. */
export function sshOptions(knownHosts: string): string[] {
  return [
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${knownHosts}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'LogLevel=ERROR',
  ];
}

/** Writes the pinned known_hosts, the Ansible inventory and the port list into `dir`. */
export function writeInputs(
  dir: string,
  hosts: readonly BenchHost[],
  keyPath: string,
): { knownHosts: string; ansibleInventory: string; ports: string } {
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, hosts.map((host) => `[${host.address}]:${host.port} ${host.hostKeyPublic}\n`).join(''));
  const ansibleInventory = join(dir, 'inventory.ini');
  const sshArgs = sshOptions(knownHosts).join(' ');
  writeFileSync(
    ansibleInventory,
    [
      '[sandbox]',
      ...hosts.map((host) => `${host.name} ansible_host=${host.address} ansible_port=${host.port}`),
      '',
      '[sandbox:vars]',
      'ansible_user=root',
      `ansible_ssh_private_key_file=${keyPath}`,
      `ansible_ssh_common_args='${sshArgs}'`,
      'ansible_python_interpreter=/usr/bin/python3',
      '',
    ].join('\n'),
  );
  const ports = join(dir, 'ports');
  // One `ssh://root@address:port` destination per line: xargs puts the whole line in place of {}.
  writeFileSync(ports, hosts.map((host) => `ssh://root@${host.address}:${host.port}\n`).join(''));
  return { knownHosts, ansibleInventory, ports };
}

/** `ansible all -f N -m shell -a 'dpkg-query …'`, pipelining on (Ansible's fastest common setting). */
export async function runAnsible(dir: string, inventory: string, forks: number, hostCount: number): Promise<RunOutcome> {
  const env = {
    ...process.env,
    ANSIBLE_HOST_KEY_CHECKING: 'True',
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_LOCAL_TEMP: join(dir, 'ansible-tmp'),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_STDOUT_CALLBACK: 'oneline',
  };
  const started = performance.now();
  const result = await run(
    'ansible',
    ['all', '-i', inventory, '-f', String(forks), '-m', 'shell', '-a', `dpkg-query -W -f='${DPKG_QUERY_FORMAT}'`],
    env,
  );
  const seconds = (performance.now() - started) / 1000;
  const okHosts = result.stdout.split('\n').filter((line) => / \| CHANGED \| rc=0 /.test(line)).length;
  if (okHosts !== hostCount)
    process.stderr.write(`ansible: ${okHosts}/${hostCount} ok (exit ${result.code}): ${result.stderr.slice(0, 400)}\n`);
  return { seconds, okHosts };
}

/** The lower bound: `xargs -P N` running plain `ssh … dpkg-query …` per host. */
export async function runPlainSsh(
  ports: string,
  keyPath: string,
  knownHosts: string,
  parallel: number,
  hostCount: number,
): Promise<RunOutcome> {
  const ssh = ['ssh', '-i', keyPath, ...sshOptions(knownHosts), '{}', `dpkg-query -W -f='${DPKG_QUERY_FORMAT}' && echo @@done`];
  const started = performance.now();
  const result = await run('xargs', ['-P', String(parallel), '-I{}', '-a', ports, ...ssh]);
  const seconds = (performance.now() - started) / 1000;
  const okHosts = result.stdout.split('\n').filter((line) => line === '@@done').length;
  if (okHosts !== hostCount)
    process.stderr.write(`ssh: ${okHosts}/${hostCount} ok (exit ${result.code}): ${result.stderr.slice(0, 400)}\n`);
  return { seconds, okHosts };
}
