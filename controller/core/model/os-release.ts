/**
 * OS release keys (docs/adr/0002-os-release-keys.md): `<os-release ID>-<VERSION_ID>`, RHEL-likes cut
 * to the major version. The ID decides the family, and with it the version scheme.
 */
import type { OsFamily } from '../inventory/host-inventory.js';
import { familyOfOsId } from '../inventory/os-release.js';
import type { VersionSchemeId } from '../../ports/version-scheme.js';

export interface ParsedRelease {
  readonly id: string;
  readonly versionId: string;
  readonly family: OsFamily;
  readonly scheme: VersionSchemeId;
}

/** Parses `debian-12` etc.; undefined for an unknown OS id or a RHEL-like key with a minor version. */
export function parseReleaseKey(key: string): ParsedRelease | undefined {
  const match = /^([a-z][a-z0-9]*)-([0-9]+(?:\.[0-9]+)*)$/.exec(key);
  if (match === null) return undefined;
  const id = match[1] ?? '';
  const versionId = match[2] ?? '';
  const family = familyOfOsId(id);
  if (family === undefined) return undefined;
  if (family === 'rhel' && versionId.includes('.')) return undefined;
  return { id, versionId, family, scheme: family === 'debian' ? 'dpkg' : 'rpm' };
}
