/**
 * Command line of the sandbox hosts, for people and the demo (test/harness/sandbox.sh runs it).
 * Hosts started by `up` outlive this process; `down` stops them by their recorded PIDs.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { PackageDbBreakage } from './faults.js';
import type { SandboxFlavour } from './layers.js';
import { pssKb } from './os-process.js';
import { ensureSandboxImage, loadFleet, SandboxError, startHosts, type HostGroup, type SandboxFleet } from './sandbox.js';

const USAGE = `usage: sandbox.sh <command> [--name NAME | --run-dir DIR] ...

  up <count> [apt|rpm][:prefix] [<count> <flavour>[:prefix] ...] [--user root|patchward]
                         start hosts named <prefix>-01... (default prefix pw-<flavour>; a leftover
                         fleet of that name is cleaned up first);
                         writes <run-dir>/fleet.yaml (Fleet, pinned host keys) and prints the hosts
  down                   stop every host, check no mounts are left, remove the run dir
  status                 hosts, running or not, boot id, processes and memory (PSS)
  fleet-yaml [--user root|patchward] [--out FILE]   write the Fleet document again (current keys)
  ssh <host> [--user U] [-- command...]   log in with the real ssh client and the pinned key
  exec <host> -- argv... run a command inside the host without SSH (nsenter)
  stop-host | start-host | restart | rotate-key <host>
  hang <host> <command>  make <command> sleep forever on that host
  break <host> <unpacked|half-configured|half-installed|corrupt-db>

Run dir: --run-dir, or \${PATCHWARD_SANDBOX_RUN:-/tmp/patchward-sandbox}/<name> (name default: default).
`;

interface Parsed {
  readonly positional: string[];
  readonly rest: string[];
  readonly flags: Map<string, string>;
}

function parse(argv: readonly string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  let rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      rest = argv.slice(i + 1);
      break;
    }
    if (arg.startsWith('--')) {
      const value = argv[i + 1];
      if (value === undefined) throw new SandboxError('BadArgument', `${arg} needs a value`);
      flags.set(arg.slice(2), value);
      i++;
    } else positional.push(arg);
  }
  return { positional, rest, flags };
}

function runDirOf(flags: Map<string, string>): string {
  const explicit = flags.get('run-dir');
  if (explicit !== undefined) return resolve(explicit);
  const name = flags.get('name') ?? 'default';
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new SandboxError('BadArgument', `bad fleet name ${name}`);
  return join(process.env['PATCHWARD_SANDBOX_RUN'] ?? '/tmp/patchward-sandbox', name);
}

function userOf(flags: Map<string, string>): 'root' | 'patchward' {
  const user = flags.get('user') ?? 'root';
  if (user !== 'root' && user !== 'patchward') throw new SandboxError('BadArgument', `--user must be root or patchward, not ${user}`);
  return user;
}

function groupsOf(args: readonly string[]): HostGroup[] {
  const groups: HostGroup[] = [];
  for (let i = 0; i < args.length; i += 2) {
    const count = Number(args[i]);
    const [flavour = 'apt', namePrefix] = (args[i + 1] ?? 'apt').split(':') as [SandboxFlavour, string | undefined];
    if (
      !Number.isInteger(count) ||
      count < 1 ||
      (flavour !== 'apt' && flavour !== 'rpm') ||
      (namePrefix !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(namePrefix))
    ) {
      throw new SandboxError('BadArgument', `expected <count> [apt|rpm][:<name-prefix>] pairs, got: ${args.join(' ')}`);
    }
    groups.push(namePrefix === undefined ? { count, flavour } : { count, flavour, namePrefix });
  }
  if (groups.length === 0) throw new SandboxError('BadArgument', 'up needs a host count');
  return groups;
}

function printHosts(fleet: SandboxFleet): void {
  for (const host of fleet.hosts) {
    const running = fleet.isRunning(host.name);
    const pids = running ? fleet.pids(host.name) : [];
    const boot = running ? fleet.bootId(host.name) : '-';
    const pss = running ? `${pssKb(pids)} kB` : '-';
    process.stdout.write(
      `${host.name.padEnd(14)} ${host.flavour.padEnd(4)} ${`${host.address}:${host.port}`.padEnd(22)} ${(running ? 'running' : 'stopped').padEnd(8)} procs=${String(pids.length).padEnd(3)} pss=${pss.padEnd(9)} boot=${boot} ${host.hostKeyFingerprint}\n`,
    );
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command === undefined || command === '--help' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  const { positional, rest, flags } = parse(args);
  const runDir = runDirOf(flags);
  const hostArg = (): string => {
    const name = positional[0];
    if (name === undefined) throw new SandboxError('BadArgument', `${command} needs a host name`);
    return name;
  };
  switch (command) {
    case 'up': {
      await ensureSandboxImage();
      const started = Date.now();
      const fleet = await startHosts({ groups: groupsOf(positional), runDir, stopOnExit: false });
      const seconds = ((Date.now() - started) / 1000).toFixed(2);
      fleet.writeFleetYaml(join(runDir, 'fleet.yaml'), { user: userOf(flags) });
      printHosts(fleet);
      const first = fleet.hosts[0];
      process.stdout.write(
        `\n${fleet.hosts.length} hosts up in ${seconds} s\nrun dir:     ${runDir}\nfleet:       ${join(runDir, 'fleet.yaml')}\nclient key:  ${fleet.clientKeyPath}\nknown_hosts: ${fleet.knownHostsPath}\n`,
      );
      if (first !== undefined) process.stdout.write(`try:         ssh ${fleet.sshArgs(first.name).join(' ')}\n`);
      return 0;
    }
    case 'down':
      await loadFleet(runDir).stop();
      process.stdout.write(`stopped and removed ${runDir}\n`);
      return 0;
    case 'status':
      printHosts(loadFleet(runDir));
      return 0;
    case 'fleet-yaml': {
      const out = flags.get('out') ?? join(runDir, 'fleet.yaml');
      loadFleet(runDir).writeFleetYaml(out, { user: userOf(flags) });
      process.stdout.write(`${out}\n`);
      return 0;
    }
    case 'ssh': {
      const fleet = loadFleet(runDir);
      const result = spawnSync('ssh', [...fleet.sshArgs(hostArg(), userOf(flags)), ...rest], { stdio: 'inherit' });
      return result.status ?? 1;
    }
    case 'exec': {
      const result = await loadFleet(runDir).exec(hostArg(), rest);
      process.stdout.write(result.stdout);
      process.stderr.write(result.stderr);
      return result.code ?? 1;
    }
    case 'stop-host':
      await loadFleet(runDir).stopHost(hostArg());
      return 0;
    case 'start-host':
    case 'restart': {
      const fleet = loadFleet(runDir);
      const { bootId } = command === 'restart' ? await fleet.restartHost(hostArg()) : await fleet.startHost(hostArg());
      process.stdout.write(`boot id ${bootId}\n`);
      return 0;
    }
    case 'rotate-key': {
      const host = await loadFleet(runDir).rotateHostKey(hostArg());
      process.stdout.write(`${host.hostKeyPublic}\n${host.hostKeyFingerprint}\n`);
      return 0;
    }
    case 'hang':
      await loadFleet(runDir).makeCommandHang(hostArg(), positional[1] ?? '');
      return 0;
    case 'break':
      await loadFleet(runDir).breakPackageDb(hostArg(), (positional[1] ?? '') as PackageDbBreakage);
      return 0;
    default:
      process.stderr.write(`unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}

// `sandbox.sh up 3 | head -1` must not turn a closed pipe into a crash after the hosts are up.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof SandboxError && error.code === 'BadArgument' ? 2 : 1;
  },
);
