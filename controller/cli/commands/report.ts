import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildAuditReport, type AuditReport } from '../../core/rollout/audit-report.js';
import { OsvDirectorySource } from '../../edges/advisory/directory-source.js';
import { OsvZipSource } from '../../edges/advisory/zip-source.js';
import { parseAuditText, readAuditText, verifyAuditText } from '../../edges/status/audit-log.js';
import type { Command } from '../command.js';
import { errorText, stateDirOf } from './rollout-shared.js';
import { csvSafeField, terminalSafe } from '../../core/text/terminal-safe.js';

const USAGE = `usage: patchward report --state DIR [--since TIME] [--output table|csv|json] [--verify]
                        [--advisories DIR|ZIP] [--sla DAYS]

Reads the audit log (DIR/audit.jsonl): what was patched, when and with which result; which
advisories each host now has fixed; the time from each advisory's publication (read from
--advisories) to its fix on each host: median, 95th percentile and the hosts beyond --sla days
(default 30). --verify checks the hash chain first and names the first broken record.

exit: 0 ok, 1 the chain is broken (--verify) or the log cannot be read, 2 usage
`;

function table(report: AuditReport): string {
  const lines = ['time                      rollout / ring / host                      result     changes'];
  for (const row of report.patched) {
    lines.push(
      terminalSafe(
        `${row.time}  ${row.rollout} / ${row.ring} / ${row.host}  ${row.result.padEnd(9)}  ${row.changes}${row.detail ? ` [${row.detail}]` : ''}`,
      ),
    );
  }
  lines.push('', 'advisories fixed per host:');
  for (const [host, advisories] of Object.entries(report.fixed)) lines.push(terminalSafe(`  ${host}: ${advisories.join(', ')}`));
  const { latency } = report;
  const days = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(2)} d`);
  lines.push(
    '',
    `publication to fix: ${latency.fixes.length} fixes, median ${days(latency.medianDays)}, p95 ${days(latency.p95Days)}, beyond ${latency.slaDays} d SLA: ${latency.beyondSla.length}`,
  );
  for (const fix of latency.beyondSla)
    lines.push(terminalSafe(`  ${fix.host} ${fix.advisory}: ${fix.days.toFixed(2)} d (published ${fix.published}, fixed ${fix.fixed})`));
  if (latency.unknownPublication.length > 0)
    lines.push(terminalSafe(`  publication date unknown (give --advisories): ${latency.unknownPublication.join(', ')}`));
  return `${lines.join('\n')}\n`;
}

function csv(report: AuditReport): string {
  const rows = [['time', 'rollout', 'ring', 'host', 'result', 'changes', 'advisories', 'detail']];
  for (const row of report.patched)
    rows.push([row.time, row.rollout, row.ring, row.host, row.result, row.changes, row.advisories.join(' '), row.detail]);
  return `${rows.map((row) => row.map(csvSafeField).join(',')).join('\n')}\n`;
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'what the rollouts did, from the audit log (and verify its hash chain)',
  usage: USAGE,
  async run(args, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args: [...args],
        options: {
          state: { type: 'string' },
          since: { type: 'string' },
          output: { type: 'string', default: 'table' },
          verify: { type: 'boolean', default: false },
          advisories: { type: 'string' },
          sla: { type: 'string', default: '30' },
          help: { type: 'boolean', short: 'h', default: false },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      io.stderr.write(`patchward report: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (values.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    const since = values.since === undefined ? undefined : new Date(values.since);
    const sla = Number(values.sla);
    if (
      (since !== undefined && Number.isNaN(since.getTime())) ||
      !['table', 'csv', 'json'].includes(values.output) ||
      !(sla >= 0 && sla < 100_000)
    ) {
      io.stderr.write(`patchward report: --since must be a time (RFC 3339), --output table|csv|json, --sla 0..99999 days\n\n${USAGE}`);
      return 2;
    }
    const dir = stateDirOf(io, values.state);
    try {
      const text = await readAuditText(dir);
      if (values.verify) {
        const verdict = verifyAuditText(text);
        if (!verdict.ok) {
          io.stderr.write(
            `patchward report: ${dir}/audit.jsonl: chain broken at line ${verdict.line}${verdict.seq === undefined ? '' : ` (record ${verdict.seq})`}: ${verdict.reason}\n`,
          );
          return 1;
        }
        io.stderr.write(`audit chain ok: ${verdict.records} records, head ${verdict.head}\n`);
      }
      const published = new Map<string, string>();
      if (values.advisories !== undefined) {
        const path = resolve(io.cwd, values.advisories);
        const source = path.endsWith('.zip') ? new OsvZipSource(path) : new OsvDirectorySource(path);
        for (const record of (await source.load()).records) {
          if (record.published === undefined) continue;
          published.set(record.id, record.published);
          for (const alias of record.aliases ?? []) if (!published.has(alias)) published.set(alias, record.published);
        }
      }
      const report = buildAuditReport(parseAuditText(text), published, { ...(since === undefined ? {} : { since }), slaDays: sla });
      io.stdout.write(
        values.output === 'json' ? `${JSON.stringify(report, null, 2)}\n` : values.output === 'csv' ? csv(report) : table(report),
      );
      return 0;
    } catch (error) {
      io.stderr.write(`patchward report: ${errorText(error)}\n`);
      return 1;
    }
  },
};
