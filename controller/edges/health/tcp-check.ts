import { connect } from 'node:net';
import type { AttemptResult } from './health-types.js';

/** A TCP connect from the controller to address:port; accepted passes. */
export function tcpAttempt(address: string, port: number, timeoutMs: number): Promise<AttemptResult> {
  const where = `${address}:${port}`;
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    let settled = false;
    const finish = (result: AttemptResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () => finish({ status: 'timeout', signal: { kind: 'tcp', detail: `no TCP connection to ${where} within ${timeoutMs} ms` } }),
      timeoutMs,
    );
    socket.once('connect', () => finish({ status: 'pass', signal: { kind: 'tcp', detail: `${where} accepts connections` } }));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      finish({ status: 'fail', signal: { kind: 'tcp', detail: `TCP connect to ${where} failed: ${error.code ?? error.message}` } }),
    );
  });
}
