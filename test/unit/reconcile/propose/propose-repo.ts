/**
 * A policy repository pushed to a local bare Git repository, for the propose step against the
 * GitHub and GitLab fixture servers: Git goes to the bare repository (the registry's `cloneUrl`),
 * the forge API to 127.0.0.1. Nothing reaches the internet.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { AdvisoryIndex } from '../../../../controller/core/advisory/advisory-index.js';
import { connectForge, type ForgeSettings } from '../../../../controller/edges/forge/registry.js';
import { loadPolicyRepository } from '../../../../controller/edges/policy-repo/load.js';
import { type ProposeReport, runPropose } from '../../../../controller/reconcile/propose/propose.js';
import { advisoryDir, advisoryIndex, createPolicyRemote, gitAsPerson, gitEnv, inventory } from '../../../helpers/proposal-repo.js';

export const ENV = gitEnv(tmpdir());
export const BRANCH = 'patchward/security/PWSA-2026-0001';
export const NOW = new Date('2026-11-30T12:00:00Z');

/** `METHOD path` of every request that writes (a second, idempotent run must make none). */
export function writeCalls(requests: readonly { readonly method: string; readonly path: string }[]): string[] {
  return requests.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method)).map((r) => `${r.method} ${r.path}`);
}

export interface ProposeRepo {
  readonly root: string;
  readonly remote: string;
  /** `git rev-parse` in the bare repository. */
  head(ref: string): string;
  /** One propose run through `connectForge` (the path `patchward propose` takes). */
  run(settings: Pick<ForgeSettings, 'kind' | 'repository' | 'apiUrl' | 'token'>): Promise<ProposeReport>;
}

export async function createProposeRepo(reviewers: { user: string; team: string }): Promise<ProposeRepo> {
  const root = mkdtempSync(join(tmpdir(), 'pw-api-propose-'));
  // Draft proposals, labels, one reviewer and one team; no urgent lane, so no auto-merge (a second run must not write).
  const { remote, person } = createPolicyRemote(root, ENV, {
    reviewer: reviewers.user,
    team: reviewers.team,
    draft: true,
    urgentLane: false,
  });
  const index: AdvisoryIndex = await advisoryIndex(advisoryDir(join(root, 'adv')));
  let runs = 0;
  return {
    root,
    remote,
    head: (ref) => gitAsPerson(remote, ENV, 'rev-parse', ref),
    async run(settings) {
      const loaded = await loadPolicyRepository(person);
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
      const logger = pino({ level: 'silent' });
      const connection = await connectForge({
        ...settings,
        cloneUrl: remote,
        workDir: join(root, `ws-${runs++}`),
        logger,
        env: ENV,
      });
      return runPropose(
        { policySet: loaded.value, repositoryPath: '', inventory: inventory(['web-1', 'web-2']), index, now: NOW },
        { forge: connection.forge, workspace: connection.workspace, logger, dryRun: false },
      );
    },
  };
}
