/** Plain-text table for people: per host state, advisory counts by severity, top advisories. */
import { formatColumns } from '../text/columns.js';
import { SEVERITY_RANK } from '../advisory/severity.js';
import { terminalSafe } from '../text/terminal-safe.js';
import { COMPLIANCE_STATES, type FleetAssessment, type HostAssessment, type MissingFix } from './assessment.js';

function topAdvisories(host: HostAssessment, count: number): string {
  const best = new Map<string, MissingFix>();
  for (const finding of host.result?.findings ?? []) if (!best.has(finding.advisory)) best.set(finding.advisory, finding);
  const ranked = [...best.values()].sort((a, b) => {
    if (a.knownExploited !== b.knownExploited) return a.knownExploited ? -1 : 1;
    const sa = a.severity === undefined ? -1 : SEVERITY_RANK[a.severity];
    const sb = b.severity === undefined ? -1 : SEVERITY_RANK[b.severity];
    if (sa !== sb) return sb - sa;
    return (b.score ?? -1) - (a.score ?? -1) || (a.advisory < b.advisory ? -1 : 1);
  });
  const shown = ranked.slice(0, count).map((finding) => {
    const tags = [
      finding.severity ?? 'unrated',
      ...(finding.knownExploited ? ['KEV'] : []),
      ...(finding.unfixed ? ['unfixed'] : []),
      ...(finding.approved ? ['approved'] : []),
    ];
    return `${finding.advisory} (${tags.join(', ')})`;
  });
  const rest = ranked.length - shown.length;
  return shown.join(', ') + (rest > 0 ? `, +${rest} more` : '');
}

export function renderTable(assessment: FleetAssessment, options: { readonly top?: number } = {}): string {
  const header = ['HOST', 'RELEASE', 'STATE', 'CRIT', 'HIGH', 'MED', 'LOW', 'UNRATED', 'KEV', 'UNFIXED', 'TOP ADVISORIES'];
  const rows = assessment.hosts.map((host) => {
    const counts = host.result?.advisoryCounts;
    const num = (value: number | undefined): string => (value === undefined ? '-' : String(value));
    return [
      host.host,
      host.release ?? '-',
      host.state,
      num(counts?.critical),
      num(counts?.high),
      num(counts?.medium),
      num(counts === undefined ? undefined : counts.low + counts.none),
      num(counts?.unrated),
      num(host.result?.knownExploited),
      num(host.result?.unfixed),
      host.state === 'unknown' ? (host.reason ?? '') : topAdvisories(host, options.top ?? 3),
    ];
  });
  const lines = formatColumns([header, ...rows].map((cells) => cells.map(terminalSafe)));
  const { summary } = assessment;
  const states = COMPLIANCE_STATES.map((state) => `${state} ${summary.byState[state]}`).join(', ');
  lines.push(
    '',
    `fleet: ${summary.hosts} hosts (${states}); ${summary.findings} missing fixes; ${summary.hostsWithKnownExploited} hosts with known-exploited; ${summary.distinctPackageSets} distinct package sets assessed`,
  );
  if (summary.topAdvisories.length > 0) {
    lines.push('top advisories:');
    for (const exposure of summary.topAdvisories.slice(0, 10)) {
      const tags = [
        exposure.severity ?? 'unrated',
        ...(exposure.score === undefined ? [] : [`CVSS ${exposure.score.toFixed(1)}`]),
        ...(exposure.knownExploited ? ['KEV'] : []),
        ...(exposure.unfixed ? ['unfixed'] : []),
      ];
      lines.push(
        terminalSafe(
          `  ${exposure.advisory.padEnd(36)} ${String(exposure.hosts).padStart(6)} hosts  ${tags.join(', ')}${exposure.cves.length > 0 ? `  ${exposure.cves.slice(0, 4).join(' ')}${exposure.cves.length > 4 ? ' …' : ''}` : ''}`,
        ),
      );
    }
  }
  return lines.join('\n') + '\n';
}
