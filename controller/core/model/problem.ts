/** Problems found in a policy repository: every one carries a file position and a field path. */

export type ProblemSeverity = 'error' | 'warning';

/** Stable codes, for machines (`--output json`) and tests. Messages are for people. */
export const PROBLEM_CODES = {
  fileTooLarge: 'FileTooLarge',
  tooManyFiles: 'TooManyFiles',
  unreadable: 'Unreadable',
  yamlSyntax: 'YamlSyntax',
  yamlTooDeep: 'YamlTooDeep',
  yamlAliases: 'YamlAliases',
  tooManyDocuments: 'TooManyDocuments',
  notAnObject: 'NotAnObject',
  unknownApiVersion: 'UnknownApiVersion',
  unknownKind: 'UnknownKind',
  clusterKind: 'ClusterKind',
  notPatchward: 'NotPatchward',
  schema: 'Schema',
  unknownField: 'UnknownField',
  missingField: 'MissingField',
  duplicateName: 'DuplicateName',
  danglingReference: 'DanglingReference',
  duplicateRingOrder: 'DuplicateRingOrder',
  hostWithoutRing: 'HostWithoutRing',
  hostInSeveralRings: 'HostInSeveralRings',
  hostWithoutPolicy: 'HostWithoutPolicy',
  selectorMatchesNothing: 'SelectorMatchesNothing',
  invalidSelector: 'InvalidSelector',
  sshIncomplete: 'SshIncomplete',
  jumpHostCycle: 'JumpHostCycle',
  cutoffTooLong: 'CutoffTooLong',
  unknownTimeZone: 'UnknownTimeZone',
  invalidSchedule: 'InvalidSchedule',
  scheduleNeverFires: 'ScheduleNeverFires',
  /** Warning: a schedule that fired but will not fire again (RRULE COUNT or UNTIL passed). */
  scheduleEnded: 'ScheduleEnded',
  /** Warning: none of a Ring's windows will let a host start again. */
  ringNeverOpens: 'RingNeverOpens',
  invalidDate: 'InvalidDate',
  emptyPeriod: 'EmptyPeriod',
  unknownRelease: 'UnknownRelease',
  invalidPackageName: 'InvalidPackageName',
  invalidVersion: 'InvalidVersion',
  duplicateEntry: 'DuplicateEntry',
  expired: 'Expired',
  impossibleThreshold: 'ImpossibleThreshold',
  statusInGit: 'StatusInGit',
  empty: 'Empty',
} as const;
export type ProblemCode = (typeof PROBLEM_CODES)[keyof typeof PROBLEM_CODES];

export interface Problem {
  readonly severity: ProblemSeverity;
  /** Path relative to the repository root, with `/` separators. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** Field path inside the document, e.g. `spec.hosts[2].port`; empty for the file or document itself. */
  readonly path: string;
  /** A plain sentence. */
  readonly message: string;
  readonly code: ProblemCode;
  /** Kind and name of the document, when known. */
  readonly object?: string;
}

export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Sorts by file, line, column, then errors before warnings; stable otherwise. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1),
  );
}

/** `file:line:column: error: path: message` (the path part is left out when empty). */
export function formatProblem(problem: Problem): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  return problem.path === ''
    ? `${where}: ${problem.severity}: ${problem.message}`
    : `${where}: ${problem.severity}: ${problem.path}: ${problem.message}`;
}
