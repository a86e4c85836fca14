/**
 * The pure heart of the loader: policy files (path + text) in, a PolicySet or every problem out.
 * Schemas come from the CRDs (passed in, see crd-schema.ts); the clock is passed in (`now`).
 */
import { Ajv, type CodeOptions, type ValidateFunction } from 'ajv';
import addFormatsModule, { type FormatsPlugin } from 'ajv-formats';
import { crossCheckPolicySet } from './cross-check.js';
import { formatFieldPath } from './field-path.js';
import { validationSchemaOf, type CrdSchema } from './crd-schema.js';
import type { Fleet, MaintenanceWindow, PatchBaseline, PatchPolicy, Ring } from './generated/kinds.js';
import { API_VERSION, ALL_KINDS, isKindName, isPolicyKind, type PolicyKind } from './kinds.js';
import type { PolicyLoadResult, PolicySet, Sourced } from './policy-set.js';
import { PROBLEM_CODES, sortProblems, type Problem } from './problem.js';
import { schemaProblems } from './schema-errors.js';
import { DEFAULT_YAML_LIMITS, parsePolicyFile, type PolicyFileInput, type SourceDocument, type YamlLimits } from './yaml-source.js';

// ajv-formats is CommonJS with a default export; under NodeNext the callable sits on `.default`.
const addFormats: FormatsPlugin = (addFormatsModule as unknown as { default: FormatsPlugin }).default;

/** The `x-kubernetes-*` keywords the CRD schemas use; ajv accepts them and otherwise stays strict. */
export const KUBERNETES_KEYWORDS = [
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-validations',
] as const;

/** A document that passed the schema, ready for the cross-checks. */
export interface CheckedDocument<T = unknown> {
  readonly kind: PolicyKind;
  readonly name: string;
  readonly resource: T;
  readonly document: SourceDocument;
}

export interface ValidateOptions {
  /** The instant "never fires", "expired" and similar checks are judged from. */
  readonly now: Date;
  /** Files the caller could not read or refused (size), already as problems. */
  readonly readProblems?: readonly Problem[];
  /**
   * Check only the documents of these kinds, and none of the checks across documents: a first look
   * at one kind (the rollout reads the Fleet first, to start its SSH handshakes while the rest is
   * checked). Never a substitute for the whole check before anything is done.
   */
  readonly onlyKinds?: readonly PolicyKind[];
}

export interface PolicyValidator {
  validate(files: readonly PolicyFileInput[], options: ValidateOptions): PolicyLoadResult;
}

/** The `kind` field of a parsed document, when it is a mapping with one. */
function kindField(value: unknown): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)['kind'] : undefined;
}

function objectName(value: Record<string, unknown>): string | undefined {
  const metadata = value['metadata'];
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const name = (metadata as Record<string, unknown>)['name'];
  return typeof name === 'string' ? name : undefined;
}

function documentProblem(
  document: SourceDocument,
  path: readonly (string | number)[],
  code: Problem['code'],
  message: string,
  severity: 'error' | 'warning' = 'error',
  object?: string,
): Problem {
  const where = document.at(path, 'value');
  const fieldPath = formatFieldPath(path);
  return {
    severity,
    file: where.file,
    line: where.line,
    column: where.column,
    path: fieldPath,
    message,
    code,
    ...(object === undefined ? {} : { object }),
  };
}

/**
 * The ajv instance the policy kinds' schemas are compiled with, here at run time and by
 * `scripts/generate-validators.mjs` at build time (with `code` options for standalone code): one
 * set of options, so both give the same verdicts and the same errors (ADR 0003).
 */
export function newPolicyAjv(code: CodeOptions = {}): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strictSchema: true,
    strictTypes: false,
    strictRequired: false,
    strictTuples: false,
    useDefaults: true,
    // No optimisation passes over the code compiled at run time: they doubled the compile time
    // (~65 → ~120 ms for the five kinds of a typical repository), and a policy repository is a few
    // hundred documents at most. They change the code, never what it accepts.
    code: { optimize: false, ...code },
  });
  addFormats(ajv);
  ajv.addVocabulary([...KUBERNETES_KEYWORDS]);
  return ajv;
}

