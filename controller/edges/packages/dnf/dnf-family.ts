import { rpmVersionScheme } from '../../../core/version/index.js';
import type { PackageChange, PackageVersion, Transaction } from '../../../core/transaction/transaction.js';
import type { PackageCommandFailure } from '../../../ports/package-manager.js';
import type { CommandResult } from '../../../ports/transport.js';
import type { InstallArgvOptions, PackageFamily } from '../package-family.js';

type Bucket = keyof Transaction;

/** dnf 4 transaction table headings → where their rows go. */
const SECTIONS: ReadonlyMap<string, Bucket> = new Map([
  ['Installing', 'installs'],
  ['Installing dependencies', 'installs'],
  ['Installing weak dependencies', 'installs'],
  ['Upgrading', 'upgrades'],
  ['Downgrading', 'downgrades'],
  ['Reinstalling', 'reinstalls'],
  ['Removing', 'removals'],
  ['Removing dependent packages', 'removals'],
  ['Removing unused dependencies', 'removals'],
  ['Obsoleting', 'removals'],
]);

function nameArch(text: string): { name: string; arch?: string } {
  const dot = text.lastIndexOf('.');
  return dot <= 0 ? { name: text } : { name: text.slice(0, dot), arch: text.slice(dot + 1) };
}

/**
 * Reads the transaction table `dnf --assumeno install …` (and `dnf -y install …`) prints:
 *   `Upgrading:` / ` name  arch  [epoch:]version-release  repo  size` rows / `     replacing  name.arch evr`
 * A name too long for its column wraps: the row continues on the next line. Rows of unknown
 * sections are ignored; `replacing` lines (obsoletes) are removals.
 */
export function parseDnfTransaction(output: string): Transaction {
  const buckets: Record<Bucket, PackageChange[]> = { installs: [], upgrades: [], downgrades: [], reinstalls: [], removals: [] };
  let bucket: Bucket | undefined;
  let carried = '';
  for (const line of output.split('\n')) {
    const heading = /^(\S[^:]*):\s*$/.exec(line);
    if (heading !== null) {
      bucket = SECTIONS.get(heading[1] ?? '');
      carried = '';
      continue;
    }
    if (/^Transaction Summary/.test(line) || /^=+$/.test(line.trim())) {
      if (/^Transaction Summary/.test(line)) bucket = undefined;
      continue;
    }
    if (bucket === undefined || !line.startsWith(' ')) continue;
    const replacing = /^\s+replacing\s+(\S+)\s+(\S+)\s*$/.exec(line);
    if (replacing !== null) {
      const { name, arch } = nameArch(replacing[1] ?? '');
      buckets.removals.push({ name, fromVersion: replacing[2] ?? '', ...(arch === undefined ? {} : { arch }) });
      continue;
    }
    const tokens = `${carried} ${line}`.trim().split(/\s+/);
    if (tokens.length === 1) {
      carried = tokens[0] ?? '';
      continue;
    }
    carried = '';
    const [name = '', arch = '', version = ''] = tokens;
    if (name === 'Package' || version === '') continue;
    buckets[bucket].push(bucket === 'removals' ? { name, arch, fromVersion: version } : { name, arch, version });
  }
  return buckets;
}

const FAILURES: readonly (readonly [RegExp, PackageCommandFailure['reason']])[] = [
  [/patchward: rpm transaction lock .* still held/, 'lock-timeout'],
  [/No match for argument|Unable to find a match/, 'not-offered'],
  [/Problem: |conflicting requests|nothing provides|Depsolving problems/, 'unresolvable'],
  [/Error in \S+ scriptlet|Transaction failed|Transaction test error|Error: Transaction check error|error: %\w+\(/, 'install-failed'],
];

/**
 * dnf and rpm have no lock timeout: rpm waits for its transaction lock for ever. A fixed script
 * (its inputs are positional parameters, the lock timeout digits only) waits up to $1 seconds for
 * the lock to be free, exits 75 naming it when it stays held, and otherwise execs the dnf argv.
 */
const DNF_LOCK_WAIT = `
t=$1; shift; waited=0
held() {
  ino=$(stat -c %i /var/lib/rpm/.rpm.lock 2>/dev/null) || return 1
  grep -Eq "WRITE +[0-9]+ [0-9a-f]+:[0-9a-f]+:$ino " /proc/locks 2>/dev/null
}
while held && [ "$waited" -lt "$t" ]; do sleep 1; waited=$((waited + 1)); done
if held; then echo "patchward: rpm transaction lock /var/lib/rpm/.rpm.lock still held after $t s" >&2; exit 75; fi
exec "$@"
`;

const RPM_FORMAT = '%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\n';

/** `name  epoch  version  release  arch…` rows → versions; epoch `(none)` or `0` omitted. */
function parseNevraRows(stdout: string): PackageVersion[] {
  const rows: PackageVersion[] = [];
  for (const line of stdout.split('\n')) {
    const fields = line.split('\t');
    const [name = '', epoch = '', version = '', release = '', arch = ''] = fields;
    if (fields.length < 5 || name === '' || version === '' || name === 'gpg-pubkey') continue;
    const epochPart = epoch === '(none)' || epoch === '' || epoch === '0' ? '' : `${epoch}:`;
    rows.push({ name, version: `${epochPart}${version}-${release}`, ...(arch === '' || arch === '(none)' ? {} : { arch }) });
  }
  return rows;
}

/** RHEL, Rocky, AlmaLinux, Fedora: dnf over rpm. */
export const dnfFamily: PackageFamily = Object.freeze({
  id: 'dnf' as const,
  scheme: rpmVersionScheme,
  refreshArgv: (timeoutSeconds: number) => ['timeout', String(timeoutSeconds), 'dnf', '-q', 'makecache'],
  installArgv(targets: readonly PackageVersion[], options: InstallArgvOptions): readonly string[] {
    // dnf installs an exact `name-[epoch:]version-release` whether it is higher or lower than the
    // installed one (a lower one is a downgrade; the transaction check decides if that is wanted).
    // rpm keeps modified %config(noreplace) files by itself (the new one lands as .rpmnew).
    const dnf = [
      'dnf',
      options.simulate ? '--assumeno' : '-y',
      '--setopt=clean_requirements_on_remove=False',
      'install',
      ...targets.map((target) => `${target.name}-${target.version}`),
    ];
    return options.simulate ? dnf : ['sh', '-c', DNF_LOCK_WAIT, 'patchward-dnf-install', String(options.lockTimeoutSeconds), ...dnf];
  },
  manualInstallArgv: (targets: readonly PackageVersion[]) => [
    'dnf',
    'install',
    ...targets.map((target) => `${target.name}-${target.version}`),
  ],
  parseTransaction: parseDnfTransaction,
  isSimulationDone: (result: CommandResult) =>
    result.exitCode === 0 || (result.exitCode === 1 && /Operation aborted/.test(`${result.stdout}\n${result.stderr}`)),
  classifyFailure(result: CommandResult): PackageCommandFailure['reason'] {
    const text = `${result.stderr}\n${result.stdout}`;
    return FAILURES.find(([pattern]) => pattern.test(text))?.[1] ?? 'failed';
  },
  installedArgv: (names: readonly string[]) => ['rpm', '-q', '--qf', RPM_FORMAT, ...names],
  parseInstalled: parseNevraRows,
  offeredArgv: (names: readonly string[]) => [
    'dnf',
    '-q',
    'repoquery',
    '--available',
    '--qf',
    '%{name}\\t%{epoch}\\t%{version}\\t%{release}\\t%{arch}\\t%{reponame}',
    ...names,
  ],
  parseOffered: parseNevraRows,
});
