import type { PackageVersion } from './transaction.js';

export interface VersionMismatch {
  readonly name: string;
  readonly expected: string;
  /** Absent when the package is not installed at all. */
  readonly actual?: string;
}

export interface VersionVerification {
  readonly ok: boolean;
  readonly mismatches: readonly VersionMismatch[];
}

/**
 * Compares what is installed with what the plan asked for: every target must be installed at
 * exactly its version (string equality: the package manager reports the version it installed in
 * the same spelling we asked for it). A package installed in several architectures must have the
 * version in each. Pure.
 */
export function verifyVersions(targets: readonly PackageVersion[], installed: readonly PackageVersion[]): VersionVerification {
  const actual = new Map<string, string[]>();
  for (const pkg of installed) actual.set(pkg.name, [...(actual.get(pkg.name) ?? []), pkg.version]);
  const mismatches: VersionMismatch[] = [];
  for (const target of targets) {
    const versions = actual.get(target.name) ?? [];
    if (versions.length === 0) mismatches.push({ name: target.name, expected: target.version });
    else {
      const wrong = versions.find((version) => version !== target.version);
      if (wrong !== undefined) mismatches.push({ name: target.name, expected: target.version, actual: wrong });
    }
  }
  return { ok: mismatches.length === 0, mismatches };
}
