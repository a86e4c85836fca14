import { err, ok, type Result } from '../../errors.js';
import type { OsFamily, OsInfo } from './host-inventory.js';

/** Parses `/etc/os-release` (KEY=value, optionally quoted, `#` comments) into a map. Pure. */
export function parseOsReleaseFields(text: string): ReadonlyMap<string, string> {
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match === null) continue;
    const [, key = '', rawValue = ''] = match;
    fields.set(key, unquote(rawValue));
  }
  return fields;
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
    const inner = value.slice(1, -1);
    return quote === '"' ? inner.replace(/\\(["\\$`])/g, '$1') : inner;
  }
  return value;
}

/** The one table of os-release IDs we know, and their family (hosts, release keys, baselines). */
const FAMILY_BY_OS_ID: Readonly<Record<string, OsFamily>> = {
  debian: 'debian',
  ubuntu: 'debian',
  rhel: 'rhel',
  centos: 'rhel',
  fedora: 'rhel',
  rocky: 'rhel',
  almalinux: 'rhel',
  ol: 'rhel',
};

/** Family of one os-release ID; undefined when unknown. */
export function familyOfOsId(id: string): OsFamily | undefined {
  return Object.hasOwn(FAMILY_BY_OS_ID, id) ? FAMILY_BY_OS_ID[id] : undefined;
}

/** OS family from `ID`, then each `ID_LIKE` word; undefined when neither is known. */
export function osFamilyOf(id: string, idLike: readonly string[]): OsFamily | undefined {
  for (const word of [id, ...idLike]) {
    const family = familyOfOsId(word);
    if (family !== undefined) return family;
  }
  return undefined;
}

/** Release key: `<ID>-<VERSION_ID>`, RHEL-likes cut to the major version (`rocky-9`). */
export function releaseKeyOf(id: string, versionId: string, family: OsFamily): string {
  const version = family === 'rhel' ? (versionId.split('.')[0] ?? versionId) : versionId;
  return `${id}-${version}`;
}

/** The `OsInfo`, or the reason (a sentence) it cannot be used. */
export type OsReleaseResult = Result<OsInfo, string>;

/** `/etc/os-release` text → `OsInfo`, or the reason it cannot be used. */
export function parseOsRelease(text: string): OsReleaseResult {
  const fields = parseOsReleaseFields(text);
  const id = fields.get('ID')?.toLowerCase();
  const versionId = fields.get('VERSION_ID');
  if (id === undefined || id === '') return err('os-release has no ID');
  if (versionId === undefined || versionId === '') return err(`os-release of ${id} has no VERSION_ID (rolling or testing release?)`);
  const idLike = (fields.get('ID_LIKE') ?? '')
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== '');
  const family = osFamilyOf(id, idLike);
  if (family === undefined) return err(`unsupported OS ${id} (ID_LIKE: ${idLike.join(' ') || 'none'})`);
  const prettyName = fields.get('PRETTY_NAME');
  const codename = fields.get('VERSION_CODENAME');
  return ok({
    id,
    versionId,
    family,
    release: releaseKeyOf(id, versionId, family),
    ...(prettyName === undefined || prettyName === '' ? {} : { prettyName }),
    ...(codename === undefined || codename === '' ? {} : { codename }),
  });
}
