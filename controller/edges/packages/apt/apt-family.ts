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

/**
 * The Pre-Install-Pkgs hook of the gated install (a FIXED shell line; apt runs it with /bin/sh -c
 * after downloading and before starting dpkg): it skips apt's version line and configuration dump
 * (everything up to the first blank line), prints each package action with a marker, then reads
 * the controller's verdict from fd 3 (kept open for it by `APT::Keep-Fds`). Anything but `install`
 * (a refusal, a closed connection) makes it exit 1, and apt then stops before dpkg touches a package.
 * Its first word, `:`, is the key under which protocol version 3 is asked for (`DPkg::Tools::Options::<first word>::Version`).
 */
const GATE_HOOK =
  ': patchward-gate; while IFS= read -r line && [ -n "$line" ]; do :; done; printf \'\\n\'; ' +
  'while IFS= read -r line; do printf \'@@patchward-transaction@@ %s\\n\' "$line"; done; ' +
  'printf \'@@patchward-transaction-end@@\\n\'; read -r verdict <&3 || verdict=; [ "$verdict" = install ]';
const GATE_LINE = '@@patchward-transaction@@ ';
const GATE_END = '@@patchward-transaction-end@@';

/**
 * Reads the package actions of the gate hook (apt's Pre-Install-Pkgs protocol version 3:
 * `name old-version old-arch old-multiarch direction new-version new-arch new-multiarch action`,
 * `-` for a version that is absent, action a .deb path, `**CONFIGURE**` or `**REMOVE**`) into a
 * transaction; undefined until the end marker has arrived.
 */
export function parseGatedAptTransaction(output: string): Transaction | undefined {
  const lines = output.split('\n');
  if (!lines.some((line) => line === GATE_END)) return undefined;
  const installs: PackageChange[] = [];
  const upgrades: PackageChange[] = [];
  const downgrades: PackageChange[] = [];
  const reinstalls: PackageChange[] = [];
  const removals: PackageChange[] = [];
  for (const line of lines) {
    if (!line.startsWith(GATE_LINE)) continue;
    const [name = '', from = '-', fromArch = '-', , direction = '', version = '-', arch = '-', , ...action] = line
      .slice(GATE_LINE.length)
      .split(' ');
    const target = action.join(' ');
    if (name === '' || target === '**CONFIGURE**') continue;
    if (target === '**REMOVE**') {
      removals.push({ name, ...(from === '-' ? {} : { fromVersion: from }), ...(fromArch === '-' ? {} : { arch: fromArch }) });
      continue;
    }
    const change: PackageChange = {
      name,
      version,
      ...(from === '-' ? {} : { fromVersion: from }),
      ...(arch === '-' ? {} : { arch }),
    };
    if (from === '-') installs.push(change);
    else (direction === '<' ? upgrades : direction === '>' ? downgrades : reinstalls).push(change);
  }
  return { installs, upgrades, downgrades, reinstalls, removals };
}

/** apt-get's options common to every install: non-interactive, the lock wait, the admin's configuration files kept. */
function aptGetInstallOptions(options: { readonly lockTimeoutSeconds: number; readonly allowDowngrades: boolean }): string[] {
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
  ];
}

const targetArgs = (targets: readonly PackageVersion[]) => targets.map((target) => `${target.name}=${target.version}`);

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
      ...aptGetInstallOptions(options),
      ...(options.allowRemovals ? [] : ['--no-remove']),
      ...(options.simulate ? ['-s', '-o', 'Debug::NoLocking=1'] : []),
      'install',
      ...targetArgs(targets),
    ];
  },
  gatedInstall: {
    // No --no-remove: the verdict sees every removal of the very transaction apt is about to run.
    argv: (targets: readonly PackageVersion[], options: { readonly lockTimeoutSeconds: number; readonly allowDowngrades: boolean }) => [
      ...aptGetInstallOptions(options),
      '-o',
      'APT::Keep-Fds::=3',
      '-o',
      `DPkg::Pre-Install-Pkgs::=${GATE_HOOK}`,
      '-o',
      'DPkg::Tools::Options:::::Version=3',
      'install',
      ...targetArgs(targets),
    ],
    transaction: parseGatedAptTransaction,
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
