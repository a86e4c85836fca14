import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideAutoMerge, type ChecksState } from '../../../../controller/core/proposals/auto-merge.js';
import type { Candidate, Proposal } from '../../../../controller/core/proposals/candidate.js';
import { complianceByRing, parseReconsidered, renderDashboard } from '../../../../controller/core/proposals/dashboard.js';
import { decideLifecycle, type ExistingPullRequest, type LifecycleInput } from '../../../../controller/core/proposals/lifecycle.js';
import { markClosedByPatchward, parseMarker, renderMarker } from '../../../../controller/core/proposals/marker.js';
import { renderPullRequest } from '../../../../controller/core/proposals/pr-content.js';
import { selectCandidates } from '../../../../controller/core/proposals/select-candidates.js';
import { assess } from '../../../../controller/core/assess/assess.js';
import type { PatchPolicySpec } from '../../../../controller/core/model/index.js';
import { HOSTS, NOW, RINGS, indexOf, policySpec, selectInput } from './fixtures.js';

const SPEC = policySpec({ minSeverity: 'high', knownExploited: 'by-severity' }); // DSA-1000-1 (high) and ALSA-2026:1004 (critical)

function input(overrides: Partial<LifecycleInput> = {}, spec = SPEC): LifecycleInput {
  return {
    policy: { name: 'security', spec },
    candidates: selectCandidates(selectInput(spec)),
    pullRequests: [],
    reconsider: new Set(),
    observations: new Map(),
    render: (proposal) => renderPullRequest(proposal, { policy: { name: 'security', spec }, baselinePath: 'baseline.yaml' }),
    now: NOW,
    ...overrides,
  };
}

/** The PRs a forge would hold after the driver carried out `create` actions. */
function asOpened(plan: ReturnType<typeof decideLifecycle>, first = 1): ExistingPullRequest[] {
  return plan.actions.flatMap((action, i) =>
    action.kind === 'create'
      ? [
          {
            id: String(first + i),
            number: first + i,
            branch: action.proposal.branch,
            state: 'open' as const,
            title: action.content.title,
            body: action.content.body,
            draft: false,
            headSha: `sha${i}`,
            createdAt: '2026-12-01T00:00:00Z',
          },
        ]
      : [],
  );
}

