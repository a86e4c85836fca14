import type { AvailableVersion, InstalledPackage } from '../../../core/inventory/host-inventory.js';
import { keepStrings } from '../string-pool.js';

/**
 * The versions apt's repositories offer for installed packages, from the facts invocation's
 * `available` section: the records of installed names in the repositories' own Packages lists
 * (found in apt's lists directory, compressed ones read with `apt-helper cat-file`; never the status
 * file), cut to `Package`, `Version`, `Architecture`, `Source` and separated by blank lines. `Source: name (version)` when
 * the source version differs (binNMU); no `Source` when the source is the binary itself.
 * Records for another architecture than the installed one(s) (and not `all`) are left out; a
 * version listed by several suites counts once. Only packages offered in at least one version
 * other than the installed one are kept, with every version offered (the installed one included
 * when a repository still has it).
 */
export function parseAptAvailable(
  records: string,
  installed: readonly InstalledPackage[],
  intern: (value: string) => string = keepStrings,
): readonly AvailableVersion[] {
  const installedVersions = new Map<string, Set<string>>();
  const installedArches = new Map<string, Set<string>>();
  for (const pkg of installed) {
    installedVersions.set(pkg.name, (installedVersions.get(pkg.name) ?? new Set()).add(pkg.version));
    installedArches.set(pkg.name, (installedArches.get(pkg.name) ?? new Set()).add(pkg.arch));
  }
  const byName = new Map<string, AvailableVersion[]>();
  const seen = new Set<string>();
  for (const record of records.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of record.split('\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
    }
    const name = fields.get('Package');
    const version = fields.get('Version');
    const arch = fields.get('Architecture') ?? '';
    const arches = name === undefined ? undefined : installedArches.get(name);
    if (name === undefined || version === undefined || arches === undefined) continue;
    if (arch !== '' && arch !== 'all' && !arches.has(arch) && !arches.has('all')) continue;
    const key = `${name}\t${version}\t${arch}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const source = /^(\S+)(?:\s+\(([^)]+)\))?$/.exec(fields.get('Source') ?? '');
    const entry: AvailableVersion = {
      name: intern(name),
      version: intern(version),
      ...(arch === '' ? {} : { arch: intern(arch) }),
      source: intern(source?.[1] ?? name),
      sourceVersion: intern(source?.[2] ?? version),
    };
    const list = byName.get(name) ?? [];
    list.push(entry);
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
