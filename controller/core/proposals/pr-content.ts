/**
 * What a proposal PR says: title, body (Markdown), labels, reviewers, draft flag. Deterministic:
 * the same proposal gives the same text, so a run that finds nothing new changes nothing.
 * Every string that comes from a feed or a host goes through `inertText`/`inertCode`.
 */
import type { PatchPolicySpec } from '../model/index.js';
import type { Candidate, Proposal } from './candidate.js';
import { cveLink, inertCode, inertText } from './markdown-text.js';
import { markerFor, proposalHash, renderMarker, type ProposalMarker } from './marker.js';

export const TIMELINE_NOT_COMPUTED = '_The rollout timeline is not computed yet._';

/** Most hosts listed by name in one body; the counts always cover all. */
export const MAX_LISTED_HOSTS = 500;

export interface PullRequestContent {
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
  readonly reviewers: readonly string[];
  readonly teamReviewers: readonly string[];
  readonly draft: boolean;
  readonly marker: ProposalMarker;
}

export interface ContentContext {
  readonly policy: { readonly name: string; readonly spec: PatchPolicySpec };
  /** The baseline file path in the repository, shown to reviewers. */
  readonly baselinePath: string;
  /** `plan`'s Markdown timeline for this proposal when available (trusted: our own rendering). */
  readonly timeline?: string;
  /** Ring names in rollout order (hosts are listed per ring in this order; others after, by name). */
  readonly ringOrder?: readonly string[];
}

function severityText(candidate: Candidate): string {
  const rated = candidate.severity ?? 'unrated';
  return candidate.effectiveSeverity !== undefined && candidate.effectiveSeverity !== candidate.severity
    ? `${rated} (treated as ${candidate.effectiveSeverity})`
    : rated;
}

function titleOf(proposal: Proposal): string {
  const prefix = proposal.urgent ? 'Urgent: approve' : 'Approve';
  const only = proposal.candidates.length === 1 ? proposal.candidates[0] : undefined;
  if (only !== undefined) {
    const packages = [...new Set(only.fixes.map((fix) => fix.package))];
    const named = packages.length > 2 ? `${packages.slice(0, 2).join(', ')} and ${packages.length - 2} more` : packages.join(', ');
    return `${prefix} ${only.advisory} (${only.severity ?? 'unrated'}${only.knownExploited ? ', known exploited' : ''}): ${named}`
      .replace(/[\u0000-\u001f\u007f]/g, '')
      .slice(0, 250);
  }
  return `${prefix} ${proposal.candidates.length} security fixes (${proposal.key}, policy ${proposal.policy})`.slice(0, 250);
}

function advisoryTable(candidates: readonly Candidate[]): string[] {
  const lines = ['| Advisory | Severity | CVSS | Known exploited | CVEs |', '|---|---|---|---|---|'];
  for (const candidate of candidates) {
    const cves = candidate.cves.length === 0 ? '—' : candidate.cves.map(cveLink).join(', ');
    lines.push(
      `| ${inertCode(candidate.advisory)} | ${severityText(candidate)} | ${candidate.score?.toFixed(1) ?? '—'} | ${
        candidate.knownExploited ? '**yes**' : 'no'
      } | ${cves} |`,
    );
  }
  return lines;
}

function packageTable(candidates: readonly Candidate[]): string[] {
  const lines = ['| Advisory | OS release | Package | Installed now | Approved minimum |', '|---|---|---|---|---|'];
  for (const candidate of candidates)
    for (const fix of candidate.fixes)
      lines.push(
        `| ${inertCode(candidate.advisory)} | ${inertCode(fix.release)} | ${inertCode(fix.package)} | ${fix.installed.map((v) => inertCode(v)).join(', ')} | ${inertCode(fix.minVersion)} |`,
      );
  return lines;
}

