/**
 * OSV ecosystem → our OS release key (`controller/core/inventory/host-inventory.ts`).
 *
 * | ecosystem                              | release        | stream         |
 * |----------------------------------------|----------------|----------------|
 * | `Debian:12`                            | `debian-12`    | `standard`     |
 * | `Ubuntu:22.04:LTS`, `Ubuntu:25.04`     | `ubuntu-22.04` | `standard`     |
 * | `Ubuntu:Pro:22.04:LTS`, `Ubuntu:22.04:LTS:Pro` | `ubuntu-22.04` | `pro` (ESM) |
 * | `Ubuntu:Pro:FIPS:20.04:LTS`            | `ubuntu-20.04` | `fips`         |
 * | `Ubuntu:Pro:FIPS-updates:22.04:LTS`    | `ubuntu-22.04` | `fips-updates` |
 * | `Ubuntu:Pro:FIPS-preview:22.04:LTS`    | `ubuntu-22.04` | `fips-preview` |
 * | `AlmaLinux:9` (`AlmaLinux:9.4`)        | `almalinux-9`  | `standard`     |
 * | `Rocky Linux:9`                        | `rocky-9`      | `standard`     |
 *
 * Streams other than `standard` describe fixes that only a subscription (Ubuntu Pro / ESM) or a
 * FIPS-certified package set delivers; `assess` ignores them unless the caller opts in
 * (`AssessOptions.streams`). Anything else returns `undefined` (an ecosystem we do not serve).
 */
import type { OsFamily, OsReleaseKey } from '../inventory/host-inventory.js';
import type { VersionSchemeId } from '../../ports/version-scheme.js';

export type AdvisoryStream = 'standard' | 'pro' | 'fips' | 'fips-updates' | 'fips-preview';

export const ADVISORY_STREAMS: readonly AdvisoryStream[] = ['standard', 'pro', 'fips', 'fips-updates', 'fips-preview'];

/** How advisories of a family name packages: Debian/Ubuntu name source packages, RPM binary ones. */
export type PackageNaming = 'source' | 'binary';

export interface EcosystemTarget {
  readonly release: OsReleaseKey;
  readonly family: OsFamily;
  readonly scheme: VersionSchemeId;
  readonly naming: PackageNaming;
  readonly stream: AdvisoryStream;
}

const RPM_DISTROS: Readonly<Record<string, string>> = {
  AlmaLinux: 'almalinux',
  'Rocky Linux': 'rocky',
  Rocky: 'rocky',
};

const UBUNTU_STREAM: Readonly<Record<string, AdvisoryStream>> = {
  FIPS: 'fips',
  'FIPS-updates': 'fips-updates',
  'FIPS-preview': 'fips-preview',
};

function parseUbuntu(parts: readonly string[]): EcosystemTarget | undefined {
  let stream: AdvisoryStream = 'standard';
  let version: string | undefined;
  for (const part of parts) {
    if (part === 'LTS') continue;
    if (part === 'Pro') {
      if (stream === 'standard') stream = 'pro';
      continue;
    }
    const fips = UBUNTU_STREAM[part];
    if (fips !== undefined) {
      stream = fips;
      continue;
    }
    if (/^[0-9]{2}\.[0-9]{2}$/.test(part) && version === undefined) {
      version = part;
      continue;
    }
    return undefined;
  }
  if (version === undefined) return undefined;
  return { release: `ubuntu-${version}`, family: 'debian', scheme: 'dpkg', naming: 'source', stream };
}

/** Maps an OSV `affected[].package.ecosystem` string; `undefined` when we do not serve it. */
export function parseEcosystem(ecosystem: string): EcosystemTarget | undefined {
  const [name, ...rest] = ecosystem.split(':');
  if (name === 'Debian') {
    const major = rest[0];
    if (rest.length !== 1 || major === undefined || !/^[0-9]+$/.test(major)) return undefined;
    return { release: `debian-${major}`, family: 'debian', scheme: 'dpkg', naming: 'source', stream: 'standard' };
  }
  if (name === 'Ubuntu') return parseUbuntu(rest);
  const rpmId = name === undefined ? undefined : RPM_DISTROS[name];
  if (rpmId !== undefined) {
    const match = rest.length === 1 ? /^([0-9]+)(?:\.[0-9]+)*$/.exec(rest[0] ?? '') : null;
    if (match === null) return undefined;
    return { release: `${rpmId}-${match[1]}`, family: 'rhel', scheme: 'rpm', naming: 'binary', stream: 'standard' };
  }
  return undefined;
}
