/** Builds a problem located at a field of a checked document. */
import { formatFieldPath } from './field-path.js';
import type { Problem, ProblemCode, ProblemSeverity } from './problem.js';
import type { CheckedDocument } from './validate-policy-set.js';
import type { PathSegment } from './yaml-source.js';

export function problemAt(
  document: CheckedDocument,
  path: readonly PathSegment[],
  code: ProblemCode,
  message: string,
  severity: ProblemSeverity = 'error',
  target: 'key' | 'value' = 'value',
): Problem {
  const where = document.document.at(path, target);
  return {
    severity,
    file: where.file,
    line: where.line,
    column: where.column,
    path: formatFieldPath(path),
    message,
    code,
    object: `${document.kind}/${document.name}`,
  };
}

export function locationText(document: CheckedDocument, path: readonly PathSegment[] = ['metadata', 'name']): string {
  const where = document.document.at(path);
  return `${where.file}:${where.line}:${where.column}`;
}
