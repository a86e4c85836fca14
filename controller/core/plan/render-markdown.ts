/**
 * The rollout timeline as Markdown, for a proposal pull request body and `patchward plan --output
 * markdown`: per ring the hosts, versions from → to and the first window, then every left-out host
 * with its reason. Every value from a host, an advisory or a person passes `markdownText`, so the
 * output is inert (no HTML, links, mentions or references) whatever the input.
 */
import type { HostPlan, LeftOutHost, RingPlan, RolloutPlan } from './plan-types.js';
import { changeText, durationText, markdownText, pieceText, utcTime } from './render-text.js';

/** Hosts listed per ring before the rest is folded into a count (a PR body has a size limit). */
export const MARKDOWN_HOSTS_PER_RING = 50;

const LEFT_OUT_LABELS: Readonly<Record<LeftOutHost['reason'], string>> = {
  cordoned: 'cordoned',
  'no-ring': 'in no ring',
  'no-policy': 'no policy',
  'not-affected': 'not affected',
  compliant: 'already compliant',
  held: 'held',
  excluded: 'excluded',
};

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function hostState(host: HostPlan): string {
  const parts: string[] = [host.state];
  if (host.urgent) parts.push('urgent');
  if (host.block !== undefined) parts.push(`${host.block.kind}: ${host.block.detail}`);
  if (host.reason !== undefined) parts.push(host.reason);
  if (host.notBefore !== undefined) parts.push(`not before ${utcTime(host.notBefore)}`);
  if (host.attempts > 0) parts.push(`attempts ${host.attempts}`);
  return markdownText(parts.join('; '));
}

function ringWhen(ring: RingPlan): string {
  if (ring.phase === 'complete') return ring.completedAt === undefined ? 'complete' : `complete ${utcTime(ring.completedAt)}`;
  if (ring.phase === 'idle') return 'nothing to do';
  if (ring.firstWindow === undefined) return 'no window opens';
  return `${ring.estimated ? 'about ' : ''}${pieceText(ring.firstWindow)}`;
}

function ringSection(ring: RingPlan): string[] {
  const lines = [
    `#### Ring ${markdownText(ring.name)} (order ${ring.order}): ${markdownText(ring.phase)}`,
    '',
    markdownText(
      `${ring.hosts.length} of ${ring.size} host(s) with work; at most ${ring.maxConcurrent} at once; failure budget ${ring.failureBudget}; ` +
        `${ring.maxAttempts} attempts per host; soak ${durationText(ring.soakSeconds)}` +
        (ring.urgentSoakSeconds === undefined ? '' : ` (urgent: ${durationText(ring.urgentSoakSeconds)})`) +
        '.',
    ),
    '',
    markdownText(`First window: ${ringWhen(ring)}. ${ring.note}.`),
    '',
  ];
  if (ring.hosts.length === 0) return lines;
  lines.push(row(['Host', 'Release', 'Packages (from → to)', 'State']), row(['---', '---', '---', '---']));
  for (const host of ring.hosts.slice(0, MARKDOWN_HOSTS_PER_RING)) {
    const packages =
      host.packages.length === 0
        ? 'unknown until the host answers'
        : host.packages.map((change) => markdownText(changeText(change))).join('<br>');
    const held = host.held.map((entry) => markdownText(`${entry.name} held: ${entry.reason}`));
    lines.push(row([markdownText(host.host), markdownText(host.release ?? '?'), [packages, ...held].join('<br>'), hostState(host)]));
  }
  const more = ring.hosts.length - MARKDOWN_HOSTS_PER_RING;
  if (more > 0) lines.push('', `… and ${more} more host(s) in this ring.`);
  lines.push('');
  return lines;
}

/** The plan as Markdown (pure: the same plan gives the same text). */
export function renderPlanMarkdown(plan: RolloutPlan): string {
  const lines = [
    '### Rollout plan',
    '',
    markdownText(
      `${plan.rolloutId === undefined ? '' : `Rollout ${plan.rolloutId}: `}${plan.state}: ${plan.summary} (computed ${utcTime(plan.now)}).`,
    ),
    '',
  ];
  if (plan.halt !== undefined) lines.push(`**Halt:** ${markdownText(plan.halt.reason)}`, '');
  if (plan.rings.length === 0) lines.push('No rings are defined.', '');
  else {
    lines.push(
      row(['Ring', 'Hosts with work', 'At once', 'Soak', 'First window', 'Phase']),
      row(['---', '---:', '---:', '---', '---', '---']),
    );
    for (const ring of plan.rings) {
      lines.push(
        row([
          markdownText(ring.name),
          String(ring.hosts.length),
          String(ring.maxConcurrent),
          markdownText(durationText(ring.soakSeconds)),
          markdownText(ringWhen(ring)),
          markdownText(ring.phase),
        ]),
      );
    }
    lines.push('');
    if (plan.rings.some((ring) => ring.estimated))
      lines.push('_Times for rings after an incomplete ring assume that ring finishes within its first window._', '');
    for (const ring of plan.rings) lines.push(...ringSection(ring));
  }
  if (plan.leftOut.length > 0) {
    lines.push(`<details><summary>Hosts left out (${plan.leftOut.length})</summary>`, '');
    lines.push(row(['Host', 'Ring', 'Reason', 'Detail']), row(['---', '---', '---', '---']));
    for (const host of plan.leftOut) {
      lines.push(row([markdownText(host.host), markdownText(host.ring ?? '—'), LEFT_OUT_LABELS[host.reason], markdownText(host.detail)]));
    }
    lines.push('', '</details>', '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
