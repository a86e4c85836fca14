/**
 * The GitHub edge against a local fixture server refereed by GitHub's OpenAPI description: every
 * request is checked (operation, query parameters, body schema) and every served body is checked
 * against the documented response schema. Responses are recorded traffic (@octokit/fixtures) or
 * documented examples (OpenAPI `components.examples`); where a test adjusts one (a branch name, a
 * state), the route's `source` says so.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { GithubForge } from '../../../../../controller/edges/forge/github/github-forge.js';
import { createLogger } from '../../../../../controller/log.js';
import { type FixtureRoute, type FixtureServer, startFixtureServer } from '../../../../helpers/fixture-server.js';
import { type GithubOpenApi, loadGithubOpenApi } from '../../../../helpers/github-openapi.js';

export const OWNER = 'octocat';
export const REPO = 'Hello-World';
export const BASE = `/repos/${OWNER}/${REPO}`;
export const TOKEN = 'ghp_fixtureTOKENfixtureTOKENfixture0001';

export interface GithubHarness {
  readonly server: FixtureServer;
  readonly api: GithubOpenApi;
  readonly sleeps: number[];
  forge(options?: { token?: string }): GithubForge;
  logText(): string;
  /** Serves `body` for `method path`, after checking it against the documented response schema. */
  serve(method: string, path: string, status: number, body: unknown, source: string, extra?: Partial<FixtureRoute>): void;
  /** No unexpected call, no request outside the OpenAPI description. */
  assertClean(): void;
  /** `METHOD /template` of every request made since the last reset, in order. */
  operations(): string[];
}

export async function startGithubHarness(): Promise<GithubHarness> {
  const api = loadGithubOpenApi();
  const server = await startFixtureServer((request) => api.check(request));
  const lines: string[] = [];
  const sleeps: number[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  return {
    server,
    api,
    sleeps,
    forge: (options = {}) =>
      new GithubForge({
        apiUrl: server.url,
        repository: `${OWNER}/${REPO}`,
        token: options.token ?? TOKEN,
        logger,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      }),
    logText: () => lines.join(''),
    serve(method, path, status, body, source, extra = {}) {
      const problems = api.checkResponse(method, path, status, body);
      assert.deepEqual(problems, [], `fixture ${source} must match GitHub's documented response`);
      server.route({ method, path, status, body, source, ...extra });
    },
    assertClean() {
      assert.deepEqual(
        server.unexpected.map((r) => `${r.method} ${r.path}?${new URLSearchParams(r.query as Record<string, string>)}`),
        [],
        'unexpected calls',
      );
      assert.deepEqual(server.problems, [], 'requests outside the OpenAPI description');
    },
    operations: () => server.requests.map((r) => api.operationOf(r.method, r.path) ?? `${r.method} ${r.path}`),
  };
}

/** A documented pull request with our branch and state (the example's own are `new-topic`, open). */
export function pullExample(
  api: GithubOpenApi,
  changes: { branch: string; state?: 'open' | 'closed'; merged?: boolean; body?: string },
): Record<string, unknown> {
  const pr = api.example<Record<string, unknown> & { head: { ref: string }; merged_at: string | null; closed_at: string | null }>(
    'pull-request',
  );
  pr.head.ref = changes.branch;
  pr.state = changes.state ?? 'open';
  pr.merged = changes.merged ?? false;
  if (!changes.merged) pr.merged_at = null;
  if ((changes.state ?? 'open') === 'open') pr.closed_at = null;
  if (changes.body !== undefined) pr.body = changes.body;
  return pr;
}

export function pullItems(
  api: GithubOpenApi,
  branch: string,
  state: 'open' | 'closed' = 'open',
  mergedAt: string | null = null,
): unknown[] {
  const items =
    api.example<{ head: { ref: string }; state: string; merged_at: string | null; closed_at: string | null }[]>(
      'pull-request-simple-items',
    );
  for (const item of items) {
    item.head.ref = branch;
    item.state = state;
    item.merged_at = mergedAt;
    if (state === 'open') item.closed_at = null;
  }
  return items;
}
