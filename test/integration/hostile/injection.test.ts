/**
 * Hostile input, class "Terminal and CSV injection": text from inventories, hosts and advisories
 * cannot clear the screen, forge rows or run formulas. Table output and messages escape control
 * characters (one function, `terminalSafe`); CSV cells that a spreadsheet would evaluate start with `'`.
 */
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { csvSafeField, terminalSafe } from '../../../controller/core/text/terminal-safe.js';
import { runPatchwardChild } from '../../helpers/run-patchward-child.js';
import { inventoryList, osvRecord, workdir } from './corpus.js';

const CLEAR = '\u001b[2J\u001b[H';
const TITLE = '\u001b]0;pwned\u0007';

function assertInert(text: string): void {
  assert.ok(
    !/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/.test(text),
    `no control characters in ${JSON.stringify(text.slice(0, 400))}`,
  );
}

describe('hostile input: terminal and CSV injection', { timeout: 60_000 }, () => {
  const dir = workdir();
  after(() => rmSync(dir, { recursive: true, force: true }));
  const advisories = path.join(dir, 'osv');
  mkdirSync(advisories);
  writeFileSync(path.join(advisories, 'DSA-1.json'), osvRecord('DSA-1'));
  const inventory = path.join(dir, 'inventory.json');
  writeFileSync(
    inventory,
    inventoryList([
      { host: `web-1${CLEAR}` },
      { host: `db-1\nFORGED  debian-12  compliant` },
      { host: `=HYPERLINK("http://evil/","x")` },
      { host: '+cmd', status: 'unreachable', reason: `ssh said: ${TITLE}\u202egnp.exe` },
      { host: '-2+3' },
      { host: '@SUM(1)' },
      { host: '\tleading-tab' },
      { host: '\rleading-cr' },
    ]),
  );

  it('the assessment table escapes control characters: nothing clears the screen, no row is forged', async () => {
    const run = await runPatchwardChild(['assess', '--inventory', inventory, '--advisories', advisories], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assertInert(run.stdout);
    assert.ok(!/^FORGED/m.test(run.stdout), 'no line starts with the forged row');
    assert.match(run.stdout, /web-1\\x1b\[2J\\x1b\[H/);
    assert.match(run.stdout, /db-1\\x0aFORGED/);
    assert.match(run.stdout, /ssh said: \\x1b\]0;pwned\\x07\\u\{202e\}gnp\.exe/);
  });

  it('CSV cells that a spreadsheet would evaluate start with a quote (OWASP)', async () => {
    const run = await runPatchwardChild(['assess', '--inventory', inventory, '--advisories', advisories, '--output', 'csv'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const hosts = run.stdout
      .split('\r\n')
      .slice(1, -1)
      .map((line) => line.slice(0, line.indexOf(',debian-12') < 0 ? line.indexOf(',,') : line.indexOf(',debian-12')));
    for (const cell of [
      '"\'=HYPERLINK(""http://evil/"",""x"")"',
      '"\'+cmd"',
      '"\'-2+3"',
      '"\'@SUM(1)"',
      '"\'\tleading-tab"',
      '"\'\rleading-cr"',
    ])
      assert.ok(hosts.includes(cell), `${JSON.stringify(cell)} in ${JSON.stringify(hosts)}`);
    assert.ok(!run.stdout.includes('\u001b'), 'no escape sequence reaches the CSV');
  });

  it('messages on stderr are escaped too (a hostile file name in an error)', async () => {
    const name = path.join(dir, `evil${CLEAR}.json`);
    const run = await runPatchwardChild(['assess', '--inventory', name, '--advisories', advisories], { cwd: dir });
    assert.equal(run.code, 2);
    assertInert(run.stderr.replace(/\n/g, ''));
    assert.match(run.stderr, /evil\\x1b\[2J\\x1b\[H\.json: no such file/);
  });

  it('one function for terminals, one for CSV fields (table)', () => {
    const table: [string, string, string][] = [
      ['plain', 'plain', 'plain'],
      ['a\u001b[31mred', 'a\\x1b[31mred', 'a\\x1b[31mred'],
      ['two\nlines', 'two\\x0alines', '"two\nlines"'],
      ['\u009b2J', '\\x9b2J', '\\x9b2J'],
      ['=1+1', '=1+1', '"\'=1+1"'],
      ['-1', '-1', '"\'-1"'],
      ['a,b', 'a,b', '"a,b"'],
      ['say "hi"', 'say "hi"', '"say ""hi"""'],
    ];
    for (const [input, terminal, csv] of table) {
      assert.equal(terminalSafe(input), terminal, JSON.stringify(input));
      assert.equal(csvSafeField(input), csv, JSON.stringify(input));
    }
  });
});
