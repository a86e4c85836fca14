import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AUDIT_FILE, AuditLog } from '../../../../controller/edges/status/audit-log.js';
import { runCliCaptured } from '../../../helpers/run-cli.js';

describe('patchward report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pw-report-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('verifies the chain, then names the first edited record', async () => {
    const log = new AuditLog(dir);
    for (const [index, name] of ['a', 'b', 'c'].entries()) {
      await log.append({
        time: `2026-01-0${index + 2}T00:00:00Z`,
        rollout: 'prod@abc',
        ring: 'r',
        host: name,
        step: 'host',
        outcome: 'succeeded',
        after: { pkg: '2' },
        advisories: ['ADV-1'],
      });
    }
    const ok = await runCliCaptured(['report', '--state', dir, '--verify', '--output', 'csv']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /audit chain ok: 3 records/);
    assert.equal(ok.stdout.split('\n')[0], 'time,rollout,ring,host,result,changes,advisories,detail');
    assert.equal(ok.stdout.trim().split('\n').length, 4);
    const path = join(dir, AUDIT_FILE);
    writeFileSync(path, readFileSync(path, 'utf8').replace('"host":"b"', '"host":"x"'));
    const broken = await runCliCaptured(['report', '--state', dir, '--verify']);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /chain broken at line 2 \(record 2\): hash does not match the record/);
  });

  it('escapes control characters in the table and neutralises formulas in CSV (the one terminal-safe and CSV-safe function)', async () => {
    const hostile = mkdtempSync(join(tmpdir(), 'pw-report-hostile-'));
    try {
      await new AuditLog(hostile).append({
        time: '2026-01-02T00:00:00Z',
        rollout: 'prod@abc',
        ring: 'r',
        host: 'h\u001b[2J',
        step: 'host',
        outcome: 'failed',
        message: '=cmd|calc',
        after: { pkg: '2' },
      });
      const table = await runCliCaptured(['report', '--state', hostile]);
      assert.equal(table.code, 0, table.stderr);
      assert.ok(!table.stdout.includes('\u001b'), 'no raw ESC in the table');
      assert.match(table.stdout, /h\\x1b\[2J/);
      const csv = await runCliCaptured(['report', '--state', hostile, '--output', 'csv']);
      assert.equal(csv.code, 0, csv.stderr);
      assert.ok(!csv.stdout.includes('\u001b'), 'no raw ESC in the CSV');
      assert.match(csv.stdout, /,"'=cmd\|calc"\n/);
    } finally {
      rmSync(hostile, { recursive: true, force: true });
    }
  });

  it('refuses bad options with exit 2', async () => {
    assert.equal((await runCliCaptured(['report', '--state', dir, '--output', 'xml'])).code, 2);
    assert.equal((await runCliCaptured(['report', '--state', dir, '--since', 'yesterday'])).code, 2);
  });
});
