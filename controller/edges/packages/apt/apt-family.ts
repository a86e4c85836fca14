import { dpkgVersionScheme } from '../../../core/version/index.js';
import type { PackageChange, PackageVersion, Transaction } from '../../../core/transaction/transaction.js';
import type { PackageCommandFailure } from '../../../ports/package-manager.js';
import type { CommandResult } from '../../../ports/transport.js';
import type { InstallArgvOptions, PackageFamily } from '../package-family.js';

/** `Inst name [old] (new release [arch])`, `Remv name [old]`; `name` may carry `:arch`. */
const INST = /^Inst (\S+) (?:\[([^\]]+)\] )?\((\S+)(?: [^[)]*)?(?: \[([^\]]+)\])?\)/;
const REMV = /^Remv (\S+)(?: \[([^\]]+)\])?/;

function splitArch(raw: string): { name: string; arch?: string } {
  const colon = raw.indexOf(':');
  return colon < 0 ? { name: raw } : { name: raw.slice(0, colon), arch: raw.slice(colon + 1) };
}

/** Reads the `Inst`/`Remv` lines of `apt-get -s install …` into a transaction. */
export function parseAptTransaction(output: string): Transaction {
  const installs: PackageChange[] = [];
  const upgrades: PackageChange[] = [];
  const downgrades: PackageChange[] = [];
  const reinstalls: PackageChange[] = [];
  const removals: PackageChange[] = [];
  for (const line of output.split('\n')) {
    const inst = INST.exec(line);
    if (inst !== null) {
      const [, raw = '', from, version = '', bracketArch] = inst;
      const { name, arch } = splitArch(raw);
      const change: PackageChange = {
        name,
        version,
        ...(from === undefined ? {} : { fromVersion: from }),
        ...((arch ?? bracketArch) === undefined ? {} : { arch: arch ?? bracketArch }),
      };
      if (from === undefined) installs.push(change);
      else {
        const order =
          dpkgVersionScheme.isValidVersion(from) && dpkgVersionScheme.isValidVersion(version)
            ? dpkgVersionScheme.compare(version, from)
            : 1;
        (order > 0 ? upgrades : order < 0 ? downgrades : reinstalls).push(change);
      }
      continue;
    }
    const remv = REMV.exec(line);
    if (remv !== null) {
      const [, raw = '', from] = remv;
      const { name, arch } = splitArch(raw);
      removals.push({ name, ...(from === undefined ? {} : { fromVersion: from }), ...(arch === undefined ? {} : { arch }) });
    }
  }
  return { installs, upgrades, downgrades, reinstalls, removals };
}

const FAILURES: readonly (readonly [RegExp, PackageCommandFailure['reason']])[] = [
  [/Packages need to be removed but remove is disabled/, 'removal-refused'],
  [/Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock the administration directory/, 'lock-timeout'],
  [
    /Version '[^']*' for '[^']*' was not found|Unable to locate package|has no installation candidate|is not available, but is referred to/,
    'not-offered',
  ],
  [/Unable to correct problems|unmet dependencies|held broken packages/, 'unresolvable'],
  [/Sub-process \S+ returned an error code|dpkg returned an error code|Errors were encountered while processing/, 'install-failed'],
];

/** Debian, Ubuntu: apt-get over dpkg. */
export const aptFamily: PackageFamily = Object.freeze({
  id: 'apt' as const,
  scheme: dpkgVersionScheme,
  refreshArgv: (timeoutSeconds: number) => ['timeout', String(timeoutSeconds), 'apt-get', '-q', 'update'],
  installArgv(targets: readonly PackageVersion[], options: InstallArgvOptions): readonly string[] {
    return [
      'env',
      'DEBIAN_FRONTEND=noninteractive',
      'apt-get',
      '-q',
      '-y',
      '-o',
      `DPkg::Lock::Timeout=${options.lockTimeoutSeconds}`,
      // Keep every configuration file the admin changed; take the maintainer's only where untouched.
      '-o',
      'Dpkg::Options::=--force-confdef',
      '-o',
      'Dpkg::Options::=--force-confold',
      ...(options.allowDowngrades ? ['--allow-downgrades'] : []),
      ...(options.allowRemovals ? [] : ['--no-remove']),
      ...(options.simulate ? ['-s', '-o', 'Debug::NoLocking=1'] : []),
      'install',
      ...targets.map((target) => `${target.name}=${target.version}`),
    ];
  },
  manualInstallArgv: (targets: readonly PackageVersion[]) => [
    'apt-get',
    'install',
    '--allow-downgrades',
    ...targets.map((target) => `${target.name}=${target.version}`),
  ],
  parseTransaction: parseAptTransaction,
  isSimulationDone: (result: CommandResult) => result.exitCode === 0,
  classifyFailure(result: CommandResult): PackageCommandFailure['reason'] {
    const text = `${result.stderr}\n${result.stdout}`;
    return FAILURES.find(([pattern]) => pattern.test(text))?.[1] ?? 'failed';
  },
  installedArgv: (names: readonly string[]) => [
    'dpkg-query',
    '-W',
    '-f',
    '${Package}\\t${Version}\\t${Architecture}\\t${db:Status-Abbrev}\\n',
    ...names,
  ],
  parseInstalled(stdout: string): readonly PackageVersion[] {
    const installed: PackageVersion[] = [];
    for (const line of stdout.split('\n')) {
      const [name = '', version = '', arch = '', status = ''] = line.split('\t');
      if (name === '' || version === '' || status.length < 2) continue;
      const state = status[1];
      if (state === 'n' || state === 'c') continue;
      // A package dpkg did not finish (half-configured, unpacked…) is not "installed at" its version.
      const suffix = state === 'i' ? '' : ` (dpkg status '${status.trim()}')`;
      installed.push({ name, version: `${version}${suffix}`, ...(arch === '' ? {} : { arch }) });
    }
    return installed;
  },
  offeredArgv: (names: readonly string[]) => ['apt-cache', 'madison', ...names],
  parseOffered(stdout: string): readonly PackageVersion[] {
    const offered: PackageVersion[] = [];
    for (const line of stdout.split('\n')) {
      const [name = '', version = '', origin = ''] = line.split('|').map((field) => field.trim());
      if (name !== '' && version !== '' && / Packages$/.test(origin)) offered.push({ name, version });
    }
    return offered;
  },
});
