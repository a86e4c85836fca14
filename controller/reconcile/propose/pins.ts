/**
 * Pin PRs for host keys trusted on first use: one per host, on `<prefix>_pins/<host>`, editing the
 * host's Fleet file in place. A closed PR with the same key in its marker is a decline: not proposed
 * again; a merged one is done (the key is in the Fleet then, and nothing is left to edit).
 */
import type { PolicySet } from '../../core/model/index.js';
import { type HostKeyPin, parsePinMarker, pinBranch, pinHostKey, renderPinPullRequest } from '../../core/proposals/index.js';
import type { Logger } from '../../log.js';
import type { Forge } from '../../ports/forge.js';
import type { ProposedFile } from './propose.js';
import type { ProposalWorkspace } from './workspace.js';

export interface PinReport {
  readonly host: string;
  readonly branch: string;
  readonly title: string;
  readonly body: string;
  readonly files: readonly ProposedFile[];
  readonly action: 'create' | 'update' | 'unchanged' | 'declined';
  readonly pullRequest?: string;
}

export interface PinContext {
  readonly policySet: PolicySet;
  readonly path: (file: string) => string;
  readonly readBase: (path: string) => Promise<string>;
  readonly base: string;
  readonly forge: Forge | undefined;
  readonly workspace: ProposalWorkspace | undefined;
  readonly write: boolean;
  readonly logger: Logger;
}

function fleetFileOf(policySet: PolicySet, host: string): string | undefined {
  return policySet.fleets.find((fleet) => (fleet.resource.spec.hosts ?? []).some((entry) => entry.name === host))?.source.file;
}

export async function proposePins(pins: readonly HostKeyPin[], context: PinContext): Promise<PinReport[]> {
  const reports: PinReport[] = [];
  for (const pin of pins) {
    const file = fleetFileOf(context.policySet, pin.host);
    if (file === undefined) continue;
    const path = context.path(file);
    const before = await context.readBase(path);
    const edited = pinHostKey(before, pin.host, pin.key);
    if (!edited.ok || !edited.value.changed) continue;
    const branch = pinBranch(undefined, pin.host);
    const { title, body } = renderPinPullRequest(pin, path);
    const existing = context.forge === undefined ? undefined : await context.forge.findPullRequest(branch);
    const sameKey = existing !== undefined && parsePinMarker(existing.body)?.key === pin.key;
    const files = [{ path, before, after: edited.value.text }];
    if (existing !== undefined && existing.state === 'closed' && sameKey) {
      reports.push({ host: pin.host, branch, title, body, files, action: 'declined', pullRequest: existing.id });
      continue;
    }
    const unchanged = existing !== undefined && existing.state === 'open' && existing.body === body;
    const action = existing === undefined || existing.state !== 'open' ? 'create' : unchanged ? 'unchanged' : 'update';
    let pullRequest = existing?.state === 'open' ? existing.id : undefined;
    if (context.write && action !== 'unchanged' && context.forge !== undefined && context.workspace !== undefined) {
      const commit = await context.workspace.commitToBranch({
        branch,
        base: context.base,
        files: [{ path, content: edited.value.text }],
        message: title,
      });
      if (commit.outcome !== 'unchanged') await context.workspace.pushBranch(branch);
      const ensured = await context.forge.ensurePullRequest({ branch, base: context.base, title, body, labels: [], draft: false });
      if (ensured.outcome !== 'blocked') pullRequest = ensured.value.id;
      context.logger.info({ host: pin.host, branch, outcome: ensured.outcome }, 'host key pin proposed');
    }
    reports.push({ host: pin.host, branch, title, body, files, action, ...(pullRequest === undefined ? {} : { pullRequest }) });
  }
  return reports;
}
