/**
 * `VersionScheme`: the order of package versions in one packaging ecosystem, and its grammar.
 * Implementations: dpkg (Debian, Ubuntu) and rpm EVR (AlmaLinux, Rocky, RHEL).
 *
 * Pure: no I/O. Advisory data and policy files are untrusted, so every name and version is checked
 * against the grammar before it is compared, stored in a plan or placed on a command line.
 *
 * Two comparators: `compare` checks both strings and throws the typed `InvalidVersion` error
 * (a `StalledError`) on a bad one; use it wherever a string may not have been checked.
 * `compareValid` skips that check, for hot paths whose strings were checked where they entered
 * (docs/adr/0012-trusted-version-compare.md lists the callers and why each may use it).
 */
export type VersionSchemeId = 'dpkg' | 'rpm';

export type Comparison = -1 | 0 | 1;

export interface VersionScheme {
  readonly id: VersionSchemeId;
  /** -1 when a < b, 0 when equal in this scheme's order, 1 when a > b. Both must be valid. */
  compare(a: string, b: string): Comparison;
  /**
   * The same order as `compare`, for two strings ALREADY KNOWN to be valid (`isValidVersion`):
   * no grammar check. On invalid input it neither throws nor loops, but the result is meaningless.
   */
  compareValid(a: string, b: string): Comparison;
  /** True when the string is a well-formed version of this scheme. */
  isValidVersion(version: string): boolean;
  /** True when the string is a well-formed package name of this scheme's ecosystem. */
  isValidPackageName(name: string): boolean;
}
