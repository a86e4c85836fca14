import { StalledError } from '../../errors.js';
import type { VersionSchemeId } from '../../ports/version-scheme.js';

/** Error code of a version string that fails its scheme's grammar. */
export const INVALID_VERSION = 'InvalidVersion';

/** Longest version string any scheme accepts; real ones stay far below (longest seen: 80). */
export const MAX_VERSION_LENGTH = 255;

/** Longest package name any scheme accepts. */
export const MAX_PACKAGE_NAME_LENGTH = 255;

/**
 * The typed error `compare` throws for input that is not a version of the scheme. Callers are meant
 * to validate first (`isValidVersion`); reaching this is a bug or unchecked untrusted data.
 */
export function invalidVersionError(scheme: VersionSchemeId, version: string, reason: string): StalledError {
  return new StalledError(INVALID_VERSION, `invalid ${scheme} version ${JSON.stringify(truncate(version))}: ${reason}`, {
    context: { scheme, version: truncate(version), reason },
  });
}

function truncate(text: string): string {
  return text.length <= 80 ? text : `${text.slice(0, 77)}...`;
}
