import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, parseDurationSeconds } from '../../../../controller/core/model/index.js';

describe('durations', () => {
  for (const [text, seconds] of [
    ['30s', 30],
    ['90m', 5400],
    ['1h30m', 5400],
    ['2d', 172800],
    ['1d2h3m4s', 93784],
    ['0s', 0],
  ] as const) {
    it(`${text} is ${seconds}s and formats back canonically`, () => {
      assert.equal(parseDurationSeconds(text), seconds);
      assert.equal(parseDurationSeconds(formatDuration(seconds)), seconds);
    });
  }
  for (const text of ['', '4 hours', '1m1h', '1.5h', 'h', '-1m']) {
    it(`refuses ${JSON.stringify(text)}`, () => assert.equal(parseDurationSeconds(text), undefined));
  }
});
