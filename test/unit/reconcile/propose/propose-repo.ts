/**
 * A policy repository pushed to a local bare Git repository, for the propose step against the
 * GitHub and GitLab fixture servers: Git goes to the bare repository (the registry's `cloneUrl`),
 * the forge API to 127.0.0.1. Nothing reaches the internet.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { AdvisoryIndex } from '../../../../controller/core/advisory/advisory-index.js';
import { connectForge, type ForgeSettings } from '../../../../controller/edges/forge/registry.js';
import { loadPolicyRepository } from '../../../../controller/edges/policy-repo/load.js';
import { type ProposeReport, runPropose } from '../../../../controller/reconcile/propose/propose.js';
import { advisoryDir, advisoryIndex, inventory, writePolicyRepo } from '../../../helpers/proposal-repo.js';

export const ENV = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: tmpdir(), GIT_CONFIG_NOSYSTEM: '1' };
export const BRANCH = 'patchward/security/PWSA-2026-0001';
export const NOW = new Date('2026-11-30T12:00:00Z');

/** Draft proposals, labels, one reviewer and one team; no auto-merge (a second run must not write). */
export function policyYaml(reviewers: { user: string; team: string }): string {
  return `apiVersion: patchward.io/v1alpha1
kind: PatchPolicy
metadata:
  name: security
spec:
  selector: {}
  baseline: production
  minSeverity: critical
  pullRequests:
    labels: [security, patchward]
    reviewers: [${reviewers.user}]
    teamReviewers: [${reviewers.team}]
    draft: true
`;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=A Person', '-c', 'user.email=person@example.invalid', ...args], {
    cwd,
    env: ENV,
    encoding: 'utf8',
  }).trim();
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
  const remote = join(root, 'remote.git');
  const person = join(root, 'person');
  git(root, 'init', '-q', '--bare', '-b', 'main', remote);
  git(root, 'clone', '-q', remote, person);
  writePolicyRepo(person, { reviewer: reviewers.user, team: reviewers.team });
  writeFileSync(join(person, 'policy.yaml'), policyYaml(reviewers));
  git(person, 'add', '.');
  git(person, 'commit', '-qm', 'policy repository');
  git(person, 'push', '-q', 'origin', 'HEAD:main');
  const index: AdvisoryIndex = await advisoryIndex(advisoryDir(join(root, 'adv')));
  let runs = 0;
  return {
    root,
    remote,
    head: (ref) => git(remote, 'rev-parse', ref),
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