/** Validators compiled ahead of time from the same CRDs (`scripts/generate-validators.mjs`). */
export type CompiledPolicyValidators = Partial<Readonly<Record<PolicyKind, ValidateFunction>>>;

/**
 * A validator for any number of repositories. A kind's schema comes from `precompiled` when that
 * holds it, otherwise from its CRD in `crds`, compiled the first time a document of that kind is
 * checked (compiling all of them took most of a short command's start) and kept.
 */
export function createPolicyValidator(
  crds: readonly CrdSchema[],
  limits: YamlLimits = DEFAULT_YAML_LIMITS,
  precompiled: CompiledPolicyValidators = {},
): PolicyValidator {
  let ajv: Ajv | undefined;
  const schemas = new Map<PolicyKind, CrdSchema>();
  for (const crd of crds) if (isPolicyKind(crd.kind)) schemas.set(crd.kind, crd);
  const compiled = new Map<PolicyKind, ValidateFunction>();
  const validatorOf = (kind: PolicyKind): ValidateFunction | undefined => {
    const known = compiled.get(kind) ?? precompiled[kind];
    if (known !== undefined) return known;
    const crd = schemas.get(kind);
    if (crd === undefined) return undefined;
    ajv ??= newPolicyAjv();
    const validate = ajv.compile(validationSchemaOf(crd));
    compiled.set(kind, validate);
    return validate;
  };

  function checkDocument(document: SourceDocument, problems: Problem[]): CheckedDocument | undefined {
    const value = document.value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(
        documentProblem(
          document,
          [],
          PROBLEM_CODES.notAnObject,
          `a policy document must be a mapping with apiVersion, kind, metadata and spec, not ${Array.isArray(value) ? 'a list' : typeof value === 'string' ? 'a string' : String(value)}`,
        ),
      );
      return undefined;
    }
    const record = value as Record<string, unknown>;
    const apiVersion = record['apiVersion'];
    const kind = record['kind'];
    const ours = (typeof apiVersion === 'string' && apiVersion.startsWith('patchward.io/')) || isKindName(kind);
    if (!ours) {
      problems.push(
        documentProblem(
          document,
          [],
          PROBLEM_CODES.notPatchward,
          `skipped: not a patchward.io document (apiVersion ${JSON.stringify(apiVersion ?? null)}, kind ${JSON.stringify(kind ?? null)})`,
          'warning',
        ),
      );
      return undefined;
    }
    const label = `${typeof kind === 'string' ? kind : '?'}/${objectName(record) ?? '?'}`;
    if (apiVersion !== API_VERSION) {
      problems.push(
        documentProblem(
          document,
          ['apiVersion'],
          apiVersion === undefined ? PROBLEM_CODES.missingField : PROBLEM_CODES.unknownApiVersion,
          apiVersion === undefined ? 'required field is missing' : `must be "${API_VERSION}", not ${JSON.stringify(apiVersion)}`,
          'error',
          label,
        ),
      );
      return undefined;
    }
    if (!isKindName(kind)) {
      problems.push(
        documentProblem(
          document,
          ['kind'],
          kind === undefined ? PROBLEM_CODES.missingField : PROBLEM_CODES.unknownKind,
          kind === undefined
            ? 'required field is missing'
            : `unknown kind ${JSON.stringify(kind)}; policy files hold ${ALL_KINDS.slice(0, 5).join(', ')}`,
          'error',
          label,
        ),
      );
      return undefined;
    }
    if (!isPolicyKind(kind)) {
      problems.push(
        documentProblem(
          document,
          ['kind'],
          PROBLEM_CODES.clusterKind,
          `${kind} lives in the cluster, not in a policy repository`,
          'error',
          label,
        ),
      );
      return undefined;
    }
    const validator = validatorOf(kind);
    if (validator === undefined) {
      problems.push(
        documentProblem(
          document,
          ['kind'],
          PROBLEM_CODES.unknownKind,
          `no schema loaded for kind ${kind} (is its CRD missing from crds/?)`,
          'error',
          label,
        ),
      );
      return undefined;
    }
    if (!validator(value)) {
      problems.push(...schemaProblems(validator.errors ?? [], document, label));
      return undefined;
    }
    if (record['status'] !== undefined) {
      problems.push(
        documentProblem(
          document,
          ['status'],
          PROBLEM_CODES.statusInGit,
          'status is written by the controller and ignored in policy files',
          'warning',
          label,
        ),
      );
    }
    return { kind, name: objectName(record) ?? '', resource: value, document };
  }

  return {
    validate(files, options) {
      const problems: Problem[] = [...(options.readProblems ?? [])];
      const checked: CheckedDocument[] = [];
      const sortedFiles = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      if (sortedFiles.length > limits.maxFiles) {
        problems.push({
          severity: 'error',
          file: '.',
          line: 1,
          column: 1,
          path: '',
          message: `the repository holds ${sortedFiles.length} YAML files; at most ${limits.maxFiles} are read`,
          code: PROBLEM_CODES.tooManyFiles,
        });
        return { ok: false, error: sortProblems(problems) };
      }
      for (const file of sortedFiles) {
        const parsed = parsePolicyFile(file, limits);
        problems.push(...parsed.problems);
        for (const document of parsed.documents) {
          if (options.onlyKinds !== undefined && !options.onlyKinds.some((kind) => kind === kindField(document.value))) continue;
          const result = checkDocument(document, problems);
          if (result !== undefined) checked.push(result);
        }
      }
      // A first look at some kinds: no checks across documents (the other kinds were not read).
      if (options.onlyKinds !== undefined) return resultOf(checked, sortedFiles, problems);
      if (checked.length === 0 && !problems.some((problem) => problem.severity === 'error')) {
        problems.push({
          severity: 'error',
          file: '.',
          line: 1,
          column: 1,
          path: '',
          message: 'no patchward.io policy documents found (looked for *.yaml and *.yml files)',
          code: PROBLEM_CODES.empty,
        });
      }
      problems.push(...crossCheckPolicySet(checked, options.now));
      return resultOf(checked, sortedFiles, problems);
    },
  };
}

