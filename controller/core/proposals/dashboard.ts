/**
 * The patch dashboard: one issue per policy repository titled "Patch dashboard" (on plain Git, a
 * Markdown file on the dashboard branch), rewritten on every run from what is found again:
 * compliance by ring, open proposals, declined proposals each with a box to reconsider, advisories
 * approved but waiting for a window, halted rollouts and why.
 *
 * A person reconsiders a declined proposal by ticking its box; the next run reads the ticked boxes
 * (`parseReconsidered`) before deciding, proposes those fixes again in a new PR, and rewrites the
 * dashboard (the box disappears once the new PR is open).
 */
import type { ComplianceState, HostAssessment } from '../assess/assessment.js';
import { COMPLIANCE_STATES } from '../assess/assessment.js';
import { matchesSelector } from '../model/selector.js';
import { inertCode, inertText } from './markdown-text.js';
import type { RingSelector } from './select-candidates.js';

export const DASHBOARD_TITLE = 'Patch dashboard';
export const DASHBOARD_FILE = 'PATCH-DASHBOARD.md';

export interface DashboardPullRequest {
  readonly policy: string;
  readonly key: string;
  readonly id: string;
  readonly number?: number;
  readonly url?: string;
  readonly branch: string;
  readonly title: string;
  /** One line on what happens next (auto-merge waiting for checks, a person merges …). */
  readonly note?: string;
}

export interface DashboardInput {
  readonly compliance: readonly RingCompliance[];
  readonly open: readonly DashboardPullRequest[];
  readonly declined: readonly DashboardPullRequest[];
  /** Approved advisories waiting for a maintenance window; absent when the plan is not available. */
  readonly waiting?: readonly { readonly advisory: string; readonly ring: string; readonly opens?: string }[];
  /** Halted rollouts; absent when no rollout state is available. */
  readonly halted?: readonly { readonly rollout: string; readonly ring?: string; readonly reason: string }[];
  /** Proposal problems to show (a forge refused something, a file could not be edited). */
  readonly problems?: readonly string[];
}

export interface RingCompliance {
  readonly ring: string;
  readonly hosts: number;
  readonly byState: Readonly<Record<ComplianceState, number>>;
}

/** Hosts per ring and compliance state; hosts in no ring are counted under `(no ring)`. */
export function complianceByRing(hosts: readonly HostAssessment[], rings: readonly RingSelector[]): RingCompliance[] {
  const rows = new Map<string, Record<ComplianceState, number>>();
  const order = [...rings.map((ring) => ring.name), '(no ring)'];
  for (const host of hosts) {
    const ring = rings.find((candidate) => matchesSelector(candidate.selector, { ...(host.labels ?? {}) }))?.name ?? '(no ring)';
    const row = rows.get(ring) ?? (Object.fromEntries(COMPLIANCE_STATES.map((state) => [state, 0])) as Record<ComplianceState, number>);
    row[host.state] += 1;
    rows.set(ring, row);
  }
  return order
    .filter((ring) => rows.has(ring))
    .map((ring) => {
      const byState = rows.get(ring) as Record<ComplianceState, number>;
      return { ring, hosts: Object.values(byState).reduce((a, b) => a + b, 0), byState };
    });
}

function link(pr: DashboardPullRequest): string {
  const label = pr.number === undefined ? inertCode(pr.branch) : `#${pr.number}`;
  return pr.url === undefined ? label : `[${label}](${pr.url.replace(/[()\s]/g, encodeURIComponent)})`;
}

/** The checkbox comment that carries the declined PR's id (URI-encoded: ids are opaque). */
function reconsiderTag(id: string): string {
  return `<!-- patchward:reconsider ${encodeURIComponent(id)} -->`;
}

export function renderDashboard(input: DashboardInput): string {
  const lines = [
    'This issue is kept up to date by patchward on every run; edits other than ticking a box are overwritten.',
    '',
    '## Compliance by ring',
    '',
  ];
  if (input.compliance.length === 0) lines.push('_No host inventory in this run._');
  else {
    lines.push(`| Ring | Hosts | ${COMPLIANCE_STATES.join(' | ')} |`, `|---|---|${COMPLIANCE_STATES.map(() => '---').join('|')}|`);
    for (const row of input.compliance)
      lines.push(`| ${inertCode(row.ring)} | ${row.hosts} | ${COMPLIANCE_STATES.map((state) => row.byState[state]).join(' | ')} |`);
  }
  lines.push('', '## Open proposals', '');
  if (input.open.length === 0) lines.push('_None._');
  for (const pr of input.open)
    lines.push(
      `- ${link(pr)} ${inertText(pr.title, 200)} (policy ${inertCode(pr.policy)})${pr.note === undefined ? '' : `: ${inertText(pr.note, 200)}`}`,
    );
  lines.push('', '## Declined proposals', '', 'Tick a box to propose those fixes again on the next run.', '');
  if (input.declined.length === 0) lines.push('_None._');
  for (const pr of input.declined)
    lines.push(
      `- [ ] ${reconsiderTag(pr.id)} Reconsider ${link(pr)} ${inertText(pr.title, 200)} (policy ${inertCode(pr.policy)}, key ${inertCode(pr.key)})`,
    );
  lines.push('', '## Approved, waiting for a maintenance window', '');
  if (input.waiting === undefined) lines.push('_Not computed in this run (no rollout plan available)._');
  else if (input.waiting.length === 0) lines.push('_None._');
  else
    for (const item of input.waiting)
      lines.push(
        `- ${inertCode(item.advisory)} in ring ${inertCode(item.ring)}${item.opens === undefined ? '' : `, next window ${inertCode(item.opens, 64)}`}`,
      );
  lines.push('', '## Halted rollouts', '');
  if (input.halted === undefined) lines.push('_Not computed in this run (no rollout state available)._');
  else if (input.halted.length === 0) lines.push('_None._');
  else
    for (const halt of input.halted)
      lines.push(
        `- ${inertCode(halt.rollout)}${halt.ring === undefined ? '' : ` (ring ${inertCode(halt.ring)})`}: ${inertText(halt.reason)}`,
      );
  if (input.problems !== undefined && input.problems.length > 0) {
    lines.push('', '## Problems in the last run', '');
    for (const problem of input.problems) lines.push(`- ${inertText(problem)}`);
  }
  lines.push('');
  return lines.join('\n');
}

/** Ids of declined PRs whose box is ticked (`- [x]`) in a dashboard body. */
export function parseReconsidered(body: string): Set<string> {
  const ticked = new Set<string>();
  const pattern = /^\s*[-*] \[[xX]\] <!-- patchward:reconsider ([^\s>]{1,400}) -->/gm;
  for (let match = pattern.exec(body); match !== null; match = pattern.exec(body)) {
    try {
      ticked.add(decodeURIComponent(match[1] as string));
    } catch {
      // a malformed id is not one of ours
    }
  }
  return ticked;
}
