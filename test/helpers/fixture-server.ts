/**
 * A local HTTP server (127.0.0.1) that answers with recorded or documented forge responses, so the
 * real client libraries (Octokit, gitbeaker) make real HTTP calls in the tests. Every route names
 * its source (provenance). A request no route expects is answered 418 and recorded in
 * `unexpected`; `check` may report problems with a request (e.g. not in the OpenAPI description).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureRoute {
  readonly method: string;
  /** Exact path without the query, as sent (percent-encoding kept). */
  readonly path: string;
  /** Query parameters that must be present with these values. */
  readonly query?: Readonly<Record<string, string>>;
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** Where the response comes from: `@octokit/fixtures create-status[2]`, `OpenAPI example pull-request`, … */
  readonly source: string;
  /** How many times the route answers (default: any number). */
  readonly times?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  readonly source?: string;
}

export interface FixtureServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  readonly unexpected: RecordedRequest[];
  readonly problems: string[];
  /** Adds routes (checked before the older ones). */
  route(...routes: FixtureRoute[]): void;
  /** Forgets routes and records (between tests). */
  reset(): void;
  close(): Promise<void>;
}

export type RequestCheck = (request: RecordedRequest) => readonly string[];

export async function startFixtureServer(check?: RequestCheck): Promise<FixtureServer> {
  let routes: { route: FixtureRoute; left: number }[] = [];
  const requests: RecordedRequest[] = [];
  const unexpected: RecordedRequest[] = [];
  const problems: string[] = [];

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const type = String(req.headers['content-type'] ?? '');
    let body: unknown = raw === '' ? undefined : raw;
    if (raw !== '' && type.includes('json')) body = JSON.parse(raw);
    else if (raw !== '' && type.includes('x-www-form-urlencoded')) body = Object.fromEntries(new URLSearchParams(raw));
    const method = (req.method ?? 'GET').toUpperCase();
    const query = Object.fromEntries(url.searchParams);
    const match = routes.find(
      ({ route, left }) =>
        left > 0 &&
        route.method.toUpperCase() === method &&
        route.path === url.pathname &&
        Object.entries(route.query ?? {}).every(([k, v]) => query[k] === v),
    );
    const recorded: RecordedRequest = {
      method,
      path: url.pathname,
      query,
      headers: req.headers,
      body,
      ...(match ? { source: match.route.source } : {}),
    };
    requests.push(recorded);
    if (check) problems.push(...check(recorded));
    if (!match) {
      unexpected.push(recorded);
      res.writeHead(418, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `no fixture for ${method} ${req.url}` }));
      return;
    }
    match.left -= 1;
    const { route } = match;
    const headers: Record<string, string> = {
      ...(route.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      ...route.headers,
    };
    res.writeHead(route.status, headers).end(route.body === undefined ? undefined : JSON.stringify(route.body));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      problems.push(`fixture server failed: ${String(error)}`);
      res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unexpected,
    problems,
    route(...added) {
      routes = [...added.map((route) => ({ route, left: route.times ?? Number.POSITIVE_INFINITY })), ...routes];
    },
    reset() {
      routes = [];
      requests.length = 0;
      unexpected.length = 0;
      problems.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
