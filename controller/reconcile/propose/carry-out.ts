/**
 * One lifecycle action of the propose step carried out: close (marked as patchward's own close
 * first), or create/update/unchanged: the baseline edited in place, ONE commit pushed when it
 * changed, labels, the PR ensured, reviewers requested (on creation, and again when the policy's
 * reviewers changed), auto-merge where the decision allows it.
 */
import { approvalsOf, editBaseline, type LifecycleAction, markClosedByPatchward, type Proposal } from '../../core/proposals/index.js';
import { StalledError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Forge } from '../../ports/forge.js';
import type { ProposalReport, ProposedFile } from './propose.js';
import type { ProposalWorkspace } from './workspace.js';

export interface CarryContext {
  readonly forge: Forge | undefined;
  readonly workspace: ProposalWorkspace | undefined;
  readonly write: boolean;
  readonly base: string;
  readonly baselinePath: string;
  readonly baseText: string;
  readonly baselineName: string;
  readonly policy: string;
  readonly log: Logger;
}

export type CarryResult =
  | { readonly kind: 'proposal'; readonly report: ProposalReport; readonly merged: boolean; readonly proposal: Proposal }
  | { readonly kind: 'closed'; readonly key: string; readonly id: string; readonly reason: string };

export async function carryOut(action: LifecycleAction, context: CarryContext): Promise<CarryResult> {
  const { forge, workspace, write, log } = context;
  if (action.kind === 'close') {
    if (write && forge !== undefined) {
      // Mark the close as ours first: a later run must not read it as a person's decline.
      await forge.ensurePullRequest({
        branch: action.pr.branch,
        base: context.base,
        title: action.pr.title,
        body: markClosedByPatchward(action.pr.body, action.reason),
        labels: action.pr.labels ?? [],
        draft: action.pr.draft,
      });
      await forge.closePullRequest(action.pr.id, { comment: action.comment });
    }
    log.info({ policy: context.policy, pr: action.pr.id, reason: action.reason }, 'proposal closed');
    return { kind: 'closed', key: action.pr.marker.key, id: action.pr.id, reason: action.reason };
  }
  const { proposal, content } = action;
  const edited = editBaseline(context.baseText, context.baselineName, approvalsOf(proposal.candidates, context.policy));
  if (!edited.ok)
    throw new StalledError('propose-edit-failed', `${context.baselinePath}: ${edited.error.message}`, {
      context: { path: context.baselinePath },
    });
  const files: ProposedFile[] = [{ path: context.baselinePath, before: context.baseText, after: edited.value.text }];
  let pullRequest: ProposalReport['pullRequest'] = action.kind === 'create' ? undefined : prRef(action.pr);
  let merged = false;
  let autoMerge: string | undefined = action.kind === 'create' ? undefined : action.autoMerge.reason;
  if (write && action.kind !== 'unchanged' && workspace !== undefined && forge !== undefined) {
    const commit = await workspace.commitToBranch({
      branch: proposal.branch,
      base: context.base,
      files: [{ path: context.baselinePath, content: edited.value.text }],
      message: `${content.title}\n\nProposed by patchward for PatchPolicy ${context.policy} (key ${proposal.key}).`,
      rebase: action.kind === 'update' && action.rebase,
    });
    if (commit.outcome !== 'unchanged') await workspace.pushBranch(proposal.branch);
    if (content.labels.length > 0) await forge.ensureLabels(content.labels);
    const ensured = await forge.ensurePullRequest({
      branch: proposal.branch,
      base: context.base,
      title: content.title,
      body: content.body,
      labels: content.labels,
      draft: content.draft,
    });
    if (ensured.outcome === 'blocked')
      throw new StalledError('propose-pr-blocked', `${proposal.branch}: ${ensured.reason}: ${ensured.detail}`);
    pullRequest = prRef(ensured.value);
    // Requested when the PR is created, and again when the policy's reviewers changed (the edge asks
    // only those not requested yet, so a repeated request writes nothing).
    const askReviewers = ensured.outcome === 'created' || (action.kind === 'update' && action.reviewersChanged);
    if (askReviewers && forge.requestReviewers !== undefined && (content.reviewers.length > 0 || content.teamReviewers.length > 0))
      await forge.requestReviewers(ensured.value.id, { users: content.reviewers, teams: content.teamReviewers });
    log.info(
      { policy: context.policy, branch: proposal.branch, pr: ensured.value.id, outcome: ensured.outcome, commit: commit.outcome },
      'proposal ensured',
    );
  }
  if (write && action.kind === 'unchanged' && forge?.mergePullRequest !== undefined && action.autoMerge.merge) {
    const outcome = await forge.mergePullRequest(action.pr.id, { headSha: action.pr.headSha });
    merged = outcome.outcome !== 'blocked';
    autoMerge =
      outcome.outcome === 'blocked' ? `merge blocked: ${outcome.reason}: ${outcome.detail}` : `merged (${action.autoMerge.reason})`;
    log.info({ policy: context.policy, pr: action.pr.id, outcome: outcome.outcome }, 'proposal auto-merge');
  }
  return {
    kind: 'proposal',
    proposal,
    merged,
    report: {
      policy: context.policy,
      key: proposal.key,
      branch: proposal.branch,
      title: content.title,
      body: content.body,
      files,
      advisories: proposal.candidates.map((candidate) => candidate.advisory),
      hosts: [...new Set(proposal.candidates.flatMap((candidate) => candidate.hosts.map((host) => host.host)))].sort(),
      labels: content.labels,
      action: action.kind,
      ...(pullRequest === undefined ? {} : { pullRequest }),
      ...(autoMerge === undefined ? {} : { autoMerge }),
    },
  };
}

export function prRef(pr: { id: string; number?: number; url?: string }): NonNullable<ProposalReport['pullRequest']> {
  return { id: pr.id, ...(pr.number === undefined ? {} : { number: pr.number }), ...(pr.url === undefined ? {} : { url: pr.url }) };
}
