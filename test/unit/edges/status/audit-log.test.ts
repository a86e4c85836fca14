import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('commits concurrent appends in call order, each promise resolving to its own line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-audit-'));
    dirs.push(dir);
    const log = new AuditLog(dir);
    const written = await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        log.append({ time: '2026-12-02T10:00:00Z', host: `h${index}`, step: 'observe', outcome: 'succeeded' }),
      ),
    );
    const lines = readFileSync(join(dir, AUDIT_FILE), 'utf8').trimEnd().split('\n');
    assert.deepEqual(
      written.map((record) => record.host),
      Array.from({ length: 60 }, (_, index) => `h${index}`),
    );
    assert.deepEqual(
      written.map((record) => JSON.stringify(record)),
      lines,
    );
    assert.ok(verifyAuditText(lines.join('\n')).ok);
  });

  it('rejects every append of a group whose write failed, and the chain goes on from the last durable record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-audit-'));
    dirs.push(dir);
    const log = new AuditLog(dir);
    await log.append({ time: '2026-12-02T10:00:00Z', step: 'rollout', outcome: 'created' });
    const path = join(dir, AUDIT_FILE);
    const kept = readFileSync(path, 'utf8');
    rmSync(path);
    mkdirSync(path); // opening a directory for append fails: the group's write fails
    const failed = await Promise.allSettled([
      log.append({ time: '2026-12-02T10:00:01Z', host: 'a', step: 'apply', outcome: 'started' }),
      log.append({ time: '2026-12-02T10:00:01Z', host: 'b', step: 'apply', outcome: 'started' }),
    ]);
    assert.deepEqual(
      failed.map((result) => result.status),
      ['rejected', 'rejected'],
    );
    rmSync(path, { recursive: true });
    writeFileSync(path, kept);
    const next = await log.append({ time: '2026-12-02T10:00:02Z', host: 'a', step: 'apply', outcome: 'started' });
    assert.equal(next.seq, 2);
    const verdict = verifyAuditText(readFileSync(path, 'utf8'));
    assert.ok(verdict.ok && verdict.records === 2);
  });
});
