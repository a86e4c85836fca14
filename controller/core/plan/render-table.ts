/** The rollout timeline for a terminal (`patchward plan`, the default output). Control characters never pass. */
import { formatColumns } from '../text/columns.js';
import type { HostPlan, RingPlan, RolloutPlan } from './plan-types.js';
import { changeText, durationText, pieceText, terminalText, utcTime } from './render-text.js';

function hostRows(host: HostPlan): string[][] {
  const notes: string[] = [];
  if (host.urgent) notes.push('urgent');
  if (host.block !== undefined) notes.push(`${host.block.kind}: ${host.block.detail}`);
  if (host.reason !== undefined) notes.push(host.reason);
  if (host.notBefore !== undefined) notes.push(`not before ${utcTime(host.notBefore)}`);
  if (host.attempts > 0) notes.push(`attempts ${host.attempts}`);
  for (const entry of host.held) notes.push(`${entry.name} held: ${entry.reason}`);
  const changes = host.packages.length === 0 ? ['(versions unknown until the host answers)'] : host.packages.map(changeText);
  return changes.map((change, index) =>
    index === 0
      ? [host.host, host.state, host.release ?? '?', change, notes.join('; ')].map(terminalText)
      : ['', '', '', terminalText(change), ''],
  );
}

function ringLines(ring: RingPlan): string[] {
  const when =
    ring.phase === 'complete' || ring.phase === 'idle'
      ? undefined
      : ring.firstWindow === undefined
        ? 'no window opens again'
        : `${ring.estimated ? 'about ' : ''}${pieceText(ring.firstWindow)}`;
  const lines = [
    terminalText(`Ring ${ring.name} (order ${ring.order}): ${ring.phase} — ${ring.note}`),
    terminalText(
      `  ${ring.hosts.length} of ${ring.size} host(s) with work; at most ${ring.maxConcurrent} at once; failure budget ${ring.failureBudget}; ` +
        `${ring.maxAttempts} attempts; soak ${durationText(ring.soakSeconds)}` +
        (ring.urgentSoakSeconds === undefined ? '' : ` (urgent ${durationText(ring.urgentSoakSeconds)})`) +
        (ring.soakUntil === undefined ? '' : `; soaks until ${utcTime(ring.soakUntil)}`),
    ),
  ];
  if (when !== undefined) lines.push(terminalText(`  first window: ${when}`));
  if (ring.hosts.length > 0)
    lines.push(...formatColumns([['HOST', 'STATE', 'RELEASE', 'PACKAGE FROM → TO', 'NOTES'], ...ring.hosts.flatMap(hostRows)], '  '));
  return lines;
}

export function renderPlanTable(plan: RolloutPlan): string {
  const lines = [
    terminalText(
      `${plan.rolloutId === undefined ? 'Rollout' : `Rollout ${plan.rolloutId}`} at ${utcTime(plan.now)}: ${plan.state} — ${plan.summary}`,
    ),
  ];
  if (plan.nextAt !== undefined) lines.push(`Next: ${utcTime(plan.nextAt)}`);
  if (plan.halt !== undefined) lines.push(terminalText(`Halt: ${plan.halt.reason}`));
  if (plan.start.length > 0)
    lines.push(terminalText(`Start now: ${plan.start.map((entry) => `${entry.resume ? 'resume ' : ''}${entry.host}`).join(', ')}`));
  for (const ring of plan.rings) lines.push('', ...ringLines(ring));
  if (plan.rings.some((ring) => ring.estimated))
    lines.push('', '(times after an incomplete ring assume it finishes within its first window)');
  if (plan.leftOut.length > 0) {
    lines.push('', `Left out (${plan.leftOut.length}):`);
    lines.push(
      ...formatColumns(
        [
          ['HOST', 'RING', 'REASON', 'DETAIL'],
          ...plan.leftOut.map((host) => [host.host, host.ring ?? '-', host.reason, host.detail].map(terminalText)),
        ],
        '  ',
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}
