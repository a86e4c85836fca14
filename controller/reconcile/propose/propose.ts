/**
 * The propose step: the one module `patchward propose` and (later) `patchward run` call with a
 * PatchRepository's forge settings. Idempotent and stateless: PRs are found again by branch prefix
 * and marker, declines by closed PRs, reconsiderations by the dashboard's ticked boxes.
 *
 * Per PatchPolicy: assess against its baseline → candidates → lifecycle decision (pure core) →
 * for each action: one commit editing the baseline file in place on the proposal branch (from the
 * default branch's current text), push, PR create/update, reviewers, close superseded PRs with a
 * comment, auto-merge where allowed. Then the dashboard issue. A forge failure ends this step with
 * an External error that the caller records; nothing else depends on it.
 */
import { assess } from '../../core/assess/assess.js';
import type { HostAssessment } from '../../core/assess/assessment.js';
import type { AdvisoryIndex } from '../../core/advisory/advisory-index.js';
import type { HostInventory } from '../../core/inventory/host-inventory.js';
import type { PatchPolicy, PolicySet, Sourced } from '../../core/model/index.js';
import {
  type ChecksState,
  type DashboardInput,
  type HostKeyPin,
  complianceByRing,
  DASHBOARD_TITLE,
  type DashboardPullRequest,
  decideLifecycle,
  describeAutoMerge,
  DEFAULT_BRANCH_PREFIX,
  type ExistingPullRequest,
  isApprovableId,
  ownedPullRequests,
  parseReconsidered,
  type Proposal,
  type PullRequestObservation,
  renderDashboard,
  renderPullRequest,
  selectCandidates,
} from '../../core/proposals/index.js';
import { ExternalError, StalledError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Forge, PullRequest } from '../../ports/forge.js';
import { carryOut, prRef } from './carry-out.js';
import { type PinReport, proposePins } from './pins.js';
import { dashboardFacts } from './dashboard-facts.js';
import { proposalTimeline } from './timeline.js';
import type { ProposalWorkspace } from './workspace.js';

export interface ProposeInput {
  readonly policySet: PolicySet;
  /** Directory of the policy files inside the Git repository (PatchRepository `path`), '' for the root. */
  readonly repositoryPath: string;
  readonly inventory: readonly HostInventory[];
  readonly index: AdvisoryIndex;
  readonly now: Date;
  /** `plan`'s Markdown timeline of a proposal, when available. */
  readonly timeline?: (proposal: Proposal) => string | undefined;
  /** Host keys trusted on first use, to be proposed as pins in the Fleet. */
  readonly pins?: readonly HostKeyPin[];
  /** Dashboard sections only other steps know: approved advisories waiting for a window, halted rollouts. */
  readonly waiting?: DashboardInput['waiting'];
  readonly halted?: DashboardInput['halted'];
}

export interface ProposeDeps {
  /** Absent: nothing is read from or written to a forge (dry run without a forge). */
  readonly forge?: Forge;
  readonly workspace?: ProposalWorkspace;
  readonly logger: Logger;
  /** Compute and report everything, change nothing. */
  readonly dryRun: boolean;
  /** Text of a repository file on the default branch when there is no workspace (dry run from a directory). */
  readonly readLocal?: (path: string) => Promise<string>;
}

export interface ProposedFile {
  readonly path: string;
  readonly before: string;
  readonly after: string;
}

export interface ProposalReport {
  readonly policy: string;
  readonly key: string;
  readonly branch: string;
  readonly title: string;
  readonly body: string;
  readonly files: readonly ProposedFile[];
  readonly advisories: readonly string[];
  readonly hosts: readonly string[];
  readonly labels: readonly string[];
  /** What this run did (or would do, in a dry run). */
  readonly action: 'create' | 'update' | 'unchanged';
  readonly pullRequest?: { readonly id: string; readonly number?: number; readonly url?: string };
  readonly autoMerge?: string;
}

export interface ProposeReport {
  readonly proposals: readonly ProposalReport[];
  readonly closed: readonly { readonly policy: string; readonly key: string; readonly pullRequest: string; readonly reason: string }[];
  readonly declined: readonly {
    readonly policy: string;
    readonly key: string;
    readonly pullRequest: string;
    readonly reconsidered: boolean;
  }[];
  readonly merged: readonly string[];
  readonly pins: readonly PinReport[];
  readonly problems: readonly string[];
}

