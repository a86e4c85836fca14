import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  markdownText,
  planRollout,
  renderPlanMarkdown,
  renderPlanTable,
  type RolloutPlan,
} from '../../../../controller/core/plan/index.js';
import {
  baseline,
  approval,
  dailyWindow,
  debianInventory,
  GLIBC_MIN,
  glibcOffers,
  host,
  input,
  oldGlibc,
  oldGlibcFleet,
  ring,
  simplePolicy,
  unreachable,
} from './plan-fixtures.js';

const NOW = new Date('2027-01-04T12:00:00Z');
const HOSTILE =
  'x\u001b[2J\u001b]0;pwned\u0007 | <script>alert(1)</script> @admin [click](http://evil.example) ![i](https://e/x.png) #123 www.evil.example `rm` *b* _i_ ~~s~~';

function hostilePlan(): RolloutPlan {
  const fleet = [host('c1', 'canary'), host('c2', 'canary'), host('b1', 'broad'), host('b2', 'broad')];
  const policyValue = simplePolicy(
    [ring('canary', 0, { windows: ['nights'], soakTime: '1d' }), ring('broad', 10, { windows: ['nights'] })],
    fleet,
    {
      windows: [dailyWindow('nights', 2, 2, '30m')],
      baselines: [
        baseline(
          'production',
          [approval('DSA-5514-1', 'debian-12', { glibc: GLIBC_MIN })],
          [{ package: 'libc6', reason: HOSTILE, hosts: { matchLabels: { ring: 'broad' } } }],
        ),
      ],
    },
  );
  const inventory = [
    ...oldGlibcFleet([fleet[0] as never]),
    { ...unreachable('c2'), reason: HOSTILE },
    debianInventory('b1', oldGlibc(), glibcOffers()),
    debianInventory('b2', [], []),
  ];
  return planRollout(input(policyValue, inventory, { cordons: [{ host: 'b2', at: '2027-01-03T00:00:00Z', reason: HOSTILE }] }), NOW);
}

describe('renderPlanMarkdown', () => {
  it('shows per ring the hosts, versions from -> to and the first window, then the left-out hosts', () => {
    const markdown = renderPlanMarkdown(hostilePlan());
    assert.match(markdown, /^### Rollout plan\n/);
    assert.match(markdown, /\| canary \| 2 \| 1 \| 1d \| nights: Tue 2027-01-05 02:00–04:00 UTC, new hosts until 03:30 \| ready \|/);
    assert.match(markdown, /\| broad \| 0 \| 1 \| 0s \| nothing to do \| idle \|/);
    assert.match(
      markdown,
      /\| c1 \| debian-12 \| libc-bin:amd64 2\.36-9\+deb12u1 → 2\.36-9\+deb12u3<br>libc6:amd64 2\.36-9\+deb12u1 → 2\.36-9\+deb12u3 \| pending; not before 2027-01-05 02:00 UTC \|/,
    );
    assert.match(markdown, /<details><summary>Hosts left out \(2\)<\/summary>/);
    assert.match(markdown, /\| b1 \| broad \| held \|/);
    assert.match(markdown, /\| b2 \| broad \| cordoned \|/);
  });

  it('is inert whatever the hosts and people wrote: no HTML, mention, link, image, reference or control character', () => {
    const markdown = renderPlanMarkdown(hostilePlan());
    for (const forbidden of ['<script', '@admin', '](', 'http://', 'https://', '#123', 'www.evil', '`rm`', '\u001b', '\u0007', '~~s~~']) {
      assert.ok(!markdown.includes(forbidden), `found ${JSON.stringify(forbidden)}`);
    }
    // Table rows keep their column count: a | in the text does not add a cell.
    for (const line of markdown.split('\n').filter((text) => text.startsWith('| b1 ') || text.startsWith('| c2 '))) {
      assert.equal(line.split(' | ').length, 4, line);
    }
  });

  it('markdownText keeps ordinary text readable', () => {
    assert.equal(markdownText('libc6:amd64 1:2.36-9+deb12u3 (ring canary)'), 'libc6:amd64 1:2.36-9+deb12u3 (ring canary)');
    assert.equal(markdownText('a|b <c> @d'), 'a&#124;b &lt;c&gt; &#64;d');
  });

  it('a halt is shown first', () => {
    const fleet = [host('c1', 'canary')];
    const plan = planRollout(
      input(simplePolicy([ring('canary', 0)], fleet), oldGlibcFleet(fleet), {
        progress: {
          formatVersion: 1,
          rolloutId: 'p@1',
          hosts: { c1: { outcome: 'failed', attempts: 1, reason: 'health check http failed' } },
          rings: {},
        },
      }),
      NOW,
    );
    assert.match(renderPlanMarkdown(plan), /\*\*Halt:\*\* ring canary: 1 failed host\(s\) exceed the failure budget of 0/);
  });
});

describe('renderPlanTable', () => {
  it('lists rings, hosts with versions, and left-out hosts; no control character reaches the terminal', () => {
    const table = renderPlanTable(hostilePlan());
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f]/.test(table), 'control character in the table');
    assert.match(table, /^Rollout at 2027-01-04 12:00 UTC: waiting/);
    assert.match(table, /Ring canary \(order 0\): ready/);
    assert.match(table, /c1 +pending +debian-12 +libc-bin:amd64 2\.36-9\+deb12u1 → 2\.36-9\+deb12u3/);
    assert.match(table, /c2 +blocked +\? +\(versions unknown until the host answers\) +unreachable: x\?\[2J\?\]0;pwned\?/);
    assert.match(table, /Left out \(2\):/);
  });
});
