/**
 * CSV report (RFC 4180: CRLF line ends, fields with `"`, `,`, CR or LF quoted, quotes doubled):
 * one row per host × missing fix; a host without findings (compliant or unknown) still gets one
 * row with empty finding columns, so every host of the fleet appears. `cves` are space-separated.
 */
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

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
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
