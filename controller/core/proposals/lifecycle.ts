/**
 * The proposal lifecycle as one pure decision over (candidates, the PRs found again by branch
 * prefix and marker, the dashboard's ticked boxes, observations of open PRs, now). No state of its
 * own: everything it needs is in the forge.
 *
 * Rules:
 * - Ownership: a PR is ours when its branch starts with `<branchPrefix><policy>/` and its body
 *   carries our marker for this policy. Others are ignored.
 * - One PR per key: the open PR of a key's branch is updated in place; none → a new PR (also when
 *   the branch's last PR was closed or merged: a closed PR is never reopened).
 * - Unchanged: the open PR's marker hash equals the proposal's and its branch does not conflict →
 *   nothing is written (no new commit, no API write).
 * - Declined: a PR a PERSON closed without merging (patchward marks the PRs it closes itself in their
 *   marker first), when it is the LATEST PR of its key, declines exactly the
 *   (advisory, release, package, minVersion) items of its marker. Those items are removed from the
 *   candidates; an advisory whose fixes are all declined is not proposed again. A newer fixed
 *   version is a different item, so it is proposed (a new PR on the same branch). A later PR for
 *   the key lifts the decline; ticking the dashboard's box for the declined PR does the same this run.
 * - Superseded: an open PR of ours whose key is no longer desired is closed with a comment naming
 *   the proposal that now carries its advisories; with no successor (approved meanwhile, no host
 *   affected, excluded) it is closed with a comment saying so.
 * - Conflicting base: an open PR whose branch conflicts with its base is recreated on the current
 *   base (`rebase`), even when nothing else changed.
 * - Auto-merge: see auto-merge.ts.
 */
import type { Candidate, Proposal } from './candidate.js';
import { decideAutoMerge, type AutoMergeDecision, type ChecksState } from './auto-merge.js';
import { groupProposals } from './group-proposals.js';
import { fixItemId, parseMarker, type ProposalMarker, reviewersChanged } from './marker.js';
import type { PullRequestContent } from './pr-content.js';
import type { PatchPolicySpec } from '../model/index.js';
import { DEFAULT_BRANCH_PREFIX } from './ref-name.js';

export interface ExistingPullRequest {
  readonly id: string;
  readonly number?: number;
  readonly url?: string;
  readonly branch: string;
  readonly state: 'open' | 'closed' | 'merged';
  readonly title: string;
  readonly body: string;
  readonly draft: boolean;
  readonly headSha: string;
  /** RFC 3339 */
  readonly createdAt: string;
  readonly labels?: readonly string[];
}

/** What the driver saw of an open PR before deciding. */
export interface PullRequestObservation {
  readonly checks: ChecksState;
  readonly conflicted: boolean;
}

export interface OwnedPullRequest extends ExistingPullRequest {
  readonly marker: ProposalMarker;
}

export type LifecycleAction =
  | { readonly kind: 'create'; readonly proposal: Proposal; readonly content: PullRequestContent }
  | {
      readonly kind: 'update';
      readonly proposal: Proposal;
      readonly content: PullRequestContent;
      readonly pr: OwnedPullRequest;
      readonly rebase: boolean;
      /** The policy's reviewers differ from those recorded in the PR's marker: request them again. */
      readonly reviewersChanged: boolean;
      readonly autoMerge: AutoMergeDecision;
    }
  | {
      readonly kind: 'unchanged';
      readonly proposal: Proposal;
      readonly content: PullRequestContent;
      readonly pr: OwnedPullRequest;
      readonly autoMerge: AutoMergeDecision;
    }
  | {
      readonly kind: 'close';
      readonly pr: OwnedPullRequest;
      readonly reason: 'superseded' | 'obsolete';
      readonly successor?: Proposal;
      readonly comment: string;
    };

export interface DeclinedProposal {
  readonly pr: OwnedPullRequest;
  /** The ticked box was read this run: the decline is lifted. */
  readonly reconsidered: boolean;
}

export interface LifecycleInput {
  readonly policy: { readonly name: string; readonly spec: PatchPolicySpec };
  readonly candidates: readonly Candidate[];
  /** PRs of the policy's branch prefix, any state. */
  readonly pullRequests: readonly ExistingPullRequest[];
  /** Ids of declined PRs whose dashboard box is ticked. */
  readonly reconsider: ReadonlySet<string>;
  /** By PR id, for open PRs; missing = checks `none`, not conflicted. */
  readonly observations: ReadonlyMap<string, PullRequestObservation>;
  readonly render: (proposal: Proposal) => PullRequestContent;
  readonly now: Date;
}

export interface LifecyclePlan {
  readonly proposals: readonly Proposal[];
  readonly actions: readonly LifecycleAction[];
  readonly declined: readonly DeclinedProposal[];
}

