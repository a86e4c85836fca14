/**
 * Loads a policy repository from disk: walks the tree for *.yaml / *.yml (skipping dot-directories
 * and node_modules), refuses oversized files before reading them, and hands the texts to the pure
 * validator in core. Any error means `ok: false`: the caller keeps its last good state.
 *
 * Only regular files and real directories are read. A `*.yaml` / `*.yml` name that is a symbolic
 * link, FIFO, socket, device or directory, and a symbolic link to a directory, is an error naming
 * the path (never silently skipped: a skipped Fleet file would make its hosts vanish while the
 * repository still looked valid). A file is read without blocking (a FIFO cannot hang the load).
 */
import type { Dirent } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { CrdSchema } from '../../core/model/crd-schema.js';
import type { PolicyKind } from '../../core/model/kinds.js';
import type { PolicyLoadResult } from '../../core/model/policy-set.js';
import { PROBLEM_CODES, type Problem } from '../../core/model/problem.js';
import { createPolicyValidator, type PolicyValidator } from '../../core/model/validate-policy-set.js';
import { DEFAULT_YAML_LIMITS, type PolicyFileInput, type YamlLimits } from '../../core/model/yaml-source.js';
import { installedPolicyValidator } from './installed-validator.js';
import { isInputError, readInputText } from '../io/bounded-read.js';

export type { PolicyLoadResult } from '../../core/model/policy-set.js';

export interface PolicyRepositoryLoaderOptions {
  /** Parsed CRDs to compile; absent: the installation's crds/ (their validators generated at build time). */
  readonly crds?: readonly CrdSchema[];
  readonly limits?: YamlLimits;
  /** The clock; injected by tests. */
  readonly now?: () => Date;
}

export interface PolicyRepositoryLoader {
  /** `onlyKinds`: a first look at some kinds only (`ValidateOptions.onlyKinds`), never the whole check. */
  load(directory: string, options?: { readonly onlyKinds?: readonly PolicyKind[] }): Promise<PolicyLoadResult>;
}

const SKIPPED_DIRECTORIES = new Set(['node_modules']);

function isYaml(name: string): boolean {
  return name.endsWith('.yaml') || name.endsWith('.yml');
}

function readProblem(file: string, code: Problem['code'], message: string): Problem {
  return { severity: 'error', file, line: 1, column: 1, path: '', message, code };
}

function kindOf(entry: Dirent): string {
  if (entry.isSymbolicLink()) return 'a symbolic link';
  if (entry.isDirectory()) return 'a directory';
  if (entry.isFIFO()) return 'a FIFO (named pipe)';
  if (entry.isSocket()) return 'a socket';
  return 'a device';
}

async function collectFiles(root: string, limits: YamlLimits): Promise<{ files: PolicyFileInput[]; problems: Problem[] }> {
  const files: PolicyFileInput[] = [];
  const problems: Problem[] = [];
  const pending = [root];
  let seen = 0;
  while (pending.length > 0) {
    const directory = pending.pop() as string;
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (error) {
      const name = relative(root, directory).split(sep).join('/') || '.';
      problems.push(
        readProblem(name, PROBLEM_CODES.unreadable, `cannot read directory: ${(error as NodeJS.ErrnoException).code ?? String(error)}`),
      );
      continue;
    }
    for (const entry of entries) {
      const full = join(directory, entry.name);
      const path = relative(root, full).split(sep).join('/');
      const hidden = entry.name.startsWith('.') || SKIPPED_DIRECTORIES.has(entry.name);
      if (entry.isDirectory()) {
        if (!hidden) pending.push(full);
        if (isYaml(entry.name) && !hidden)
          problems.push(readProblem(path, PROBLEM_CODES.unreadable, 'is a directory named like a policy file; rename it'));
        continue;
      }
      if (!entry.isFile()) {
        const linkedDirectory =
          entry.isSymbolicLink() &&
          !hidden &&
          (await stat(full)
            .then((info) => info.isDirectory())
            .catch(() => false)) &&
          !isYaml(entry.name);
        if ((isYaml(entry.name) && !hidden) || linkedDirectory)
          problems.push(
            readProblem(
              path,
              PROBLEM_CODES.unreadable,
              `is ${kindOf(entry)}, not a regular file: not read (policy repositories hold regular files only; replace the link with the file)`,
            ),
          );
        continue;
      }
      if (!isYaml(entry.name)) continue;
      seen++;
      if (seen > limits.maxFiles) continue;
      try {
        const stats = await lstat(full);
        if (stats.size > limits.maxFileBytes) {
          problems.push(
            readProblem(
              path,
              PROBLEM_CODES.fileTooLarge,
              `file is ${stats.size} bytes; policy files may be at most ${limits.maxFileBytes} bytes`,
            ),
          );
          continue;
        }
        files.push({
          path,
          text: await readInputText(full, { limit: { name: 'policy-file', bytes: limits.maxFileBytes }, display: path }),
        });
      } catch (error) {
        const reason = isInputError(error)
          ? error.message.replace(`${path} `, '').replace(`${path}: `, '')
          : ((error as NodeJS.ErrnoException).code ?? String(error));
        problems.push(readProblem(path, PROBLEM_CODES.unreadable, `cannot read file: ${reason}`));
      }
    }
  }
  if (seen > limits.maxFiles)
    problems.push(
      readProblem('.', PROBLEM_CODES.tooManyFiles, `the repository holds ${seen} YAML files; at most ${limits.maxFiles} are read`),
    );
  return { files, problems };
}

/** A loader with its schemas compiled once; use it when loading repeatedly (the controller, tests). */
export async function createPolicyRepositoryLoader(options: PolicyRepositoryLoaderOptions = {}): Promise<PolicyRepositoryLoader> {
  const limits = options.limits ?? DEFAULT_YAML_LIMITS;
  const validator: PolicyValidator =
    options.crds === undefined ? await installedPolicyValidator(limits) : createPolicyValidator(options.crds, limits);
  const now = options.now ?? (() => new Date());
  return {
    async load(directory, loadOptions = {}) {
      const stats = await lstat(directory).catch(() => undefined);
      if (stats === undefined || !stats.isDirectory()) {
        return { ok: false, error: [readProblem(directory, PROBLEM_CODES.unreadable, 'is not a directory')] };
      }
      const { files, problems } = await collectFiles(directory, limits);
      return validator.validate(files, {
        now: now(),
        readProblems: problems,
        ...(loadOptions.onlyKinds === undefined ? {} : { onlyKinds: loadOptions.onlyKinds }),
      });
    },
  };
}

/** Loads and validates the policy repository in `dir`: a PolicySet, or every problem at once. */
export async function loadPolicyRepository(dir: string): Promise<PolicyLoadResult> {
  return (await createPolicyRepositoryLoader()).load(dir);
}
