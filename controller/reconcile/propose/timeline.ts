/**
 * The rollout timeline a proposal PR shows: `plan` run on the repository as it would be after the
 * merge (the proposal's approvals added to its baseline), rendered by `renderPlanMarkdown`. Pure
 * functions of core; this module only assembles their inputs.
 */
import type { AdvisoryIndex } from '../../core/advisory/advisory-index.js';
import type { HostInventory } from '../../core/inventory/host-inventory.js';
import type { PatchBaseline, PolicySet } from '../../core/model/index.js';
import { planPolicyOf, planRollout, renderPlanMarkdown } from '../../core/plan/index.js';
import { type ApprovalEntry, approvalsOf, type Proposal } from '../../core/proposals/index.js';

function withApprovals(baseline: PatchBaseline, approvals: readonly ApprovalEntry[]): PatchBaseline {
  const copy = structuredClone(baseline);
  copy.spec.approvals ??= [];
  for (const approval of approvals) {
    const existing = copy.spec.approvals.find((entry) => entry.advisory === approval.advisory);
    if (existing === undefined) {
      copy.spec.approvals.push(structuredClone(approval) as never);
      continue;
    }
    for (const pkg of approval.packages) {
      const found = existing.packages.find((item) => item.release === pkg.release && item.name === pkg.name);
      if (found === undefined) existing.packages.push({ ...pkg });
      else found.minVersion = pkg.minVersion;
    }
  }
  return copy;
}

/** A function giving each proposal of `policy` its timeline Markdown. */
export function proposalTimeline(
  policySet: PolicySet,
  inventory: readonly HostInventory[],
  index: AdvisoryIndex,
  now: Date,
): (proposal: Proposal, baselineName: string) => string {
  const policy = planPolicyOf(policySet);
  const knownExploited = new Set<string>();
  for (const advisory of index.advisories()) for (const cve of advisory.knownExploitedCves) knownExploited.add(cve);
  return (proposal, baselineName) => {
    const approvals = approvalsOf(proposal.candidates, proposal.policy);
    const plan = planRollout(
      {
        policy: {
          ...policy,
          baselines: policy.baselines.map((baseline) =>
            baseline.metadata?.name === baselineName ? withApprovals(baseline, approvals) : baseline,
          ),
        },
        inventory,
        knownExploited,
        orderSeed: `${baselineName}+${proposal.key}`,
      },
      now,
    );
    return renderPlanMarkdown(plan);
  };
}