/** The PRs of this policy that carry our marker, newest first (by creation, then number). */
export function ownedPullRequests(policy: string, prefix: string, pullRequests: readonly ExistingPullRequest[]): OwnedPullRequest[] {
  const owned: OwnedPullRequest[] = [];
  for (const pr of pullRequests) {
    if (!pr.branch.startsWith(`${prefix}${policy}/`)) continue;
    const marker = parseMarker(pr.body);
    if (marker === undefined || marker.policy !== policy) continue;
    owned.push({ ...pr, marker });
  }
  return owned.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (b.number ?? 0) - (a.number ?? 0));
}

/** The candidates without their declined fix items; hosts kept only for releases still proposed. */
export function withoutDeclined(candidates: readonly Candidate[], declinedItems: ReadonlySet<string>): Candidate[] {
  if (declinedItems.size === 0) return [...candidates];
  const kept: Candidate[] = [];
  for (const candidate of candidates) {
    const fixes = candidate.fixes.filter(
      (fix) =>
        !declinedItems.has(
          fixItemId({ advisory: candidate.advisory, release: fix.release, package: fix.package, minVersion: fix.minVersion }),
        ),
    );
    if (fixes.length === 0) continue;
    if (fixes.length === candidate.fixes.length) {
      kept.push(candidate);
      continue;
    }
    const releases = new Set(fixes.map((fix) => fix.release));
    kept.push({ ...candidate, fixes, hosts: candidate.hosts.filter((host) => releases.has(host.release)) });
  }
  return kept;
}

function closeComment(successor: Proposal | undefined, branchOf: (proposal: Proposal) => string): string {
  return successor === undefined
    ? 'patchward: closing this proposal, it is no longer needed (its fixes are approved, excluded, or no governed host needs them any more).'
    : `patchward: superseded by the proposal on branch \`${branchOf(successor)}\` (key \`${successor.key.replace(/`/g, "'")}\`), which now carries these advisories.`;
}

export function decideLifecycle(input: LifecycleInput): LifecyclePlan {
  const { spec, name } = input.policy;
  const prefix = spec.pullRequests?.branchPrefix ?? DEFAULT_BRANCH_PREFIX;
  const owned = ownedPullRequests(name, prefix, input.pullRequests);
  const latestByKey = new Map<string, OwnedPullRequest>();
  for (const pr of owned) if (!latestByKey.has(pr.marker.key)) latestByKey.set(pr.marker.key, pr);
  const declined: DeclinedProposal[] = [];
  const declinedItems = new Set<string>();
  for (const pr of latestByKey.values()) {
    if (pr.state !== 'closed' || pr.marker.closedBy !== undefined) continue;
    const reconsidered = input.reconsider.has(pr.id);
    declined.push({ pr, reconsidered });
    if (!reconsidered) for (const item of pr.marker.fixes) declinedItems.add(fixItemId(item));
  }
  const proposals = groupProposals(withoutDeclined(input.candidates, declinedItems), {
    policy: name,
    by: spec.grouping?.by ?? 'advisory',
    ...(spec.grouping?.maxAdvisories === undefined ? {} : { maxAdvisories: spec.grouping.maxAdvisories }),
    branchPrefix: prefix,
  });
  const actions: LifecycleAction[] = [];
  const desiredKeys = new Set(proposals.map((proposal) => proposal.key));
  for (const proposal of proposals) {
    const content = input.render(proposal);
    const open = owned.find((pr) => pr.state === 'open' && pr.marker.key === proposal.key && pr.branch === proposal.branch);
    if (open === undefined) {
      actions.push({ kind: 'create', proposal, content });
      continue;
    }
    const seen = input.observations.get(open.id) ?? { checks: 'none', conflicted: false };
    const autoMerge = decideAutoMerge({
      proposal,
      spec,
      createdAt: new Date(open.createdAt),
      draft: open.draft,
      checks: seen.checks,
      conflicted: seen.conflicted,
      now: input.now,
    });
    const reviewers = reviewersChanged(open.marker.reviewers, content.marker.reviewers);
    if (open.marker.hash === content.marker.hash && !seen.conflicted && !reviewers)
      actions.push({ kind: 'unchanged', proposal, content, pr: open, autoMerge });
    else actions.push({ kind: 'update', proposal, content, pr: open, rebase: seen.conflicted, reviewersChanged: reviewers, autoMerge });
  }
  for (const pr of owned) {
    if (pr.state !== 'open' || (desiredKeys.has(pr.marker.key) && proposals.some((p) => p.branch === pr.branch))) continue;
    const advisories = new Set(pr.marker.fixes.map((item) => item.advisory));
    const successor = proposals.find((proposal) => proposal.candidates.some((candidate) => advisories.has(candidate.advisory)));
    actions.push({
      kind: 'close',
      pr,
      reason: successor === undefined ? 'obsolete' : 'superseded',
      ...(successor === undefined ? {} : { successor }),
      comment: closeComment(successor, (proposal) => proposal.branch),
    });
  }
  return { proposals, actions, declined };
}
