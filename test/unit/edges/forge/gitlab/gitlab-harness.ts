/**
 * The GitLab edge against a local fixture server: responses from test/fixtures/forge/gitlab/
 * (GitLab's documentation examples, see its README), every request checked against the endpoint
 * and parameter names of the documentation (`documented-params.json`).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { GitlabForge } from '../../../../../controller/edges/forge/gitlab/gitlab-forge.js';
import { createLogger } from '../../../../../controller/log.js';
import { FIXTURES } from '../../../../helpers/bundled-advisories.js';
import { type FixtureRoute, type FixtureServer, type RecordedRequest, startFixtureServer } from '../../../../helpers/fixture-server.js';

export const PROJECT = 'my-group/my-project';
export const BASE = `/api/v4/projects/${encodeURIComponent(PROJECT)}`;
export const TOKEN = 'glpat-FIXTUREfixtureFIXTURE01';

export function docFixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(`${FIXTURES}forge/gitlab/${name}.json`, 'utf8')) as T;
}

/** `documented-params.json`: per endpoint, its documentation source and parameter names (keys starting `_` are notes). */
type Documented = Record<string, { readonly source: string; readonly params: readonly string[] } | string>;

function checkDocumented(documented: Documented, request: RecordedRequest): string[] {
  const path = request.path.replace(/^\/api\/v4/, '');
  const key = Object.keys(documented).find((k) => {
    if (k.startsWith('_')) return false;
    const [method, template] = k.split(' ');
    if (method !== request.method || template === undefined) return false;
    return new RegExp(`^${template.replace(/:[a-z_]+/g, '[^/]+')}$`).test(path);
  });
  if (!key) return [`${request.method} ${path} is not a documented endpoint the edge may call`];
  const entry = documented[key];
  const allowed = typeof entry === 'object' ? entry.params : [];
  const sent = [...Object.keys(request.query), ...(request.body && typeof request.body === 'object' ? Object.keys(request.body) : [])];
  return sent.filter((name) => !allowed.includes(name)).map((name) => `${key}: parameter ${name} is not documented`);
}

export interface GitlabHarness {
  readonly server: FixtureServer;
  readonly sleeps: number[];
  forge(): GitlabForge;
  logText(): string;
  serve(method: string, path: string, status: number, body: unknown, source: string, extra?: Partial<FixtureRoute>): void;
  assertClean(): void;
}

export async function startGitlabHarness(): Promise<GitlabHarness> {
  const documented = docFixture<Documented>('documented-params');
  const server = await startFixtureServer((request) => checkDocumented(documented, request));
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
    sleeps,
    forge: () =>
      new GitlabForge({
        apiUrl: server.url,
        repository: PROJECT,
        token: TOKEN,
        logger,
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      }),
    logText: () => lines.join(''),
    serve(method, path, status, body, source, extra = {}) {
      server.route({ method, path, status, body, source, ...extra });
    },
    assertClean() {
      assert.deepEqual(
        server.unexpected.map((r) => `${r.method} ${r.path}?${new URLSearchParams(r.query as Record<string, string>)}`),
        [],
        'unexpected calls',
      );
      assert.deepEqual(server.problems, [], 'requests outside the documented endpoints and parameters');
    },
  };
}

/** The documented merge request, adjusted: our branch, state, and optional fields. */
export function mergeRequest(changes: Record<string, unknown>): Record<string, unknown> {
  const [mr] = docFixture<Record<string, unknown>[]>('merge-requests-list');
  return { ...mr, merged_at: null, detailed_merge_status: 'mergeable', state: 'opened', ...changes };
}