describe('decideLifecycle', () => {
  it('creates one PR per key, then changes nothing on the next run', () => {
    const first = decideLifecycle(input());
    assert.deepEqual(
      first.actions.map((a) => [a.kind, a.kind === 'close' ? a.pr.branch : a.proposal.branch]),
      [
        ['create', 'patchward/security/ALSA-2026-1004'],
        ['create', 'patchward/security/DSA-1000-1'],
      ],
    );
    const second = decideLifecycle(input({ pullRequests: asOpened(first) }));
    assert.deepEqual(
      second.actions.map((a) => a.kind),
      ['unchanged', 'unchanged'],
    );
  });

  it('a policy that changes its labels updates the open PRs (labels are part of the hash)', () => {
    const prs = asOpened(decideLifecycle(input()));
    const relabelled = { ...SPEC, pullRequests: { labels: ['security'] } };
    const plan = decideLifecycle(input({ pullRequests: prs }, relabelled));
    assert.deepEqual(
      plan.actions.map((a) => a.kind),
      ['update', 'update'],
    );
  });

  it('a policy that changes its reviewers updates the open PRs and asks for the reviewers again; then nothing', () => {
    const reviewed = { ...SPEC, pullRequests: { ...SPEC.pullRequests, reviewers: ['alice'], teamReviewers: ['platform'] } };
    const prs = asOpened(decideLifecycle(input({}, reviewed)));
    const same = decideLifecycle(input({ pullRequests: prs }, reviewed));
    assert.deepEqual(
      same.actions.map((a) => a.kind),
      ['unchanged', 'unchanged'],
    );
    const more = { ...reviewed, pullRequests: { ...reviewed.pullRequests, reviewers: ['alice', 'bob'] } };
    const plan = decideLifecycle(input({ pullRequests: prs }, more));
    assert.deepEqual(
      plan.actions.map((a) => [a.kind, a.kind === 'update' && a.reviewersChanged]),
      [
        ['update', true],
        ['update', true],
      ],
    );
    const update = plan.actions[0];
    assert.ok(update?.kind === 'update');
    assert.deepEqual(update.content.marker.reviewers, ['alice', 'bob', 'team:platform']);
    // A marker written before reviewers were recorded: requested once more, then recorded.
    const old = prs.map((pr) => ({ ...pr, body: pr.body.replace(/<!-- patchward:proposal v1 \S+ -->/, (m) => withoutReviewers(m)) }));
    assert.deepEqual(
      decideLifecycle(input({ pullRequests: old }, reviewed)).actions.map((a) => a.kind === 'update' && a.reviewersChanged),
      [true, true],
    );
    assert.deepEqual(
      decideLifecycle(input({ pullRequests: prs }, SPEC)).actions.map((a) => a.kind === 'update' && a.reviewersChanged),
      [true, true],
      'reviewers removed from the policy also count as a change (recorded in the marker; nobody is un-requested)',
    );
  });

  it('more affected hosts update the PR in place (same PR, no new one)', () => {
    const prs = asOpened(decideLifecycle(input()));
    const more = [...HOSTS, { ...(HOSTS[1] as (typeof HOSTS)[number]), host: 'web-3' }];
    const candidates = selectCandidates(selectInput(SPEC, { approvals: [] }, more));
    const plan = decideLifecycle(input({ pullRequests: prs, candidates }));
    const glibc = plan.actions.find((a) => a.kind !== 'close' && a.proposal.key === 'DSA-1000-1');
    assert.equal(glibc?.kind, 'update');
    assert.equal(glibc?.kind === 'update' ? glibc.pr.id : '', prs.find((pr) => pr.branch.endsWith('DSA-1000-1'))?.id);
    assert.equal(plan.actions.find((a) => a.kind !== 'close' && a.proposal.key === 'ALSA-2026:1004')?.kind, 'unchanged');
  });

  it('a PR closed without merge declines exactly its versions; a newer fixed version is proposed again', () => {
    const prs = asOpened(decideLifecycle(input())).map((pr) =>
      pr.branch.endsWith('DSA-1000-1') ? { ...pr, state: 'closed' as const } : pr,
    );
    const plan = decideLifecycle(input({ pullRequests: prs }));
    assert.deepEqual(
      plan.actions.map((a) => (a.kind === 'close' ? 'close' : `${a.kind}:${a.proposal.key}`)),
      ['unchanged:ALSA-2026:1004'],
    );
    assert.deepEqual(
      plan.declined.map((d) => d.pr.marker.key),
      ['DSA-1000-1'],
    );
    // The advisory gains a newer fix: a new proposal (a new PR on the same branch).
    const newer = selectCandidates(selectInput(SPEC)).map(
      (c): Candidate => (c.advisory === 'DSA-1000-1' ? { ...c, fixes: c.fixes.map((f) => ({ ...f, minVersion: '2.36-9+deb12u4' })) } : c),
    );
    const again = decideLifecycle(input({ pullRequests: prs, candidates: newer }));
    assert.deepEqual(
      again.actions.map((a) => (a.kind === 'close' ? 'close' : `${a.kind}:${a.proposal.key}`)),
      ['unchanged:ALSA-2026:1004', 'create:DSA-1000-1'],
    );
  });

  it('a ticked dashboard box reconsiders the declined PR: it is proposed again', () => {
    const prs = asOpened(decideLifecycle(input())).map((pr) =>
      pr.branch.endsWith('DSA-1000-1') ? { ...pr, state: 'closed' as const } : pr,
    );
    const declinedId = prs.find((pr) => pr.state === 'closed')?.id as string;
    const plan = decideLifecycle(input({ pullRequests: prs, reconsider: new Set([declinedId]) }));
    assert.ok(plan.actions.some((a) => a.kind === 'create' && a.proposal.key === 'DSA-1000-1'));
    assert.equal(plan.declined[0]?.reconsidered, true);
    // Once the new PR exists (later), the old decline no longer applies, box or not.
    const reopened = [
      ...prs,
      {
        ...(prs.find((pr) => pr.id === declinedId) as ExistingPullRequest),
        id: '9',
        number: 9,
        state: 'open' as const,
        createdAt: '2026-12-02T00:00:00Z',
      },
    ];
    const later = decideLifecycle(input({ pullRequests: reopened }));
    assert.deepEqual(later.declined, []);
    assert.equal(later.actions.find((a) => a.kind !== 'close' && a.proposal.key === 'DSA-1000-1')?.kind, 'unchanged');
  });

  it('a grouping change supersedes the old PRs: closed with a comment naming the successor', () => {
    const prs = asOpened(decideLifecycle(input()));
    const weekly = { ...SPEC, grouping: { by: 'weekly' as const } };
    const plan = decideLifecycle(input({ pullRequests: prs, candidates: selectCandidates(selectInput(weekly)) }, weekly));
    const closes = plan.actions.filter((a) => a.kind === 'close');
    assert.equal(closes.length, 2);
    for (const close of closes) {
      assert.equal(close.kind === 'close' && close.reason, 'superseded');
      assert.match(close.kind === 'close' ? close.comment : '', /superseded by the proposal on branch `patchward\/security\/2026-W4[79]`/);
    }
  });

  it('PRs patchward closed itself (superseded) are not declines: the new grouping keeps every fix', () => {
    const prs = asOpened(decideLifecycle(input()));
    const weekly = { ...SPEC, grouping: { by: 'weekly' as const } };
    const weeklyCandidates = selectCandidates(selectInput(weekly));
    const plan = decideLifecycle(input({ pullRequests: prs, candidates: weeklyCandidates }, weekly));
    const closedByUs = prs.map((pr) => {
      const close = plan.actions.find((a) => a.kind === 'close' && a.pr.id === pr.id);
      return close?.kind === 'close' ? { ...pr, state: 'closed' as const, body: markClosedByPatchward(pr.body, close.reason) } : pr;
    });
    const next = decideLifecycle(input({ pullRequests: closedByUs, candidates: weeklyCandidates }, weekly));
    assert.deepEqual(next.declined, []);
    assert.deepEqual(next.proposals.flatMap((p) => p.candidates.map((c) => c.advisory)).sort(), ['ALSA-2026:1004', 'DSA-1000-1']);
    // The same PRs closed by a person are declines.
    const closedByPerson = prs.map((pr) => ({ ...pr, state: 'closed' as const }));
    assert.equal(decideLifecycle(input({ pullRequests: closedByPerson, candidates: weeklyCandidates }, weekly)).declined.length, 2);
  });

  it('a conflicting branch is recreated on the current base even when nothing else changed', () => {
    const prs = asOpened(decideLifecycle(input()));
    const plan = decideLifecycle(
      input({ pullRequests: prs, observations: new Map([[prs[0]?.id as string, { checks: 'none', conflicted: true }]]) }),
    );
    const action = plan.actions.find((a) => 'pr' in a && a.pr.id === prs[0]?.id);
    assert.equal(action?.kind, 'update');
    assert.equal(action?.kind === 'update' && action.rebase, true);
  });

  it('PRs without our marker, or of another policy, are not ours', () => {
    const foreign: ExistingPullRequest = {
      id: '77',
      branch: 'patchward/security/DSA-1000-1',
      state: 'open',
      title: 'by hand',
      body: 'no marker',
      draft: false,
      headSha: 'x',
      createdAt: '2026-12-01T00:00:00Z',
    };
    const plan = decideLifecycle(input({ pullRequests: [foreign] }));
    assert.deepEqual(
      plan.actions.map((a) => a.kind),
      ['create', 'create'],
    );
  });
});

