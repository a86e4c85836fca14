import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AuditFacts, buildAuditReport, percentile } from '../../../../controller/core/rollout/audit-report.js';

const host = (seq: number, name: string, time: string, outcome: string, advisories: string[] = []): AuditFacts => ({
  seq,
  time,
  rollout: 'prod@abc',
  ring: 'canary',
  host: name,
  step: 'host',
  outcome,
  before: { pkg: '1.0-1' },
  after: { pkg: '1.0-2' },
  advisories,
});

describe('audit report', () => {
  const records: AuditFacts[] = [
    { seq: 1, time: '2026-01-01T00:00:00Z', step: 'rollout', outcome: 'created' },
    { ...host(2, 'a', '2026-01-02T00:00:00Z', 'started'), advisories: [] },
    host(3, 'a', '2026-01-03T00:00:00Z', 'succeeded', ['ADV-1']),
    host(4, 'b', '2026-01-11T00:00:00Z', 'succeeded', ['ADV-1']),
    host(5, 'c', '2026-02-10T00:00:00Z', 'succeeded', ['ADV-1', 'ADV-2']),
    host(6, 'd', '2026-01-05T00:00:00Z', 'failed'),
  ];
  const published = new Map([['ADV-1', '2026-01-01T00:00:00Z']]);

  it('lists what was patched with its result, and the advisories fixed per host', () => {
    const report = buildAuditReport(records, published, { slaDays: 30 });
    assert.deepEqual(
      report.patched.map((row) => [row.host, row.result, row.changes]),
      [
        ['a', 'succeeded', 'pkg 1.0-1→1.0-2'],
        ['b', 'succeeded', 'pkg 1.0-1→1.0-2'],
        ['c', 'succeeded', 'pkg 1.0-1→1.0-2'],
        ['d', 'failed', 'pkg 1.0-1→1.0-2'],
      ],
    );
    assert.deepEqual(report.fixed, { a: ['ADV-1'], b: ['ADV-1'], c: ['ADV-1', 'ADV-2'] });
  });

  it('gives the time from publication to fix: median, p95, beyond the SLA, unknown publications', () => {
    const report = buildAuditReport(records, published, { slaDays: 30 });
    assert.deepEqual(
      report.latency.fixes.map((fix) => [fix.host, fix.days]),
      [
        ['a', 2],
        ['b', 10],
        ['c', 40],
      ],
    );
    assert.equal(report.latency.medianDays, 10);
    assert.equal(report.latency.p95Days, 40);
    assert.deepEqual(
      report.latency.beyondSla.map((fix) => fix.host),
      ['c'],
    );
    assert.deepEqual(report.latency.unknownPublication, ['ADV-2']);
  });

  it('keeps to --since', () => {
    const report = buildAuditReport(records, published, { slaDays: 30, since: new Date('2026-01-10T00:00:00Z') });
    assert.deepEqual(
      report.patched.map((row) => row.host),
      ['b', 'c'],
    );
  });

  it('nearest-rank percentile', () => {
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95), 10);
    assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50), 5);
    assert.equal(percentile([], 95), undefined);
  });
});
