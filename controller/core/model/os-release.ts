/**
 * OS release keys (docs/adr/0002-os-release-keys.md): `<os-release ID>-<VERSION_ID>`, RHEL-likes cut
 * to the major version. The ID decides the family, and with it the version scheme.
 */
import type { OsFamily } from '../inventory/host-inventory.js';
import type { VersionSchemeId } from '../../ports/version-scheme.js';

const FAMILY_BY_ID: Readonly<Record<string, OsFamily>> = {
  debian: 'debian',
  ubuntu: 'debian',
  rocky: 'rhel',
  almalinux: 'rhel',
  rhel: 'rhel',
  centos: 'rhel',
  ol: 'rhel',
};

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
  const family = Object.hasOwn(FAMILY_BY_ID, id) ? FAMILY_BY_ID[id] : undefined;
  if (family === undefined) return undefined;
  if (family === 'rhel' && versionId.includes('.')) return undefined;
  return { id, versionId, family, scheme: family === 'debian' ? 'dpkg' : 'rpm' };
}

export const KNOWN_OS_IDS: readonly string[] = Object.keys(FAMILY_BY_ID);
