/**
 * Octokit calls of the GitHub forge: owner/repo filled in, bodies checked against `schema.ts`,
 * failures classified (`errorForStatus`; our own fetch-layer errors pass through from `cause`).
 */
import type { Octokit } from '@octokit/rest';
import type { ValidateFunction } from 'ajv';
import { err, ExternalError, ok, type PatchwardError, type Result } from '../../../errors.js';
import { checked } from '../http/checked.js';
import { errorForStatus, findPatchwardError } from '../http/classify.js';
import { scrubSecrets } from '../http/scrub.js';

type Params = Record<string, unknown>;

export interface RefusedCall {
  readonly status: number;
  readonly message: string;
}

/** Pages read at most by `all` (100 items each). */
const MAX_PAGES = 10;

export class GithubCalls {
  constructor(
    private readonly octokit: Octokit,
    private readonly repo: { readonly owner: string; readonly repo: string },
    private readonly secrets: readonly string[],
  ) {}

  async one<T>(operation: string, route: string, params: Params, schema: ValidateFunction | undefined): Promise<T> {
    try {
      const response = await this.octokit.request(route, { ...this.repo, ...params });
      return schema ? checked<T>(schema, response.data, 'github', operation) : (response.data as T);
    } catch (error) {
      throw this.classify(error, operation);
    }
  }

  /** Undefined when GitHub answers one of `missing` (e.g. 404 "Branch not protected"). */
  async maybe<T>(
    operation: string,
    route: string,
    params: Params,
    schema: ValidateFunction,
    missing: readonly number[],
  ): Promise<T | undefined> {
    const result = await this.status<T>(operation, route, params, schema, missing);
    return result.ok ? result.value : undefined;
  }

  /** Statuses in `passThrough` are returned for the caller to read (merge: 405, 409). */
  async status<T>(
    operation: string,
    route: string,
    params: Params,
    schema: ValidateFunction,
    passThrough: readonly number[],
  ): Promise<Result<T, RefusedCall>> {
    try {
      const response = await this.octokit.request(route, { ...this.repo, ...params });
      return ok(checked<T>(schema, response.data, 'github', operation));
    } catch (error) {
      const status = statusOf(error);
      if (status !== undefined && passThrough.includes(status) && findPatchwardError(error) === undefined) {
        return err({ status, message: scrubSecrets(messageOf(error), this.secrets) });
      }
      throw this.classify(error, operation);
    }
  }

  /** Every page (Link header), up to MAX_PAGES of 100. */
  async all<T>(operation: string, route: string, params: Params, schema: ValidateFunction): Promise<T[]> {
    const items: T[] = [];
    try {
      let pages = 0;
      for await (const page of this.octokit.paginate.iterator(route, { ...this.repo, per_page: 100, ...params })) {
        items.push(...checked<T[]>(schema, page.data, 'github', operation));
        pages += 1;
        if (pages >= MAX_PAGES) break;
      }
    } catch (error) {
      throw this.classify(error, operation);
    }
    return items;
  }

  private classify(error: unknown, operation: string): PatchwardError {
    const ours = findPatchwardError(error);
    if (ours) return ours;
    const status = statusOf(error);
    if (status !== undefined && status !== 500)
      return errorForStatus({ operation, status, detail: messageOf(error), forge: 'github', secrets: this.secrets });
    if (status === 500 && (error as { response?: unknown }).response !== undefined) {
      return errorForStatus({ operation, status, detail: messageOf(error), forge: 'github', secrets: this.secrets });
    }
    const message = scrubSecrets(error instanceof Error ? error.message : String(error), this.secrets);
    return new ExternalError('forge', 'forge-unavailable', `github: ${operation} failed: ${message}`, {
      cause: new Error(message),
      context: { forge: 'github', operation },
    });
  }
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** The forge's own message from the response body (with its `errors[].message`), not Octokit's (which repeats the URL). */
function messageOf(error: unknown): string {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data;
  if (typeof data === 'string') return data;
  if (!data || typeof data !== 'object') return '';
  const body = data as { message?: unknown; errors?: unknown };
  const details = Array.isArray(body.errors)
    ? body.errors
        .map((e) =>
          e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }).message : '',
        )
        .filter((m) => m !== '')
    : [];
  return [typeof body.message === 'string' ? body.message : '', ...details].filter((m) => m !== '').join(': ');
}
