import type { InstalledPackage, PackageDbProblem, PackageDbProblemKind, PendingUpgrade } from '../../../core/inventory/host-inventory.js';
import { keepStrings } from '../string-pool.js';

/** dpkg status letter (second char of `db:Status-Abbrev`) → problem kind; `i`, `c`, `n` are fine. */
const STATUS_PROBLEMS: Readonly<Record<string, { kind: PackageDbProblemKind; words: string }>> = {
  H: { kind: 'half-installed', words: 'half-installed' },
  F: { kind: 'half-configured', words: 'half-configured' },
  U: { kind: 'unpacked', words: 'unpacked but not configured' },
  t: { kind: 'triggers-pending', words: 'triggers pending' },
  W: { kind: 'triggers-pending', words: 'awaiting triggers' },
};

export interface DpkgList {
  readonly packages: readonly InstalledPackage[];
  readonly problems: readonly PackageDbProblem[];
  /** Lines that did not have the six expected fields (counted, not fatal). */
  readonly malformedLines: number;
}

/**
 * Parses `dpkg-query -W -f='${Package}\t${Version}\t${Architecture}\t${db:Status-Abbrev}\t${source:Package}\t${source:Version}\n'`.
 * Listed: every package whose files are on disk (status not `n`ot-installed / `c`onfig-files).
 * Problems: status `H`, `F`, `U`, `t`, `W`, and the reinstall-required flag `R`.
 */
export function parseDpkgQuery(text: string, intern: (value: string) => string = keepStrings): DpkgList {
  const packages: InstalledPackage[] = [];
  const problems: PackageDbProblem[] = [];
  let malformedLines = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const fields = line.split('\t');
    const [name = '', version = '', arch = '', abbrev = '', source = '', sourceVersion = ''] = fields;
    if (fields.length !== 6 || name === '' || abbrev.length < 2) {
      malformedLines++;
      continue;
    }
    const status = abbrev[1] ?? '';
    const problem = STATUS_PROBLEMS[status];
    if (problem !== undefined)
      problems.push({
        kind: problem.kind,
        package: name,
        detail: `${name} ${version} is ${problem.words} (dpkg status '${abbrev.trimEnd()}')`,
      });
    if (abbrev[2] === 'R')
      problems.push({ kind: 'other', package: name, detail: `${name} needs reinstallation (dpkg status '${abbrev.trimEnd()}')` });
    if (status === 'n' || status === 'c' || version === '') continue;
    packages.push({
      name: intern(name),
      version: intern(version),
      arch: intern(arch === '' ? 'unknown' : arch),
      ...(source === '' ? {} : { source: intern(source) }),
      ...(sourceVersion === '' ? {} : { sourceVersion: intern(sourceVersion) }),
    });
  }
  return { packages, problems, malformedLines };
}

/**
 * Parses the `Inst` lines of `apt-get -s dist-upgrade`:
 *   `Inst libc6 [2.36-9+deb12u4] (2.36-9+deb12u7 Debian:12.6/stable [amd64]) []`
 *   `Inst newpkg (1.0-1 Debian:12.6/stable [all])`       (new package: no installed version)
 */
export function parseAptSimulate(text: string): readonly PendingUpgrade[] {
  const upgrades: PendingUpgrade[] = [];
  const pattern = /^Inst (\S+) (?:\[([^\]]+)\] )?\((\S+)(?: [^[)]*)?(?: \[([^\]]+)\])?\)/;
  for (const line of text.split('\n')) {
    const match = pattern.exec(line);
    if (match === null) continue;
    const [, rawName = '', installed, candidate = '', arch] = match;
    const name = rawName.split(':')[0] ?? rawName;
    upgrades.push({
      name,
      candidateVersion: candidate,
      ...(installed === undefined ? {} : { installedVersion: installed }),
      ...(arch === undefined ? {} : { arch }),
    });
  }
  return upgrades;
}

/** Kernel releases of installed `linux-image-<release>` packages (not the `linux-image-amd64` metas). */
export function dpkgKernelReleases(packages: readonly InstalledPackage[]): readonly string[] {
  const releases: string[] = [];
  for (const pkg of packages) {
    const match = /^linux-image-(?:unsigned-)?(\d.*)$/.exec(pkg.name);
    if (match?.[1] !== undefined) releases.push(match[1]);
  }
  return releases;
}