describe('decideAutoMerge', () => {
  const proposal = (urgent: boolean, severity: Candidate['effectiveSeverity'], knownExploited = false): Proposal => {
    const [base] = decideLifecycle(input()).proposals.filter((p) => p.key === 'DSA-1000-1');
    const b = base as Proposal;
    return { ...b, urgent, candidates: b.candidates.map((c) => ({ ...c, effectiveSeverity: severity, knownExploited })) };
  };
  const rules = { enabled: true, rules: [{ severities: ['medium', 'high'], knownExploited: false, after: '24h' }] } as NonNullable<
    PatchPolicySpec['autoMerge']
  >;
  const base = {
    createdAt: new Date('2026-12-01T00:00:00Z'),
    draft: false,
    checks: 'success' as ChecksState,
    conflicted: false,
    now: new Date('2026-12-02T00:00:01Z'),
  };

  const table: {
    name: string;
    urgent: boolean;
    severity?: Candidate['effectiveSeverity'];
    ke?: boolean;
    spec: Parameters<typeof policySpec>[0];
    over?: Partial<typeof base>;
    merge: boolean;
  }[] = [
    { name: 'rule matches, delay passed, checks green', urgent: false, spec: { autoMerge: rules }, merge: true },
    { name: 'auto-merge disabled', urgent: false, spec: { autoMerge: { ...rules, enabled: false } }, merge: false },
    {
      name: 'before the after delay',
      urgent: false,
      spec: { autoMerge: rules },
      over: { now: new Date('2026-12-01T23:59:59Z') },
      merge: false,
    },
    { name: 'checks pending', urgent: false, spec: { autoMerge: rules }, over: { checks: 'pending' }, merge: false },
    { name: 'checks failed', urgent: false, spec: { autoMerge: rules }, over: { checks: 'failure' }, merge: false },
    {
      name: 'requireChecks false ignores pending checks',
      urgent: false,
      spec: { autoMerge: { enabled: true, rules: [{ severities: ['high'], requireChecks: false }] } },
      over: { checks: 'pending' },
      merge: true,
    },
    { name: 'critical is outside the rule', urgent: false, severity: 'critical', spec: { autoMerge: rules }, merge: false },
    { name: 'unrated never matches a rule', urgent: false, severity: undefined, spec: { autoMerge: rules }, merge: false },
    { name: 'known exploited is outside the rule', urgent: false, ke: true, spec: { autoMerge: rules }, merge: false },
    { name: 'draft', urgent: false, spec: { autoMerge: rules }, over: { draft: true }, merge: false },
    { name: 'conflicted', urgent: false, spec: { autoMerge: rules }, over: { conflicted: true }, merge: false },
    {
      name: 'urgent: lane autoMerge off wins over a matching rule',
      urgent: true,
      spec: { autoMerge: rules, urgentLane: { enabled: true, autoMerge: false } },
      merge: false,
    },
    {
      name: 'urgent: lane autoMerge on merges at once when checks are green',
      urgent: true,
      severity: 'critical',
      spec: { urgentLane: { enabled: true, autoMerge: true } },
      over: { now: new Date('2026-12-01T00:00:01Z') },
      merge: true,
    },
    {
      name: 'urgent: lane autoMerge on still waits for checks',
      urgent: true,
      spec: { urgentLane: { enabled: true, autoMerge: true } },
      over: { checks: 'pending' },
      merge: false,
    },
  ];
  for (const row of table)
    it(row.name, () => {
      const decision = decideAutoMerge({
        proposal: proposal(row.urgent, 'severity' in row ? row.severity : 'high', row.ke ?? false),
        spec: policySpec(row.spec),
        ...base,
        ...row.over,
      });
      assert.equal(decision.merge, row.merge, decision.reason);
    });

  it('says until when it waits', () => {
    const decision = decideAutoMerge({
      proposal: proposal(false, 'high'),
      spec: policySpec({ autoMerge: rules }),
      ...base,
      now: new Date('2026-12-01T12:00:00Z'),
    });
    assert.equal(decision.merge === false && decision.notBefore?.toISOString(), '2026-12-02T00:00:00.000Z');
  });
});

