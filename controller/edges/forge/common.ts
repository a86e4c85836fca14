/** Forge-independent helpers of the forge edges (pure; each edge keeps its own mapping tables). */
import type { CombinedStatus, CommitStatus } from '../../ports/forge.js';

/**
 * Our combined state: failure if any status failed or errored, else pending if any is pending or a
 * required context has not reported, else success; none when nothing reported and nothing is required.
 * When a context reported several times, the newest (first in `statuses`) counts.
 */
export function combineStatuses(sha: string, statuses: readonly CommitStatus[], required: readonly string[] = []): CombinedStatus {
  const latest = new Map<string, CommitStatus>();
  for (const status of statuses) if (!latest.has(status.context)) latest.set(status.context, status);
  const list = [...latest.values()];
  const missing = required.filter((context) => !latest.has(context));
  let state: CombinedStatus['state'];
  if (list.some((s) => s.state === 'failure' || s.state === 'error')) state = 'failure';
  else if (list.some((s) => s.state === 'pending') || missing.length > 0) state = 'pending';
  else state = list.length === 0 ? 'none' : 'success';
  return { sha, state, statuses: list, missing };
}

/** A stable colour per label name (forges that need one), so labels look the same everywhere. */
export function labelColour(name: string): string {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  return (hash & 0xffffff).toString(16).padStart(6, '0');
}

export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...left].every((x) => right.has(x));
}
