import type { InstalledPackage, PendingUpgrade } from '../../../core/inventory/host-inventory.js';
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
