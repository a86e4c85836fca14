import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LocalTransport } from '../../../../controller/edges/transport/local-transport.js';
import { isPatchwardError } from '../../../../controller/errors.js';

describe('LocalTransport', () => {
  const transport = new LocalTransport();

  it('runs argv without a shell: metacharacters arrive verbatim', async () => {
    const result = await transport.run(['printf', '%s|', '$(id)', '*', "a'b"], { timeoutMs: 5000 });
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, "$(id)|*|a'b|");
  });

  it('passes stdin and reports non-zero exit codes as results', async () => {
    const result = await transport.run(['sh', '-c', 'cat; exit 3'], { timeoutMs: 5000, stdin: 'hello' });
    assert.equal(result.exitCode, 3);
    assert.equal(result.stdout, 'hello');
  });

  // The command would sleep far longer than the test's own timeout: only the kill lets the test finish.
  it('converses: the reply to what the command printed is its stdin, held open until then', async () => {
    const seen: string[] = [];
    const result = await new LocalTransport().run(['sh', '-c', 'echo question; read -r answer; echo "got $answer"'], {
      timeoutMs: 10_000,
      reply: (stdout) => {
        seen.push(stdout);
        return stdout.includes('question\n') ? 'install\n' : undefined;
      },
    });
    assert.equal(result.stdout, 'question\ngot install\n');
    assert.equal(seen.length, 1);
  });

  it('kills a command that overruns its timeout with CommandTimeout', { timeout: 30_000 }, async () => {
    await assert.rejects(
      transport.run(['sleep', '600'], { timeoutMs: 200 }),
      (error: unknown) => isPatchwardError(error) && error.code === 'CommandTimeout',
    );
  });

  it('classifies a missing program as SpawnFailed', async () => {
    await assert.rejects(
      transport.run(['/nonexistent/patchward-x'], { timeoutMs: 1000 }),
      (error: unknown) => isPatchwardError(error) && error.code === 'SpawnFailed',
    );
  });
});
