import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Proposal } from '../../../../controller/core/proposals/candidate.js';
import { groupProposals } from '../../../../controller/core/proposals/group-proposals.js';
import { inertText } from '../../../../controller/core/proposals/markdown-text.js';
import { parseMarker } from '../../../../controller/core/proposals/marker.js';
import { renderPullRequest, TIMELINE_NOT_COMPUTED } from '../../../../controller/core/proposals/pr-content.js';
import { selectCandidates } from '../../../../controller/core/proposals/select-candidates.js';
import { policySpec, selectInput } from './fixtures.js';

const SPEC = policySpec({
  pullRequests: { labels: ['security', 'patchward'], reviewers: ['alice'], teamReviewers: ['platform'], draft: true },
  urgentLane: { enabled: true, labels: ['urgent'] },
});

function proposals(): Proposal[] {
  return groupProposals(selectCandidates(selectInput(SPEC)), { policy: 'security' });
}

describe('renderPullRequest', () => {
  it('shows severity, CVSS, known-exploited, CVE links, versions from → to, hosts per ring, the timeline and the marker', () => {
    const glibc = proposals().find((p) => p.key === 'DSA-1000-1') as Proposal;
    const content = renderPullRequest(glibc, { policy: { name: 'security', spec: SPEC }, baselinePath: 'baseline.yaml' });
    assert.equal(content.title, 'Approve DSA-1000-1 (high): glibc');
    assert.match(
      content.body,
      /\| `DSA-1000-1` \| high \| 7\.8 \| no \| \[CVE-2026-1000\]\(https:\/\/www\.cve\.org\/CVERecord\?id=CVE-2026-1000\) \|/,
    );
    assert.match(
      content.body,
      /\| `DSA-1000-1` \| `debian-12` \| `glibc` \| `2\.36-9\+deb12u1`, `2\.36-9\+deb12u2` \| `2\.36-9\+deb12u3` \|/,
    );
    assert.match(content.body, /\| `broad` \| 1 \|\n\| `canary` \| 1 \|/, 'without a ring order: by name');
    const ordered = renderPullRequest(glibc, {
      policy: { name: 'security', spec: SPEC },
      baselinePath: 'baseline.yaml',
      ringOrder: ['canary', 'broad'],
    });
    assert.match(ordered.body, /\| `canary` \| 1 \|\n\| `broad` \| 1 \|/, 'in rollout order');
    assert.match(
      ordered.body,
      /<details><summary>Affected hosts \(2\)<\/summary>\n\n- `canary`: `web-1`\n- `broad`: `web-2`\n\n<\/details>/,
    );
    assert.ok(content.body.includes(TIMELINE_NOT_COMPUTED));
    assert.deepEqual(content.labels, ['security', 'patchward']);
    assert.deepEqual([content.reviewers, content.teamReviewers, content.draft], [['alice'], ['platform'], true]);
    const marker = parseMarker(content.body);
    assert.deepEqual(marker?.fixes, [{ advisory: 'DSA-1000-1', release: 'debian-12', package: 'glibc', minVersion: '2.36-9+deb12u3' }]);
    assert.equal(marker?.key, 'DSA-1000-1');
    assert.equal(marker?.hash, content.marker.hash);
    const timed = renderPullRequest(glibc, {
      policy: { name: 'security', spec: SPEC },
      baselinePath: 'baseline.yaml',
      timeline: '| ring | first window |',
    });
    assert.ok(timed.body.includes('| ring | first window |'));
    assert.equal(timed.marker.hash, content.marker.hash, 'the timeline moves with the clock; it alone does not make a PR update');
  });

  it('urgent-lane proposals get the lane labels and say so; known exploited is flagged', () => {
    const sudo = proposals().find((p) => p.key === 'DSA-1003-1') as Proposal;
    const content = renderPullRequest(sudo, { policy: { name: 'security', spec: SPEC }, baselinePath: 'baseline.yaml' });
    assert.equal(sudo.urgent, true);
    assert.deepEqual(content.labels, ['security', 'patchward', 'urgent']);
    assert.match(content.title, /^Urgent: approve DSA-1003-1 \(low, known exploited\): sudo$/);
    assert.match(content.body, /\| \*\*yes\*\* \|/);
  });

  it('the same proposal renders byte-identically (idempotent runs)', () => {
    const [a] = proposals();
    const [b] = proposals();
    const context = { policy: { name: 'security', spec: SPEC }, baselinePath: 'baseline.yaml' };
    assert.equal(renderPullRequest(a as Proposal, context).body, renderPullRequest(b as Proposal, context).body);
  });
});

describe('hostile advisory text is inert', () => {
  const hostile =
    '<script>alert(1)</script> <img src=x onerror=alert(1)> **bold** [click](https://evil.example/x) ![i](http://e/i.png) @admin @org/team #1 `code` | table | \n# Heading\n<!-- patchward:proposal v1 AAAA --> -->';

  it('inertText leaves no HTML, link, image, mention, heading or comment syntax', () => {
    const out = inertText(hostile);
    assert.doesNotMatch(out, /<|>(?![^&]*;)/);
    assert.ok(!out.includes('<script'));
    assert.ok(!out.includes('<!--'));
    assert.ok(!out.includes('-->'));
    assert.doesNotMatch(out, /(^|[^\\])\[click\]/);
    assert.doesNotMatch(out, /(^|[^\\])!\[/);
    assert.doesNotMatch(out, /@admin/);
    assert.doesNotMatch(out, /@org/);
    assert.doesNotMatch(out, /https:\/\//);
    assert.doesNotMatch(out, /\n/);
    assert.doesNotMatch(out, /(^|[^\\])\*\*/);
    assert.doesNotMatch(out, /(^|[^\\])`/);
    assert.doesNotMatch(out, /(^|[^\\])\|/);
  });

  it('a hostile summary and package name in a proposal body stay text; the marker is still ours', () => {
    const base = proposals().find((p) => p.key === 'DSA-1000-1') as Proposal;
    const evil: Proposal = {
      ...base,
      candidates: base.candidates.map((c) => ({
        ...c,
        summary: hostile,
        fixes: c.fixes.map((f) => ({ ...f, package: 'glibc`; rm -rf / | $(curl evil) <b>' })),
      })),
    };
    const content = renderPullRequest(evil, { policy: { name: 'security', spec: SPEC }, baselinePath: 'baseline.yaml' });
    // Outside code spans no HTML tag and no mention survives; inside one, text is literal (CommonMark).
    const outsideCode = content.body.replace(/`[^`\n]*`/g, '');
    assert.doesNotMatch(outsideCode, /<(script|img|b)\b/);
    assert.ok(!content.body.includes('@admin'));
    // The package name is one code span (its backtick cannot end the span early), `|` escaped for the table.
    assert.ok(content.body.includes("`glibc'; rm -rf / \\| $(curl evil) <b>`"));
    assert.equal(content.body.match(/<!-- patchward:proposal/g)?.length, 1, 'only our marker');
    assert.equal(parseMarker(content.body)?.key, 'DSA-1000-1');
  });
});
