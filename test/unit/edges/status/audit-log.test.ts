import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AUDIT_FILE, AuditLog, GENESIS_HASH, parseAuditText, verifyAuditText } from '../../../../controller/edges/status/audit-log.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function logWith(count: number): Promise<{ dir: string; text: () => string }> {
  const dir = mkdtempSync(join(tmpdir(), 'pw-audit-'));
  dirs.push(dir);
  const log = new AuditLog(dir);
  await Promise.all(
    Array.from({ length: count }, (_, index) =>
      log.append({
        time: `2026-12-02T10:00:0${index}Z`,
        host: `h${index}`,
        step: 'apply',
        outcome: 'succeeded',
        before: { pkg: '1.0-1' },
        after: { pkg: '1.0-2' },
      }),
    ),
  );
  return { dir, text: () => readFileSync(join(dir, AUDIT_FILE), 'utf8') };
}

describe('audit log', () => {
  it('chains every record to the one before it, concurrent appends included', async () => {
    const { text } = await logWith(5);
    const records = parseAuditText(text());
    assert.deepEqual(
      records.map((record) => record.seq),
      [1, 2, 3, 4, 5],
    );
    assert.equal(records[0]?.prev, GENESIS_HASH);
    assert.equal(records[3]?.prev, records[2]?.hash);
    assert.equal(records[0]?.v, 1);
    assert.deepEqual(verifyAuditText(text()), { ok: true, records: 5, head: records[4]?.hash });
  });

  it('continues the chain across processes (a new AuditLog on the same directory)', async () => {
    const { dir, text } = await logWith(2);
    await new AuditLog(dir).append({ time: '2026-12-02T11:00:00Z', step: 'rollout', outcome: 'halted' });
    assert.equal(verifyAuditText(text()).ok, true);
    assert.equal(parseAuditText(text())[2]?.seq, 3);
  });

  it('names the first edited record, even in a nested field', async () => {
    const { dir, text } = await logWith(4);
    const lines = text().split('\n');
    lines[2] = (lines[2] as string).replace('"pkg":"1.0-2"', '"pkg":"9.9-9"');
    writeFileSync(join(dir, AUDIT_FILE), lines.join('\n'));
    const verdict = verifyAuditText(text());
    assert.equal(verdict.ok, false);
    assert.ok(!verdict.ok && verdict.line === 3 && verdict.seq === 3 && /edited/.test(verdict.reason), JSON.stringify(verdict));
  });

  it('names the record after a removed one', async () => {
    const { dir, text } = await logWith(4);
    const lines = text().split('\n');
    lines.splice(1, 1);
    writeFileSync(join(dir, AUDIT_FILE), lines.join('\n'));
    const verdict = verifyAuditText(text());
    assert.ok(!verdict.ok && verdict.line === 2 && verdict.seq === 3, JSON.stringify(verdict));
  });

  it('refuses a record of another format version', async () => {
    const { dir, text } = await logWith(1);
    const record = JSON.parse(text()) as Record<string, unknown>;
    writeFileSync(join(dir, AUDIT_FILE), `${JSON.stringify({ ...record, v: 2 })}\n`);
    const verdict = verifyAuditText(text());
    assert.ok(!verdict.ok && /format version 2/.test(verdict.reason));
  });
});
