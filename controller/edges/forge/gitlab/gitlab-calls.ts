/**
 * gitbeaker calls of the GitLab forge: the project path filled in, bodies checked against
 * `schema.ts`, failures classified (our fetch-layer errors pass through; `GitlabHttpError` → kinds).
 */
import type { ValidateFunction } from 'ajv';
import { err, ExternalError, ok, type PatchwardError, type Result } from '../../../errors.js';
import { checked } from '../http/checked.js';
import { errorForStatus, findPatchwardError } from '../http/classify.js';
import { scrubSecrets } from '../http/scrub.js';
import { GitlabHttpError } from './gitlab-requester.js';

type Call = (...args: never[]) => Promise<unknown>;

/** The part of gitbeaker's `Gitlab` this edge uses (its full overloads are not needed here). */
export interface GitlabClient {
  readonly Projects: { show: Call };
  readonly MergeRequests: { all: Call; show: Call; create: Call; edit: Call; accept: Call };
  readonly MergeRequestNotes: { all: Call; create: Call };
  readonly Commits: { allStatuses: Call; editStatus: Call };
  readonly ProjectLabels: { all: Call; create: Call };
  readonly Issues: { all: Call; create: Call; edit: Call };
  readonly Users: { all: Call };
}

type Loose = { [K in keyof GitlabClient]: { [M in keyof GitlabClient[K]]: (...args: unknown[]) => Promise<unknown> } };

export class GitlabCalls {
  constructor(
    private readonly api: GitlabClient,
    private readonly project: string,
    private readonly secrets: readonly string[],
  ) {}

  async run<T>(operation: string, schema: ValidateFunction, call: (api: Loose, project: string) => Promise<unknown>): Promise<T> {
    try {
      return checked<T>(schema, await call(this.api as unknown as Loose, this.project), 'gitlab', operation);
    } catch (error) {
      throw this.classify(error, operation);
    }
  }

  /** Statuses in `passThrough` come back as values (merge: 405, 406, 409, 422). */
  async refusable<T>(
    operation: string,
    schema: ValidateFunction,
    passThrough: readonly number[],
    call: (api: Loose, project: string) => Promise<unknown>,
  ): Promise<Result<T, { readonly status: number; readonly detail: string }>> {
    try {
      return ok(checked<T>(schema, await call(this.api as unknown as Loose, this.project), 'gitlab', operation));
    } catch (error) {
      if (error instanceof GitlabHttpError && passThrough.includes(error.status))
        return err({ status: error.status, detail: scrubSecrets(error.detail, this.secrets) });
      throw this.classify(error, operation);
    }
  }

  private classify(error: unknown, operation: string): PatchwardError {
    const ours = findPatchwardError(error);
    if (ours) return ours;
    if (error instanceof GitlabHttpError)
      return errorForStatus({ operation, status: error.status, detail: error.detail, forge: 'gitlab', secrets: this.secrets });
    const message = scrubSecrets(error instanceof Error ? error.message : String(error), this.secrets);
    return new ExternalError('forge', 'forge-unavailable', `gitlab: ${operation} failed: ${message}`, {
      cause: new Error(message),
      context: { forge: 'gitlab', operation },
    });
  }
}