function joinPath(base: string, file: string): string {
  const trimmed = base.replace(/^\.\/?/, '').replace(/\/+$/, '');
  return trimmed === '' ? file : `${trimmed}/${file}`;
}

function toExisting(pr: PullRequest): ExistingPullRequest {
  return {
    ...prRef(pr),
    branch: pr.branch,
    state: pr.state,
    title: pr.title,
    body: pr.body,
    draft: pr.draft,
    headSha: pr.headSha,
    createdAt: pr.createdAt,
    labels: pr.labels,
  };
}

function baselineOf(policySet: PolicySet, policy: Sourced<PatchPolicy>) {
  const name = policy.resource.spec.baseline;
  const baseline = policySet.patchBaselines.find((candidate) => candidate.resource.metadata?.name === name);
  if (baseline === undefined)
    throw new StalledError(
      'propose-baseline-missing',
      `PatchPolicy ${policy.resource.metadata?.name}: PatchBaseline ${name} does not exist`,
      {
        context: { file: policy.source.file, line: policy.source.line },
      },
    );
  return baseline;
}

interface PolicyRun {
  readonly name: string;
  readonly policy: Sourced<PatchPolicy>;
  readonly hosts: readonly HostAssessment[];
}

/** Runs the propose step once over every PatchPolicy of the repository. */
export async function runPropose(input: ProposeInput, deps: ProposeDeps): Promise<ProposeReport> {
  const log = deps.logger.child({ component: 'propose' });
  const rings = input.policySet.rings.map((ring) => ({ name: ring.resource.metadata?.name ?? '', selector: ring.resource.spec.selector }));
  const report: {
    proposals: ProposalReport[];
    closed: ProposeReport['closed'][number][];
    declined: ProposeReport['declined'][number][];
    merged: string[];
    pins: PinReport[];
    problems: string[];
  } = { proposals: [], closed: [], declined: [], merged: [], pins: [], problems: [] };
  const forge = deps.forge;
  const write = !deps.dryRun;
  const base =
    deps.workspace !== undefined ? await deps.workspace.defaultBranch() : forge !== undefined ? await forge.getDefaultBranch() : 'main';
  const readBase = async (path: string): Promise<string> => {
    const text = deps.workspace !== undefined ? await deps.workspace.readFile(base, path) : await deps.readLocal?.(path);
    if (text === undefined) throw new StalledError('propose-file-missing', `${path} does not exist on ${base}`, { context: { path } });
    return text;
  };
  const dashboard = forge === undefined ? undefined : await forge.findIssue(DASHBOARD_TITLE);
  const reconsider = parseReconsidered(dashboard?.body ?? '');
  const open: DashboardPullRequest[] = [];
  const declinedRows: DashboardPullRequest[] = [];
  const runs: PolicyRun[] = [];
  let allHosts: readonly HostAssessment[] = [];
  for (const policy of input.policySet.patchPolicies) {
    const name = policy.resource.metadata?.name ?? '';
    const baseline = baselineOf(input.policySet, policy);
    const assessment = assess(input.inventory, input.index, baseline.resource.spec, { now: input.now });
    if (allHosts.length === 0) allHosts = assessment.hosts;
    runs.push({ name, policy, hosts: assessment.hosts });
  }
  const planned = proposalTimeline(input.policySet, input.inventory, input.index, input.now);
  for (const run of runs) {
    const { spec } = run.policy.resource;
    const prefix = spec.pullRequests?.branchPrefix ?? DEFAULT_BRANCH_PREFIX;
    const baseline = baselineOf(input.policySet, run.policy);
    const baselinePath = joinPath(input.repositoryPath, baseline.source.file);
    const candidates = selectCandidates({
      policy: { name: run.name, spec },
      baseline: baseline.resource.spec,
      hosts: run.hosts,
      advisory: (id) => input.index.advisory(id),
      schemeOf: (release) => input.index.release(release)?.scheme,
      rings,
      now: input.now,
    }).filter((candidate) => {
      if (isApprovableId(candidate.advisory)) return true;
      report.problems.push(`advisory id ${JSON.stringify(candidate.advisory)} cannot be written into a PatchBaseline; not proposed`);
      return false;
    });
    const pullRequests =
      forge === undefined ? [] : (await forge.listPullRequests({ branchPrefix: `${prefix}${run.name}/`, state: 'any' })).map(toExisting);
    const observations = new Map<string, PullRequestObservation>();
    if (forge !== undefined) {
      const required = forge.getRequiredStatusContexts === undefined ? [] : await forge.getRequiredStatusContexts(base);
      for (const pr of ownedPullRequests(run.name, prefix, pullRequests)) {
        if (pr.state !== 'open') continue;
        // Git's own answer when there is a clone (exact, no waiting on the forge's background check).
        const freshness =
          deps.workspace !== undefined ? await deps.workspace.freshness(pr.branch, base) : await forge.getBranchFreshness(pr.branch, base);
        const combined = await forge.getCombinedStatus(pr.headSha, required);
        observations.set(pr.id, { checks: combined.state as ChecksState, conflicted: freshness.conflicted === true });
      }
    }
    const plan = decideLifecycle({
      policy: { name: run.name, spec },
      candidates,
      pullRequests,
      reconsider,
      observations,
      render: (proposal) => {
        const timeline = input.timeline !== undefined ? input.timeline(proposal) : planned(proposal, spec.baseline);
        return renderPullRequest(proposal, {
          policy: { name: run.name, spec },
          baselinePath,
          ringOrder: rings.map((ring) => ring.name),
          ...(timeline === undefined ? {} : { timeline }),
        });
      },
      now: input.now,
    });
    const baseText = plan.proposals.length > 0 ? await readBase(baselinePath) : '';
    for (const action of plan.actions) {
      try {
        const done = await carryOut(action, {
          forge,
          workspace: deps.workspace,
          write,
          base,
          baselinePath,
          baseText,
          baselineName: spec.baseline,
          policy: run.name,
          log,
        });
        if (done.kind === 'proposal') {
          report.proposals.push(done.report);
          if (done.merged) report.merged.push(done.report.pullRequest?.id ?? done.report.branch);
          else if (done.report.pullRequest !== undefined)
            open.push({
              policy: run.name,
              key: done.report.key,
              ...done.report.pullRequest,
              branch: done.report.branch,
              title: done.report.title,
              note:
                forge?.mergePullRequest === undefined
                  ? 'a person merges (patchward does not merge on this forge)'
                  : describeAutoMerge(done.proposal, spec),
            });
        } else report.closed.push({ policy: run.name, key: done.key, pullRequest: done.id, reason: done.reason });
      } catch (error) {
        if (error instanceof ExternalError) throw error;
        const message = error instanceof Error ? error.message : String(error);
        log.warn({ err: error, policy: run.name, action: action.kind }, 'proposal action failed');
        report.problems.push(
          `${run.name}: ${action.kind} ${'proposal' in action ? action.proposal.key : action.pr.marker.key}: ${message}`,
        );
      }
    }
    for (const declined of plan.declined) {
      report.declined.push({
        policy: run.name,
        key: declined.pr.marker.key,
        pullRequest: declined.pr.id,
        reconsidered: declined.reconsidered,
      });
      if (!declined.reconsidered)
        declinedRows.push({
          policy: run.name,
          key: declined.pr.marker.key,
          ...prRef(declined.pr),
          branch: declined.pr.branch,
          title: declined.pr.title,
        });
    }
  }
  if (input.pins !== undefined && input.pins.length > 0)
    report.pins.push(
      ...(await proposePins(input.pins, {
        policySet: input.policySet,
        path: (file) => joinPath(input.repositoryPath, file),
        readBase,
        base,
        forge,
        workspace: deps.workspace,
        write,
        logger: log,
      })),
    );
  if (forge !== undefined && write) {
    const facts =
      input.waiting === undefined
        ? dashboardFacts(
            input.policySet,
            input.inventory,
            runs.flatMap((run) => run.hosts),
            input.now,
          )
        : {};
    const body = renderDashboard({
      compliance: complianceByRing(allHosts, rings),
      open,
      declined: declinedRows,
      ...facts,
      ...(input.waiting === undefined ? {} : { waiting: input.waiting }),
      ...(input.halted === undefined ? {} : { halted: input.halted }),
      problems: report.problems,
    });
    const outcome = await forge.ensureIssue({ title: DASHBOARD_TITLE, body, labels: [] });
    log.info({ outcome: outcome.outcome }, 'patch dashboard ensured');
  }
  return report;
}
