import { stripCredentials } from '../../errors.js';
import type { AttemptResult } from './health-types.js';

/** Replaces `{address}` in a check's URL with the host address (bracketed when it is IPv6). */
export function substituteAddress(url: string, address: string): string {
  return url.replaceAll('{address}', address.includes(':') ? `[${address}]` : address);
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** An HTTP GET from the controller; the expected status (default 200) passes. The body is not read. */
export async function httpAttempt(url: string, expectStatus: number, timeoutMs: number): Promise<AttemptResult> {
  const shown = stripCredentials(url);
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await response.body?.cancel();
    if (response.status === expectStatus)
      return { status: 'pass', signal: { kind: 'http', detail: `GET ${shown} answered ${response.status}` } };
    return { status: 'fail', signal: { kind: 'http', detail: `GET ${shown} answered ${response.status}, expected ${expectStatus}` } };
  } catch (error) {
    if (isTimeout(error)) return { status: 'timeout', signal: { kind: 'http', detail: `GET ${shown}: no answer within ${timeoutMs} ms` } };
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    const message = code ?? (cause instanceof Error ? cause.message : String(cause));
    return { status: 'fail', signal: { kind: 'http', detail: `GET ${shown} failed: ${message}` } };
  }
}