/** Any error refuses the whole set; otherwise the policy set, with the warnings. */
function resultOf(checked: readonly CheckedDocument[], files: readonly PolicyFileInput[], problems: readonly Problem[]): PolicyLoadResult {
  const sorted = sortProblems(problems);
  if (sorted.some((problem) => problem.severity === 'error')) return { ok: false, error: sorted };
  return {
    ok: true,
    value: toPolicySet(
      checked,
      files.map((file) => file.path),
    ),
    warnings: sorted,
  };
}

function sourced<T>(documents: readonly CheckedDocument[], kind: PolicyKind): Sourced<T>[] {
  return documents
    .filter((entry) => entry.kind === kind)
    .map((entry) => ({ resource: entry.resource as T, source: entry.document.source }));
}

function toPolicySet(documents: readonly CheckedDocument[], files: readonly string[]): PolicySet {
  const rings = sourced<Ring>(documents, 'Ring').sort((a, b) => a.resource.spec.order - b.resource.spec.order);
  return {
    fleets: sourced<Fleet>(documents, 'Fleet'),
    maintenanceWindows: sourced<MaintenanceWindow>(documents, 'MaintenanceWindow'),
    rings,
    patchPolicies: sourced<PatchPolicy>(documents, 'PatchPolicy'),
    patchBaselines: sourced<PatchBaseline>(documents, 'PatchBaseline'),
    files,
  };
}

/** One-shot form of `createPolicyValidator(crds).validate(files, { now })`. */
export function validatePolicySet(files: readonly PolicyFileInput[], crds: readonly CrdSchema[], now: Date): PolicyLoadResult {
  return createPolicyValidator(crds).validate(files, { now });
}
