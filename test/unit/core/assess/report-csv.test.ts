import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvField } from '../../../../controller/core/assess/report-csv.js';

describe('csvField (RFC 4180)', () => {
  const table: [string, string][] = [
    ['plain', 'plain'],
    ['1:2.38.1-5+deb12u2', '1:2.38.1-5+deb12u2'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\r', '"cr\r"'],
    ['', ''],
  ];
  for (const [input, expected] of table) it(JSON.stringify(input), () => assert.equal(csvField(input), expected));
});
