import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import {
  boundedLines,
  INPUT_ERROR_CODES,
  isInputError,
  parseSize,
  READ_LIMITS,
  readInputText,
  readLimitsFrom,
  readStreamCapped,
} from '../../../../controller/edges/io/bounded-read.js';

const limit = (bytes: number) => ({ name: 'test', bytes });

async function lines(chunks: readonly string[], bytes: number): Promise<string[]> {
  const out: string[] = [];
  for await (const line of boundedLines(Readable.from(chunks), { input: 'stdin', limit: limit(bytes) })) out.push(line);
  return out;
}

function code(expected: string) {
  return (error: unknown) => isInputError(error) && error.code === expected;
}

describe('bounded reads', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'patchward-bounded-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lines: LF and CRLF, a last line without newline, lines split across chunks', async () => {
    assert.deepEqual(await lines(['a\tb\r\nc', 'd\n', 'e'], 10), ['a\tb', 'cd', 'e']);
    assert.deepEqual(await lines(['', '\n\n'], 10), ['', '']);
  });

  it('lines: a line longer than the cap fails with its number, even when it never ends', async () => {
    await assert.rejects(lines(['ok\n', 'x'.repeat(6), 'x'.repeat(6)], 10), (error: unknown) => {
      assert.ok(isInputError(error));
      assert.match(error.message, /^stdin: line 2 is longer than the test limit of 10 bytes/);
      return true;
    });
    assert.deepEqual(await lines(['0123456789\r\n'], 10), ['0123456789'], 'exactly the cap, CR not counted');
  });

  it('files: regular only, capped also when the size lies (/proc)', async () => {
    const file = path.join(dir, 'a.txt');
    writeFileSync(file, 'hello');
    assert.equal(await readInputText(file, { limit: limit(5) }), 'hello');
    await assert.rejects(readInputText(file, { limit: limit(4) }), code(INPUT_ERROR_CODES.tooLarge));
    await assert.rejects(readInputText('/proc/self/maps', { limit: limit(16) }), code(INPUT_ERROR_CODES.tooLarge));
    const fifo = path.join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    await assert.rejects(readInputText(fifo, { limit: limit(16) }), code(INPUT_ERROR_CODES.notRegularFile));
    await assert.rejects(readInputText(dir, { limit: limit(16) }), code(INPUT_ERROR_CODES.notRegularFile));
    await assert.rejects(readInputText(path.join(dir, 'none'), { limit: limit(16) }), code(INPUT_ERROR_CODES.unreadable));
  });

  it('streams: capped, and a stalled read is abandoned after the read timeout', async () => {
    assert.equal(
      (await readStreamCapped(Readable.from([Buffer.from('ab'), Buffer.from('c')]), { input: 'x', limit: limit(3) })).body?.toString(),
      'abc',
    );
    await assert.rejects(
      readStreamCapped(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), { input: 'x', limit: limit(3) }),
      code(INPUT_ERROR_CODES.tooLarge),
    );
    async function* stalled(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('a');
      await new Promise(() => undefined);
    }
    await assert.rejects(
      readStreamCapped(stalled(), { input: 'feed', limit: limit(10), readTimeoutMs: 50 }),
      code(INPUT_ERROR_CODES.readTimeout),
    );
  });

  it('--limit NAME=SIZE', () => {
    assert.deepEqual(
      [parseSize('10'), parseSize('1K'), parseSize('2MiB'), parseSize('1.5G'), parseSize('0'), parseSize('x')],
      [10, 1024, 2 * 1024 * 1024, 1.5 * 1024 ** 3, undefined, undefined],
    );
    const limits = readLimitsFrom(['record=1M', 'line=100']);
    assert.ok(typeof limits !== 'string');
    assert.deepEqual([limits.record.bytes, limits.line.bytes, limits.httpBody.bytes], [1024 * 1024, 100, READ_LIMITS.httpBody.bytes]);
    assert.match(String(readLimitsFrom(['nope=1'])), /unknown limit/);
  });
});