describe('dashboard', () => {
  const declined = {
    policy: 'security',
    key: 'DSA-1000-1',
    id: '12',
    number: 12,
    url: 'http://forge/o/r/pulls/12',
    branch: 'patchward/security/DSA-1000-1',
    title: 'Approve DSA-1000-1 <b>',
  };

  it('renders compliance by ring, open and declined proposals with boxes; ticking one is read back', () => {
    const assessment = assess(HOSTS, indexOf(), { approvals: [] }, { now: NOW });
    const body = renderDashboard({
      compliance: complianceByRing(assessment.hosts, RINGS),
      open: [
        { ...declined, id: '13', number: 13, url: 'http://forge/o/r/pulls/13', key: 'ALSA-2026:1004', note: 'auto-merge waits for checks' },
      ],
      declined: [declined, { ...declined, id: 'patchward/security/x y', number: undefined, url: undefined }],
    });
    assert.match(body, /\| `canary` \| 1 \| 0 \| 0 \| 0 \| 1 \| 0 \|/);
    assert.match(body, /\| `broad` \| 2 \| 0 \| 0 \| 0 \| 2 \| 0 \|/);
    assert.match(body, /- \[#13\]\(http:\/\/forge\/o\/r\/pulls\/13\) Approve DSA\\-1000\\-1 &lt;b&gt;/);
    assert.match(body, /- \[ \] <!-- patchward:reconsider 12 --> Reconsider \[#12\]/);
    assert.deepEqual([...parseReconsidered(body)], []);
    const ticked = body.replace('- [ ] <!-- patchward:reconsider 12 -->', '- [x] <!-- patchward:reconsider 12 -->');
    assert.deepEqual([...parseReconsidered(ticked)], ['12']);
    const both = ticked.replace(
      '- [ ] <!-- patchward:reconsider patchward%2Fsecurity%2Fx%20y -->',
      '- [X] <!-- patchward:reconsider patchward%2Fsecurity%2Fx%20y -->',
    );
    assert.deepEqual([...parseReconsidered(both)].sort(), ['12', 'patchward/security/x y']);
    assert.match(body, /Not computed in this run \(no rollout plan available\)/);
  });

  it('a box ticked in someone else’s text (not at a line start, or unknown tag) is not read', () => {
    assert.deepEqual([...parseReconsidered('see - [x] <!-- patchward:reconsider 12 -->\n- [x] <!-- other 13 -->')], []);
  });
});

function withoutReviewers(markerText: string): string {
  const marker = parseMarker(markerText);
  assert.ok(marker !== undefined);
  const { reviewers: _dropped, ...rest } = marker;
  return renderMarker(rest);
}
