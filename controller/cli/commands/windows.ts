import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { formatProblem } from '../../core/model/problem.js';
import { type WindowsReport, windowsReport } from '../../core/windows/report.js';
import { createPolicyRepositoryLoader } from '../../edges/policy-repo/load.js';
import { isPatchwardError } from '../../errors.js';
import type { Command, CommandIo } from '../command.js';
import { EXIT } from '../command.js';
import { terminalSafe } from '../../core/text/terminal-safe.js';
import { formatColumns } from '../../core/text/columns.js';

const USAGE = `usage: patchward windows -f POLICY_DIR [--now TIME] [--count N] [--output table|json]

For each MaintenanceWindow of the policy repository: whether it is open at TIME and its next N
openings. An opening is an occurrence of a schedule minus the blackouts (an occurrence a blackout
overlaps is listed as the pieces left); no host is started at or after its last start (end minus
the cutoff). Daylight saving: docs/maintenance-windows.md.

options:
  -f, --policy DIR   policy repository (validated like 'patchward validate')
  --now TIME         RFC 3339 instant with Z or an offset, e.g. 2026-10-25T00:00:00Z (default: now)
  --count N          openings per window, 1-1000 (default 5)
  --output FORMAT    table (default) or json:
                     {"at", "windows": [{"name", "timeZone", "openNow",
                      "openings": [{"schedule", "start", "end", "lastStart"}]}]}
  -h, --help         show this help

exit: 0 listed, 1 the policy repository is invalid, 2 usage error.
`;

const MAX_COUNT = 1000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

function usageError(io: CommandIo, message: string): number {
  io.stderr.write(`patchward windows: ${message}\n\n${USAGE}`);
  return EXIT.usage;
}

function formatTable(report: WindowsReport): string {
  const rows: string[][] = [['WINDOW', 'OPEN NOW', 'SCHEDULE', 'START', 'END', 'LAST START']];
  for (const window of report.windows) {
    const name = `${terminalSafe(window.name)} (${terminalSafe(window.timeZone)})`;
    const open = window.openNow ? 'yes' : 'no';
    if (window.openings.length === 0) rows.push([name, open, '-', 'no opening within three years', '', '']);
    for (const [index, opening] of window.openings.entries())
      rows.push([
        index === 0 ? name : '',
        index === 0 ? open : '',
        terminalSafe(opening.schedule),
        opening.start,
        opening.end,
        opening.lastStart,
      ]);
  }
  const lines = formatColumns(rows);
  return `at ${report.at}\n${lines.join('\n')}\n`;
}

/** `patchward windows`: when each maintenance window opens, exactly as the rollout engine sees it. */
export const windowsCommand: Command = {
  name: 'windows',
  summary: 'show whether each maintenance window is open and its next openings',
  usage: USAGE,
  async run(args, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args: [...args],
        options: {
          policy: { type: 'string', short: 'f' },
          now: { type: 'string' },
          count: { type: 'string' },
          output: { type: 'string', short: 'o', default: 'table' },
          help: { type: 'boolean', short: 'h', default: false },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      return usageError(io, (error as Error).message);
    }
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    if (values.policy === undefined) return usageError(io, '-f POLICY_DIR is required');
    if (values.output !== 'table' && values.output !== 'json')
      return usageError(io, `--output must be table or json, not ${JSON.stringify(values.output)}`);
    // Default: now, to the second (what a person reads and types back as --now).
    let at = new Date(Math.floor(Date.now() / 1000) * 1000);
    if (values.now !== undefined) {
      const parsed = RFC3339.test(values.now) ? DateTime.fromISO(values.now.replace(' ', 'T'), { setZone: true }) : undefined;
      if (parsed === undefined || !parsed.isValid)
        return usageError(io, `--now must be an RFC 3339 instant with Z or an offset, not ${JSON.stringify(values.now.slice(0, 80))}`);
      at = parsed.toJSDate();
    }
    const count = values.count === undefined ? 5 : Number(values.count);
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT)
      return usageError(io, `--count must be a whole number from 1 to ${MAX_COUNT}, not ${JSON.stringify(values.count)}`);
    const directory = resolve(io.cwd, values.policy);
    let loaded;
    try {
      loaded = await (await createPolicyRepositoryLoader({ now: () => at })).load(directory);
    } catch (error) {
      io.logger.error({ err: error, directory }, 'policy repository could not be read');
      io.stderr.write(`patchward windows: ${isPatchwardError(error) ? error.message : String(error)}\n`);
      return EXIT.usage;
    }
    if (!loaded.ok) {
      io.stderr.write(`patchward windows: ${values.policy} is not a valid policy repository:\n`);
      for (const problem of loaded.error) io.stderr.write(`${formatProblem(problem)}\n`);
      return EXIT.findings;
    }
    for (const warning of loaded.warnings) io.stderr.write(`${formatProblem(warning)}\n`);
    const windows = loaded.value.maintenanceWindows
      .map((sourced) => sourced.resource)
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
    const report = windowsReport(windows, at, count);
    io.stdout.write(values.output === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatTable(report));
    return EXIT.ok;
  },
};
