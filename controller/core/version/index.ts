/**
 * Version schemes by id. Import `versionSchemeFor` (or one scheme directly) from here; the
 * implementations live in `dpkg.ts` and `rpm.ts`.
 */
import type { VersionScheme, VersionSchemeId } from '../../ports/version-scheme.js';
import { dpkgVersionScheme } from './dpkg.js';
import { rpmVersionScheme } from './rpm.js';

export { dpkgVersionScheme } from './dpkg.js';
export { rpmVersionScheme } from './rpm.js';
export { INVALID_VERSION } from './invalid-version.js';

/** Every scheme id, for argument parsing and schema enums. */
export const VERSION_SCHEME_IDS: readonly VersionSchemeId[] = Object.freeze(['dpkg', 'rpm'] as const);

const SCHEMES: Readonly<Record<VersionSchemeId, VersionScheme>> = Object.freeze({
  dpkg: dpkgVersionScheme,
  rpm: rpmVersionScheme,
});

/** The scheme for an id. */
export function versionSchemeFor(id: VersionSchemeId): VersionScheme {
  return SCHEMES[id];
}

/** Type guard for untrusted ids (CLI flags, policy files). */
export function isVersionSchemeId(value: string): value is VersionSchemeId {
  return value === 'dpkg' || value === 'rpm';
}
