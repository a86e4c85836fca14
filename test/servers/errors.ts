/** Failures of the test-server helpers: a code, the context needed to act, and the cause. */
export type TestServerErrorCode =
  | 'BinaryMissing' // not in the cache: run `bash test/servers/ensure.sh`
  | 'BadVersions' // test/servers/versions.env unreadable or incomplete
  | 'CommandFailed' // a helper command (openssl, gitea admin, kubectl) exited non-zero
  | 'StartFailed' // a server exited before it became ready
  | 'NotReady' // a server did not become ready in time
  | 'RequestFailed'; // an HTTP call to a server failed or returned an unexpected status

export class TestServerError extends Error {
  override readonly name = 'TestServerError';
  readonly code: TestServerErrorCode;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(code: TestServerErrorCode, message: string, context: Record<string, unknown> = {}, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.context = Object.freeze({ ...context });
  }
}
