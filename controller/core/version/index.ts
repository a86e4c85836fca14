/**
 * Version schemes by id. Import `versionSchemeFor` (or one scheme directly) from here; the
 * implementations live in `dpkg.ts` and `rpm.ts`.
 */
import type { VersionScheme, VersionSchemeId } from '../../ports/version-scheme.js';
import { dpkgVersionProblem, dpkgVersionScheme } from './dpkg.js';
import { rpmVersionProblem, rpmVersionScheme } from './rpm.js';

export { dpkgVersionScheme } from './dpkg.js';
export { rpmVersionScheme } from './rpm.js';
export { INVALID_VERSION, MAX_PACKAGE_NAME_LENGTH, MAX_VERSION_LENGTH } from './invalid-version.js';

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

/**
 * Why `version` is not valid in scheme `id` (a short human reason, for messages), or `undefined`
 * when it is valid. `isValidVersion` is the same test as a boolean.
 */
export function versionProblem(id: VersionSchemeId, version: string): string | undefined {
  return id === 'dpkg' ? dpkgVersionProblem(version) : rpmVersionProblem(version);
}
