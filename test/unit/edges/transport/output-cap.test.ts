import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalTransport } from '../../../../controller/edges/transport/local-transport.js';
import { isPatchwardError } from '../../../../controller/errors.js';
import { TRANSPORT_ERROR_CODES } from '../../../../controller/ports/transport.js';

describe('transport output cap (host-output)', () => {
  const transport = new LocalTransport({ host: 'here' });

  it('kills a command that prints more than maxOutputBytes on stdout or stderr, with a named error', async () => {
    for (const [argv, stream] of [
      [['head', '-c', '100000000', '/dev/zero'], 'stdout'],
      [['sh', '-c', 'head -c 100000000 /dev/zero >&2'], 'stderr'],
    ] as const) {
      await assert.rejects(transport.run(argv, { timeoutMs: 60_000, maxOutputBytes: 1024 * 1024 }), (error: unknown) => {
        assert.ok(isPatchwardError(error));
        assert.equal(error.code, TRANSPORT_ERROR_CODES.outputTooLarge);
        assert.match(error.message, new RegExp(`printed more than 1048576 bytes on ${stream} \\(the host-output limit\\) and was killed`));
        return true;
      });
    }
  });

  it('returns output up to the cap whole', async () => {
    const result = await transport.run(['head', '-c', '1048576', '/dev/zero'], { timeoutMs: 60_000, maxOutputBytes: 1024 * 1024 });
    assert.equal(result.stdout.length, 1024 * 1024);
  });
});
