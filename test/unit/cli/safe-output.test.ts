/** The one mapping of a command's failure to what a person sees (`reportCommandFailure`). */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { parseArgs } from 'node:util';
import { reportCommandFailure } from '../../../controller/cli/safe-output.js';
import { ExternalError, InvalidInputError, UsageError } from '../../../controller/errors.js';
import { createLogger } from '../../../controller/log.js';

const COMMAND = { name: 'demo', usage: 'usage: patchward demo -f DIR\n' };

function report(error: unknown): { stderr: string; logs: Record<string, unknown>[] } {
  const stderr = new PassThrough();
  const logStream = new PassThrough();
  const out: string[] = [];
  const logs: string[] = [];
  stderr.on('data', (chunk) => out.push(String(chunk)));
  logStream.on('data', (chunk) => logs.push(String(chunk)));
  reportCommandFailure(COMMAND, error, { stderr, logger: createLogger({ level: 'debug', destination: logStream }) });
  return {
    stderr: out.join(''),
    logs: logs
      .join('')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

function parseError(): unknown {
  try {
    parseArgs({ args: ['--nope'], options: {}, strict: true });
  } catch (error) {
    return error;
  }
  throw new Error('parseArgs accepted --nope');
}

describe('reportCommandFailure', () => {
  it('usage problems and refused options: the message, then the usage', () => {
    assert.equal(report(new UsageError('-f DIR is required')).stderr, `patchward demo: -f DIR is required\n\n${COMMAND.usage}`);
    assert.match(report(parseError()).stderr, /^patchward demo: Unknown option '--nope'[^\n]*\n\nusage: patchward demo -f DIR\n$/);
  });

  it('input problems and missing files: the message only, logged at debug', () => {
    const input = report(new InvalidInputError('inv.json: not JSON'));
    assert.equal(input.stderr, 'patchward demo: inv.json: not JSON\n');
    assert.deepEqual(
      input.logs.map((line) => line['level']),
      [20],
    );
    const missing = Object.assign(new Error("ENOENT: no such file or directory, open 'token'"), { code: 'ENOENT' });
    assert.equal(report(missing).stderr, "patchward demo: ENOENT: no such file or directory, open 'token'\n");
  });

  it('other failures go to reportFailure: a known error by its message, a bug as an internal error; logged as errors', () => {
    const external = report(new ExternalError('forge', 'forge-unavailable', 'gitea is down'));
    assert.equal(external.stderr, 'patchward demo: gitea is down\n');
    assert.deepEqual(
      external.logs.map((line) => line['level']),
      [50],
    );
    assert.match(report(new RangeError('boom')).stderr, /^patchward demo: internal error: boom/);
  });
});