function hostSection(candidates: readonly Candidate[], ringOrder: readonly string[]): string[] {
  const byRing = new Map<string, Set<string>>();
  for (const candidate of candidates)
    for (const host of candidate.hosts) {
      const ring = host.ring ?? '(no ring)';
      const set = byRing.get(ring) ?? new Set<string>();
      set.add(host.host);
      byRing.set(ring, set);
    }
  const total = new Set(candidates.flatMap((candidate) => candidate.hosts.map((host) => host.host))).size;
  const rank = (ring: string) => (ringOrder.includes(ring) ? ringOrder.indexOf(ring) : ringOrder.length);
  const rings = [...byRing.keys()].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  const lines = ['| Ring | Hosts |', '|---|---|', ...rings.map((ring) => `| ${inertCode(ring)} | ${byRing.get(ring)?.size ?? 0} |`)];
  lines.push('', `<details><summary>Affected hosts (${total})</summary>`, '');
  let listed = 0;
  for (const ring of rings) {
    const hosts = [...(byRing.get(ring) ?? [])].sort();
    const shown = hosts.slice(0, Math.max(0, MAX_LISTED_HOSTS - listed));
    listed += shown.length;
    const more = hosts.length - shown.length;
    lines.push(`- ${inertCode(ring)}: ${shown.map((host) => inertCode(host)).join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
  }
  lines.push('', '</details>');
  return lines;
}

function summaries(candidates: readonly Candidate[]): string[] {
  return candidates
    .filter((candidate) => candidate.summary !== undefined)
    .map((candidate) => `- ${inertCode(candidate.advisory)}: ${inertText(candidate.summary as string)}`);
}

/** Title, body, labels and reviewers of a proposal's PR, with the hidden marker at the end. */
export function renderPullRequest(proposal: Proposal, context: ContentContext): PullRequestContent {
  const { spec } = context.policy;
  const settings = spec.pullRequests ?? {};
  const labels = [...new Set([...(settings.labels ?? []), ...(proposal.urgent ? (spec.urgentLane?.labels ?? []) : [])])];
  // The timeline is not hashed: it moves with the clock (next window, "computed at"), and a PR is
  // rewritten only when what it proposes (hosts, fixes, advisory data) or how it is shown (labels,
  // draft, file) changes.
  const hash = proposalHash(proposal, JSON.stringify({ labels, draft: settings.draft === true, file: context.baselinePath }));
  const marker = markerFor(proposal, hash, { users: settings.reviewers ?? [], teams: settings.teamReviewers ?? [] });
  const hostCount = new Set(proposal.candidates.flatMap((candidate) => candidate.hosts.map((host) => host.host))).size;
  const raises = proposal.candidates.filter((candidate) => candidate.raisesApproval).map((candidate) => inertCode(candidate.advisory));
  const body = [
    `This pull request approves ${proposal.candidates.length === 1 ? 'a security fix' : `${proposal.candidates.length} security fixes`} for ${hostCount} host${hostCount === 1 ? '' : 's'} governed by PatchPolicy ${inertCode(context.policy.name)}: it adds the approval${proposal.candidates.length === 1 ? '' : 's'} below to ${inertCode(context.baselinePath)}. Merging it is the approval; the rollout then follows the rings and their maintenance windows.`,
    ...(proposal.urgent ? ['', '**Urgent lane:** this proposal qualifies for the policy’s urgent lane.'] : []),
    ...(raises.length > 0 ? ['', `Raises the approved minimum versions of ${raises.join(', ')} (a newer fix was published).`] : []),
    '',
    '### Advisories',
    '',
    ...advisoryTable(proposal.candidates),
    ...(summaries(proposal.candidates).length > 0 ? ['', ...summaries(proposal.candidates)] : []),
    '',
    '### Packages (from → to, per OS release)',
    '',
    ...packageTable(proposal.candidates),
    '',
    '### Affected hosts by ring',
    '',
    ...hostSection(proposal.candidates, context.ringOrder ?? []),
    '',
    '### Rollout timeline',
    '',
    context.timeline ?? TIMELINE_NOT_COMPUTED,
    '',
    '---',
    `_Opened by patchward for PatchPolicy ${inertCode(context.policy.name)}, key ${inertCode(proposal.key)}. Closing this pull request without merging declines exactly these versions; a newer fix opens a new proposal. The patch dashboard issue lists declined proposals with a box to reconsider them._`,
    '',
    renderMarker(marker),
    '',
  ].join('\n');
  return {
    title: titleOf(proposal),
    body,
    labels,
    reviewers: [...(settings.reviewers ?? [])],
    teamReviewers: [...(settings.teamReviewers ?? [])],
    draft: settings.draft === true,
    marker,
  };
}
