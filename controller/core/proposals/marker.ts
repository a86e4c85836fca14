/**
 * The hidden marker in every proposal PR body: an HTML comment that identifies PRs patchward
 * owns and records what was proposed. Found again on every run (no state of our own).
 *
 *   <!-- patchward:proposal v1 <base64url(JSON)> -->
 *
 * The JSON holds the policy, the grouping key, a hash of the proposal's content (hosts, fixes,
 * advisory data: when it changes the PR is updated) and the fixed versions proposed, one item per
 * (advisory, release, package, minVersion): a PR closed without merging declines exactly these.
 * Base64 keeps feed text from ending the comment early (`-->`).
 */
import { createHash } from 'node:crypto';
import type { Proposal } from './candidate.js';

export interface FixItem {
  readonly advisory: string;
  readonly release: string;
  readonly package: string;
  readonly minVersion: string;
}

export interface ProposalMarker {
  readonly version: 1;
  readonly policy: string;
  readonly key: string;
  readonly hash: string;
  readonly urgent: boolean;
  readonly fixes: readonly FixItem[];
  /**
   * The reviewers requested from the policy (users, and teams as `team:<slug>`), sorted: when the
   * policy's reviewers change, the PR is updated and the new ones are requested. Absent in markers
   * written before it was recorded (read as unknown: the next run records it).
   */
  readonly reviewers?: readonly string[];
  /** Set by patchward just before it closes the PR itself: such a close is not a person's decline. */
  readonly closedBy?: 'superseded' | 'obsolete';
}

const PATTERN = /<!-- patchward:proposal v1 ([A-Za-z0-9_-]{1,200000}) -->/;

export function fixItemsOf(proposal: Proposal): FixItem[] {
  return proposal.candidates.flatMap((candidate) =>
    candidate.fixes.map((fix) => ({
      advisory: candidate.advisory,
      release: fix.release,
      package: fix.package,
      minVersion: fix.minVersion,
    })),
  );
}

export function fixItemId(item: FixItem): string {
  return `${item.advisory}\u0000${item.release}\u0000${item.package}\u0000${item.minVersion}`;
}

/** Hash of everything the PR shows: it changes when hosts, fixes or advisory data change. */
export function proposalHash(proposal: Proposal, extra = ''): string {
  const content = JSON.stringify({ key: proposal.key, urgent: proposal.urgent, candidates: proposal.candidates, extra });
  return createHash('sha256').update(content).digest('hex').slice(0, 20);
}

export function markerFor(
  proposal: Proposal,
  hash: string,
  reviewers: { readonly users: readonly string[]; readonly teams: readonly string[] } = { users: [], teams: [] },
): ProposalMarker {
  return {
    version: 1,
    policy: proposal.policy,
    key: proposal.key,
    hash,
    urgent: proposal.urgent,
    fixes: fixItemsOf(proposal),
    reviewers: reviewerList(reviewers.users, reviewers.teams),
  };
}

/** Users and `team:<slug>` entries, without duplicates, sorted. */
export function reviewerList(users: readonly string[], teams: readonly string[]): string[] {
  return [...new Set([...users, ...teams.map((team) => `team:${team}`)])].sort();
}

/** Whether the PR's recorded reviewers differ from the desired ones (unknown counts as different when any are wanted). */
export function reviewersChanged(recorded: readonly string[] | undefined, desired: readonly string[] | undefined): boolean {
  const want = desired ?? [];
  if (recorded === undefined) return want.length > 0;
  return recorded.length !== want.length || recorded.some((entry, i) => entry !== want[i]);
}

export function renderMarker(marker: ProposalMarker): string {
  return `<!-- patchward:proposal v1 ${Buffer.from(JSON.stringify(marker), 'utf8').toString('base64url')} -->`;
}

function isFixItem(value: unknown): value is FixItem {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  return ['advisory', 'release', 'package', 'minVersion'].every((field) => typeof item[field] === 'string');
}

/** The marker in a PR body, or undefined when there is none or it is malformed. */
export function parseMarker(body: string): ProposalMarker | undefined {
  const match = PATTERN.exec(body);
  if (match === null) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(match[1] as string, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const marker = value as Record<string, unknown>;
  if (marker['version'] !== 1 || typeof marker['policy'] !== 'string' || typeof marker['key'] !== 'string') return undefined;
  if (typeof marker['hash'] !== 'string' || !Array.isArray(marker['fixes']) || !marker['fixes'].every(isFixItem)) return undefined;
  return {
    version: 1,
    policy: marker['policy'],
    key: marker['key'],
    hash: marker['hash'],
    urgent: marker['urgent'] === true,
    fixes: marker['fixes'] as FixItem[],
    ...(Array.isArray(marker['reviewers']) && marker['reviewers'].every((entry) => typeof entry === 'string')
      ? { reviewers: marker['reviewers'] as string[] }
      : {}),
    ...(marker['closedBy'] === 'superseded' || marker['closedBy'] === 'obsolete' ? { closedBy: marker['closedBy'] } : {}),
  };
}

/** The body with its marker saying patchward closed the PR (so the close is not read as a decline). */
export function markClosedByPatchward(body: string, reason: 'superseded' | 'obsolete'): string {
  const marker = parseMarker(body);
  if (marker === undefined) return body;
  return body.replace(PATTERN, renderMarker({ ...marker, closedBy: reason }));
}
