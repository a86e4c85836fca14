import type { AvailableVersion, InstalledPackage } from '../../../core/inventory/host-inventory.js';
import { keepStrings } from '../string-pool.js';

/**
 * The versions apt's repositories offer for installed packages, from two listings of the facts
 * invocation:
 *  - `apt-cache show <installed names…>` cut to `Package`, `Version`, `Architecture`, `Source`
 *    (records separated by blank lines; `Source: name (version)` when the source version differs,
 *    no `Source` when the source is the binary itself);
 *  - `apt-cache madison <installed names…>` lines ` name | version | url dist/comp Packages`,
 *    which leave out the status file, so a version only the status file knows is not "offered".
 * Only packages offered in at least one version other than the installed one are kept, with every
 * version offered (the installed one included when a repository still has it).
 */
export function parseAptAvailable(
  show: string,
  madison: string,
  installed: readonly InstalledPackage[],
  intern: (value: string) => string = keepStrings,
): readonly AvailableVersion[] {
  const offered = new Set<string>();
  for (const line of madison.split('\n')) {
    const [name = '', version = ''] = line.split('|').map((field) => field.trim());
    if (name !== '' && version !== '') offered.add(`${name}\t${version}`);
  }
  const installedVersion = new Map(installed.map((pkg) => [pkg.name, pkg.version]));
  const byName = new Map<string, AvailableVersion[]>();
  const seen = new Set<string>();
  for (const record of show.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of record.split('\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
    }
    const name = fields.get('Package');
    const version = fields.get('Version');
    if (name === undefined || version === undefined || !offered.has(`${name}\t${version}`) || seen.has(`${name}\t${version}`)) continue;
    seen.add(`${name}\t${version}`);
    const source = /^(\S+)(?:\s+\(([^)]+)\))?$/.exec(fields.get('Source') ?? '');
    const arch = fields.get('Architecture');
    const entry: AvailableVersion = {
      name: intern(name),
      version: intern(version),
      ...(arch === undefined || arch === '' ? {} : { arch: intern(arch) }),
      source: intern(source?.[1] ?? name),
      sourceVersion: intern(source?.[2] ?? version),
    };
    const list = byName.get(name) ?? [];
    list.push(entry);
    byName.set(name, list);
  }
  const available: AvailableVersion[] = [];
  for (const [name, versions] of byName) {
    if (!installedVersion.has(name)) continue;
    if (versions.every((entry) => entry.version === installedVersion.get(name))) continue;
    available.push(...versions);
  }
  return available;
}
