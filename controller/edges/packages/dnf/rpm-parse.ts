import type { AvailableVersion, InstalledPackage, PendingUpgrade } from '../../../core/inventory/host-inventory.js';
import { keepStrings } from '../string-pool.js';

export interface RpmList {
  readonly packages: readonly InstalledPackage[];
  readonly malformedLines: number;
}

/** `name-version-release.src.rpm` → source name and `version-release`; undefined for `(none)`. */
export function parseSourceRpm(sourceRpm: string): { name: string; versionRelease: string } | undefined {
  const match = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(sourceRpm);
  if (match === null) return undefined;
  const [, name = '', version = '', release = ''] = match;
  return { name, versionRelease: `${version}-${release}` };
}

/**
 * Parses `rpm -qa --qf '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\n'`.
 * Version is the EVR `[epoch:]version-release`, the epoch omitted when rpm says `(none)`.
 * `gpg-pubkey` pseudo-packages (keys in the rpmdb, arch `(none)`) are skipped.
 */
export function parseRpmQa(text: string, intern: (value: string) => string = keepStrings): RpmList {
  const packages: InstalledPackage[] = [];
  let malformedLines = 0;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const fields = line.split('\t');
    const [name = '', epoch = '', version = '', release = '', arch = '', sourceRpm = ''] = fields;
    if (fields.length !== 6 || name === '' || version === '') {
      malformedLines++;
      continue;
    }
    if (name === 'gpg-pubkey') continue;
    const epochPart = epoch === '(none)' || epoch === '' ? '' : `${epoch}:`;
    const source = parseSourceRpm(sourceRpm);
    packages.push({
      name: intern(name),
      version: intern(`${epochPart}${version}-${release}`),
      arch: intern(arch === '(none)' || arch === '' ? 'noarch' : arch),
      ...(source === undefined ? {} : { source: intern(source.name), sourceVersion: intern(`${epochPart}${source.versionRelease}`) }),
    });
  }
  return { packages, malformedLines };
}

/**
 * Parses `dnf check-update` (exit 100 when updates exist): `name.arch  [epoch:]version-release  repo`.
 * Long names wrap onto a second line; the "Obsoleting Packages" block that follows is ignored.
 */
export function parseDnfCheckUpdate(text: string): readonly PendingUpgrade[] {
  const upgrades: PendingUpgrade[] = [];
  const tokens: string[] = [];
  for (const line of text.split('\n')) {
    if (/^Obsoleting Packages/i.test(line)) break;
    if (line.trim() === '' || /^(Last metadata|Security:)/.test(line)) continue;
    tokens.push(...line.trim().split(/\s+/));
    while (tokens.length >= 3) {
      const [nameArch = '', evr = '', _repo] = tokens.splice(0, 3);
      const dot = nameArch.lastIndexOf('.');
      if (dot <= 0) continue;
      upgrades.push({ name: nameArch.slice(0, dot), arch: nameArch.slice(dot + 1), candidateVersion: evr });
    }
  }
  return upgrades;
}

/** Kernel releases (`uname -r` form: `version-release.arch`) of installed `kernel`/`kernel-core`. */
export function rpmKernelReleases(packages: readonly InstalledPackage[]): readonly string[] {
  const releases = new Set<string>();
  for (const pkg of packages) {
    if (pkg.name !== 'kernel' && pkg.name !== 'kernel-core') continue;
    const versionRelease = pkg.version.replace(/^\d+:/, '');
    releases.add(`${versionRelease}.${pkg.arch}`);
  }
  return [...releases];
}

/**
 * Parses `dnf repoquery --available --qf '%{name}\t%{epoch}\t%{version}\t%{release}\t%{arch}\t%{sourcerpm}\t%{reponame}'`
 * for the installed names: every EVR the repositories offer. Only packages offered in at least one
 * EVR other than the installed one are kept; `@System` rows (installed, not offered) are dropped.
 */
export function parseRepoqueryAvailable(
  text: string,
  installed: readonly InstalledPackage[],
  intern: (value: string) => string = keepStrings,
): readonly AvailableVersion[] {
  const installedVersions = new Map<string, Set<string>>();
  for (const pkg of installed)
    installedVersions.set(pkg.name, (installedVersions.get(pkg.name) ?? new Set()).add(pkg.version.replace(/^0:/, '')));
  const byName = new Map<string, AvailableVersion[]>();
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const fields = line.split('\t');
    const [name = '', epoch = '', version = '', release = '', arch = '', sourceRpm = '', repo = ''] = fields;
    if (fields.length !== 7 || name === '' || version === '' || repo === '@System' || !installedVersions.has(name)) continue;
    const epochPart = epoch === '' || epoch === '0' || epoch === '(none)' ? '' : `${epoch}:`;
    const evr = `${epochPart}${version}-${release}`;
    if (seen.has(`${name}\t${evr}\t${arch}`)) continue;
    seen.add(`${name}\t${evr}\t${arch}`);
    const source = parseSourceRpm(sourceRpm);
    const list = byName.get(name) ?? [];
    list.push({
      name: intern(name),
      version: intern(evr),
      ...(arch === '' ? {} : { arch: intern(arch) }),
      ...(source === undefined ? {} : { source: intern(source.name), sourceVersion: intern(`${epochPart}${source.versionRelease}`) }),
    });
    byName.set(name, list);
  }
  const available: AvailableVersion[] = [];
  for (const [name, versions] of byName) {
    const have = installedVersions.get(name) ?? new Set<string>();
    if (versions.every((entry) => have.has(entry.version))) continue;
    available.push(...versions);
  }
  return available;
}
