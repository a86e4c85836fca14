/**
 * A test server shared by the tests of one `describe` block: started in `before`, stopped in
 * `after` (its run dir kept when a test failed), with `withLogs` printing the server's logs when a
 * test body fails. Call inside `describe`; register further `before` hooks after this call.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';

export interface SuiteServer {
  readonly runDir: string;
  readonly url: string;
  logs(): string;
  stop(options?: { keepRunDir?: boolean }): Promise<void>;
}

export interface ServerForSuite<S> {
  /** Runs a test body with the started server; on failure prints its logs and keeps its run dir. */
  withLogs(body: (server: S) => Promise<void>): Promise<void>;
}

export function useServer<S extends SuiteServer>(label: string, what: string, start: () => Promise<S>): ServerForSuite<S> {
  let server: S | undefined;
  let failed = false;
  before(async () => {
    const started = Date.now();
    server = await start();
    process.stderr.write(`[${label}] ${what} ready in ${Date.now() - started} ms at ${server.url}\n`);
  });
  after(async () => {
    await server?.stop({ keepRunDir: failed });
  });
  return {
    async withLogs(body) {
      assert.ok(server, `${what} did not start (see the before hook error)`);
      try {
        await body(server);
      } catch (err) {
        failed = true;
        process.stderr.write(`\n[${label}] test failed; ${what} logs (run dir ${server.runDir}):\n${server.logs()}\n`);
        throw err;
      }
    },
  };
}

/** A name no other test uses (namespaces are never deleted: there is no controller-manager). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
