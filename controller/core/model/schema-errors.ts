/** Turns ajv errors into problems with a location, a field path and a plain sentence. */
import type { ErrorObject } from 'ajv';
import { formatFieldPath, pointerToPath } from './field-path.js';
import { PROBLEM_CODES, type Problem } from './problem.js';
import type { PathSegment, SourceDocument } from './yaml-source.js';

/** Readable names of the patterns used in the CRDs. */
const PATTERN_HINTS: Readonly<Record<string, string>> = {
  '^([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?$': 'must be a duration such as 30m, 4h or 1h30m (units d, h, m, s in that order)',
  '^(100|[1-9]?[0-9])%$': 'must be a whole number or a percentage from 0% to 100%, such as "25%"',
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$':
    'must be a lower-case name: letters, digits, - and ., starting and ending with a letter or digit',
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$': 'must be a lower-case name: letters, digits and -, starting and ending with a letter or digit',
  '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$':
    'must be a label value: letters, digits, -, _ and ., starting and ending with a letter or digit',
  '^[a-z][a-z0-9]*-[0-9]+(\\.[0-9]+)*$': 'must be an OS release key such as debian-12, ubuntu-24.04 or rocky-9',
  '^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-[0-9][A-Za-z0-9:._-]*$':
    'must be an advisory id such as DSA-5801-1, USN-6409-1, ALSA-2024:1234 or CVE-2024-6387',
  '^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?)?$':
    'must be a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM[:SS], optionally with Z or an offset)',
  '^[0-9]{2}-[0-9]{2}$': 'must be a day of the year as MM-DD, such as 12-20',
  '^[a-z_][a-z0-9_.-]*[$]?$': 'must be a Unix user name: lower-case letters, digits, _, - and ., not starting with a digit',
};

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}

