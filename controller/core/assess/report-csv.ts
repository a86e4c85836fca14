/**
 * CSV report (RFC 4180: CRLF line ends, fields with `"`, `,`, CR or LF quoted, quotes doubled):
 * fields that a spreadsheet would evaluate (`=`, `+`, `-`, `@`, TAB, CR first) start with `'`;
 * one row per host × missing fix; a host without findings (compliant or unknown) still gets one
 * row with empty finding columns, so every host of the fleet appears. `cves` are space-separated.
 */
import { csvSafeField } from '../text/terminal-safe.js';
import type { FleetAssessment, HostAssessment, MissingFix } from './assessment.js';

export const CSV_COLUMNS = [
  'host',
  'release',
  'package',
  'installed',
  'fixed',
  'advisory',
  'cves',
  'severity',
  'known_exploited',
  'approved',
  'state',
  'source',
  'unfixed',
  'held',
] as const;

/** One field: quoted per RFC 4180, formulas neutralised and control characters escaped (OWASP). */
export function csvField(value: string): string {
  return csvSafeField(value);
}

function row(host: HostAssessment, finding: MissingFix | undefined): string {
  const values = [
    host.host,
    host.release ?? '',
    finding?.package ?? '',
    finding?.installedVersion ?? '',
    finding?.fixedVersion ?? '',
    finding?.advisory ?? '',
    finding?.cves.join(' ') ?? '',
    finding === undefined ? '' : (finding.severity ?? 'unrated'),
    finding === undefined ? '' : String(finding.knownExploited),
    finding === undefined ? '' : String(finding.approved),
    host.state,
    finding?.source ?? '',
    finding === undefined ? '' : String(finding.unfixed),
    finding?.heldReason ?? '',
  ];
  return values.map(csvField).join(',');
}

export function renderCsv(assessment: FleetAssessment): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const host of assessment.hosts) {
    const findings = host.result?.findings ?? [];
    if (findings.length === 0) lines.push(row(host, undefined));
    for (const finding of findings) lines.push(row(host, finding));
  }
  return lines.join('\r\n') + '\r\n';
}
