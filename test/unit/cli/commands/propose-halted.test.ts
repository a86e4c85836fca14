/**
 * The patch dashboard's "Halted rollouts" section from the state directory (`propose --state DIR`,
 * opened read-only as `patchward plan --state` does): rollout progress documents written through
 * the real local StateStore, the dashboard read back from the dashboard branch of a local bare
 * repository (`--forge git`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { emptyRolloutProgress, type RolloutProgress, rolloutProgressDocument } from '../../../../controller/core/plan/index.js';
import { DASHBOARD_TITLE } from '../../../../controller/core/proposals/index.js';
import { issueFileName } from '../../../../controller/edges/forge/git/git-records.js';
import { openLocalStateStore } from '../../../../controller/edges/state/local/local-state-store.js';
import { runCliCaptured } from '../../../helpers/run-cli.js';
import { advisoryDir, createPolicyRemote, gitAsPerson, gitEnv, inventory } from '../../../helpers/proposal-repo.js';

const work = mkdtempSync(join(tmpdir(), 'pw-propose-halted-'));
after(() => rmSync(work, { recursive: true, force: true }));
const ENV = gitEnv(work);

const git = (cwd: string, ...args: string[]) => gitAsPerson(cwd, ENV, ...args);

describe('patchward propose --state: halted rollouts on the dashboard', () => {
  it('lists the halted and paused rollouts of the state directory with why; without --state it says so', async () => {
    const { remote, person } = createPolicyRemote(work, ENV, { reviewer: 'alice', team: 'platform' });
    const inventoryFile = join(work, 'inventory.json');
    writeFileSync(
      inventoryFile,
      JSON.stringify({ apiVersion: 'patchward.io/v1alpha1', kind: 'HostInventoryList', items: inventory(['web-1', 'web-2']) }),
    );
    const advisories = advisoryDir(join(work, 'advisories'));

    const state = join(work, 'state');
    const store = await openLocalStateStore({ directory: state, now: new Date('2026-12-01T00:00:00Z') });
    const type = rolloutProgressDocument();
    const documents: RolloutProgress[] = [
      {
        ...emptyRolloutProgress('production@1111111'),
        halted: {
          at: '2026-12-01T02:10:00Z',
          reason: 'failure budget of ring canary exceeded',
          ring: 'canary',
          host: 'web-1',
          by: 'patchward',
        },
      },
      { ...emptyRolloutProgress('production@2222222'), paused: { at: '2026-12-01T03:00:00Z', reason: 'change freeze', by: 'alice' } },
      emptyRolloutProgress('production@3333333'),
    ];
    for (const document of documents) {
      const written = await store.put(type, document.rolloutId, document);
      assert.ok(written.ok);
    }
    await store.close();

    const dashboard = () => git(remote, 'show', `patchward/_dashboard:${issueFileName(DASHBOARD_TITLE)}`);
    const section = (text: string) => {
      const from = text.indexOf('## Halted rollouts');
      const to = text.indexOf('\n## ', from + 3);
      return text.slice(from, to === -1 ? text.length : to);
    };
    const propose = (extra: string[]) =>
      runCliCaptured(
        [
          'propose',
          '-f',
          person,
          '--inventory',
          inventoryFile,
          '--advisories',
          advisories,
          '--forge',
          'git',
          '--repository',
          remote,
          '--now',
          '2026-12-02T12:00:00Z',
          ...extra,
        ],
        { env: { ...ENV, XDG_STATE_HOME: join(work, 'xdg-empty') } },
      );

    const without = await propose([]);
    assert.equal(without.code, 0, without.stderr);
    assert.match(section(dashboard()), /_Not computed in this run \(no rollout state available\)\._/);

    const withState = await propose(['--state', state]);
    assert.equal(withState.code, 0, withState.stderr);
    const halted = section(dashboard()).replace(/\\/g, ''); // inertText escapes Markdown punctuation
    assert.match(
      halted,
      /- `production@1111111` \(ring `canary`\): halted by patchward at 2026-12-01T02:10:00Z on host web-1: failure budget of ring canary exceeded/,
    );
    assert.match(halted, /- `production@2222222`: paused by alice at 2026-12-01T03:00:00Z: change freeze/);
    assert.doesNotMatch(halted, /3333333/, 'a running rollout is not listed');
  });
});