function suggestion(unknown: string, known: readonly string[]): string {
  const lower = unknown.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of known) {
    const score = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase());
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best !== undefined && bestScore <= Math.max(2, Math.floor(unknown.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

function quoteList(values: readonly unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(', ');
}

function requiredOnlyBranches(schema: unknown): string[][] | undefined {
  if (!Array.isArray(schema)) return undefined;
  const branches: string[][] = [];
  for (const branch of schema) {
    if (typeof branch !== 'object' || branch === null || Object.keys(branch).some((key) => key !== 'required')) return undefined;
    branches.push((branch as { required: string[] }).required);
  }
  return branches;
}

interface Located {
  readonly path: PathSegment[];
  readonly target: 'key' | 'value';
  readonly message: string;
  readonly code: Problem['code'];
}

function explain(error: ErrorObject, data: unknown): Located | undefined {
  const path = pointerToPath(error.instancePath, data);
  const value = error.data;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return {
        path: [...path, String(params['missingProperty'])],
        target: 'value',
        message: 'required field is missing',
        code: PROBLEM_CODES.missingField,
      };
    case 'additionalProperties': {
      const name = String(params['additionalProperty']);
      const properties = Object.keys(
        ((error.parentSchema as Record<string, unknown> | undefined)?.['properties'] as Record<string, unknown> | undefined) ?? {},
      );
      const hint = properties.length > 0 ? suggestion(name, properties) : '';
      return { path: [...path, name], target: 'key', message: `unknown field "${name}"${hint}`, code: PROBLEM_CODES.unknownField };
    }
    case 'type':
      return {
        path,
        target: 'value',
        message: `must be ${TYPE_NAMES[String(params['type'])] ?? String(params['type'])}, not ${describeType(value)}`,
        code: PROBLEM_CODES.schema,
      };
    case 'enum':
      return {
        path,
        target: 'value',
        message: `must be one of ${quoteList(params['allowedValues'] as unknown[])}, not ${JSON.stringify(value)}`,
        code: PROBLEM_CODES.schema,
      };
    case 'const':
      return {
        path,
        target: 'value',
        message: `must be ${JSON.stringify(params['allowedValue'])}, not ${JSON.stringify(value)}`,
        code: PROBLEM_CODES.schema,
      };
    case 'pattern': {
      const hint = PATTERN_HINTS[String(params['pattern'])];
      return {
        path,
        target: 'value',
        message: `${JSON.stringify(value)}: ${hint ?? `must match the pattern ${String(params['pattern'])}`}`,
        code: PROBLEM_CODES.schema,
      };
    }
    case 'format':
      return {
        path,
        target: 'value',
        message: `${JSON.stringify(value)} is not a valid ${String(params['format'])}`,
        code: PROBLEM_CODES.schema,
      };
    case 'minLength':
      return {
        path,
        target: 'value',
        message: params['limit'] === 1 ? 'must not be empty' : `must be at least ${String(params['limit'])} characters long`,
        code: PROBLEM_CODES.schema,
      };
    case 'maxLength':
      return { path, target: 'value', message: `must be at most ${String(params['limit'])} characters long`, code: PROBLEM_CODES.schema };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, target: 'value', message: `${JSON.stringify(value)} ${error.message ?? ''}`.trim(), code: PROBLEM_CODES.schema };
    case 'minItems':
      return {
        path,
        target: 'value',
        message: `must list at least ${String(params['limit'])} item${params['limit'] === 1 ? '' : 's'}`,
        code: PROBLEM_CODES.schema,
      };
    case 'maxItems':
      return { path, target: 'value', message: `must list at most ${String(params['limit'])} items`, code: PROBLEM_CODES.schema };
    case 'minProperties':
    case 'maxProperties': {
      const properties = Object.keys(
        ((error.parentSchema as Record<string, unknown> | undefined)?.['properties'] as Record<string, unknown> | undefined) ?? {},
      );
      const schema = error.parentSchema as Record<string, unknown> | undefined;
      if (schema?.['minProperties'] === 1 && schema['maxProperties'] === 1) {
        return { path, target: 'value', message: `must set exactly one of ${properties.join(', ')}`, code: PROBLEM_CODES.schema };
      }
      if (error.keyword === 'minProperties' && schema?.['minProperties'] === 1 && properties.length > 0) {
        return { path, target: 'value', message: `must set at least one of ${properties.join(', ')}`, code: PROBLEM_CODES.schema };
      }
      return { path, target: 'value', message: error.message ?? 'has the wrong number of fields', code: PROBLEM_CODES.schema };
    }
    case 'oneOf':
    case 'anyOf': {
      const branches = requiredOnlyBranches(error.schema);
      if (branches !== undefined) {
        const present = typeof value === 'object' && value !== null ? Object.keys(value) : [];
        const options = branches.map((fields) => fields.join(' and ')).join(' or ');
        const matching = branches.filter((fields) => fields.every((field) => present.includes(field)));
        if (matching.length > 1)
          return { path, target: 'value', message: `set only one of ${options}, not several`, code: PROBLEM_CODES.schema };
        return { path, target: 'value', message: `must set ${options}`, code: PROBLEM_CODES.schema };
      }
      if ((error.parentSchema as Record<string, unknown> | undefined)?.['x-kubernetes-int-or-string'] === true) {
        return {
          path,
          target: 'value',
          message: `must be a whole number or a percentage such as "25%", not ${describeType(value)}`,
          code: PROBLEM_CODES.schema,
        };
      }
      return { path, target: 'value', message: error.message ?? 'does not match any allowed form', code: PROBLEM_CODES.schema };
    }
    default:
      return { path, target: 'value', message: error.message ?? `fails ${error.keyword}`, code: PROBLEM_CODES.schema };
  }
}

/** One problem per distinct failure; the branch errors under a failed oneOf/anyOf are folded into it. */
export function schemaProblems(errors: readonly ErrorObject[], document: SourceDocument, object: string): Problem[] {
  const junctions = errors.filter((error) => error.keyword === 'oneOf' || error.keyword === 'anyOf').map((error) => `${error.schemaPath}/`);
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of errors) {
    if (junctions.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    if (error.keyword === 'if') continue;
    const located = explain(error, document.value);
    if (located === undefined) continue;
    const path = formatFieldPath(located.path);
    const key = `${path}\u0000${located.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const where = document.at(located.path, located.target);
    problems.push({
      severity: 'error',
      file: where.file,
      line: where.line,
      column: where.column,
      path,
      message: located.message,
      code: located.code,
      object,
    });
  }
  return problems;
}
