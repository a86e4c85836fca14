/**
 * Whether an open proposal PR may be merged by patchward now (pure).
 *
 * - Non-urgent proposals: `autoMerge.enabled` and a rule that matches EVERY advisory of the
 *   proposal (its effective severity is in `severities`: an unrated advisory matches no rule; its
 *   known-exploited flag equals `knownExploited` when set; every OS release it touches is in
 *   `releases` when set). The matching rule with the shortest `after` applies.
 * - Urgent proposals (urgent lane): `urgentLane.autoMerge` decides alone and wins over
 *   `autoMerge`: `false` (default) means a person merges, even when a rule of `autoMerge` would
 *   match; `true` means merge once the required checks are green, with no `after` delay (the lane
 *   exists to be fast). Rationale: the urgent lane widens the rollout (extra windows, shorter
 *   soak), so whether it also skips human review must be said in the lane itself.
 * - Always: never a draft, never a conflicted branch, `after` counted from the PR's creation,
 *   and with `requireChecks` (default true) the combined status of the required checks must be
 *   `success` (or `none`: nothing required and nothing reported).
 */
import { parseDurationSeconds } from '../model/duration.js';
import type { PatchPolicySpec } from '../model/index.js';
import type { Proposal } from './candidate.js';

export type ChecksState = 'success' | 'pending' | 'failure' | 'none';

export type AutoMergeDecision =
  | { readonly merge: true; readonly reason: string }
  | { readonly merge: false; readonly reason: string; readonly notBefore?: Date; readonly never?: boolean };

export interface AutoMergeInput {
  readonly proposal: Proposal;
  readonly spec: PatchPolicySpec;
  readonly createdAt: Date;
  readonly draft: boolean;
  readonly checks: ChecksState;
  readonly conflicted: boolean;
  readonly now: Date;
}

interface Gate {
  readonly afterSeconds: number;
  readonly requireChecks: boolean;
  readonly why: string;
}

function gateOf(proposal: Proposal, spec: PatchPolicySpec): Gate | string {
  if (proposal.urgent) {
    if (spec.urgentLane?.autoMerge !== true) return 'urgent lane: urgentLane.autoMerge is off, a person merges';
    return { afterSeconds: 0, requireChecks: true, why: 'urgentLane.autoMerge' };
  }
  if (spec.autoMerge?.enabled !== true) return 'autoMerge is not enabled';
  let best: Gate | undefined;
  (spec.autoMerge.rules ?? []).forEach((rule, index) => {
    const matches = proposal.candidates.every(
      (candidate) =>
        (rule.severities === undefined ||
          (candidate.effectiveSeverity !== undefined && rule.severities.includes(candidate.effectiveSeverity))) &&
        (rule.knownExploited === undefined || rule.knownExploited === candidate.knownExploited) &&
        (rule.releases === undefined || candidate.fixes.every((fix) => rule.releases?.includes(fix.release))),
    );
    if (!matches) return;
    const afterSeconds = rule.after === undefined ? 0 : (parseDurationSeconds(rule.after) ?? 0);
    if (best === undefined || afterSeconds < best.afterSeconds)
      best = { afterSeconds, requireChecks: rule.requireChecks ?? true, why: `autoMerge.rules[${index}]` };
  });
  return best ?? 'no autoMerge rule matches every advisory of the proposal';
}

/** What decides the merge of this proposal, in words that do not change from run to run (dashboard). */
export function describeAutoMerge(proposal: Proposal, spec: PatchPolicySpec): string {
  const gate = gateOf(proposal, spec);
  if (typeof gate === 'string') return `a person merges (${gate})`;
  const after = gate.afterSeconds > 0 ? ` ${gate.afterSeconds}s after opening` : '';
  return `auto-merge by ${gate.why}${after}${gate.requireChecks ? ' once the required checks are green' : ''}`;
}

export function decideAutoMerge(input: AutoMergeInput): AutoMergeDecision {
  const gate = gateOf(input.proposal, input.spec);
  if (typeof gate === 'string') return { merge: false, reason: gate, never: true };
  if (input.draft) return { merge: false, reason: 'draft pull requests are not merged automatically', never: true };
  if (input.conflicted) return { merge: false, reason: 'the branch conflicts with its base' };
  const notBefore = new Date(input.createdAt.getTime() + gate.afterSeconds * 1000);
  if (input.now.getTime() < notBefore.getTime())
    return { merge: false, reason: `${gate.why}: waiting until ${notBefore.toISOString()}`, notBefore };
  if (gate.requireChecks && input.checks !== 'success' && input.checks !== 'none')
    return { merge: false, reason: `${gate.why}: required checks are ${input.checks}` };
  return { merge: true, reason: gate.why };
}
