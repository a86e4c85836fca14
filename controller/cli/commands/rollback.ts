import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { HostSequence } from '../../core/rollout/rollout-state.js';
import type { PackageVersion } from '../../core/transaction/index.js';
import { reinstallPrevious } from '../../edges/host-steps/index.js';
import { openLocalStateStore } from '../../edges/state/local/local-state-store.js';
import { AuditLog } from '../../edges/status/audit-log.js';
import { StateHostKeyTrust } from '../../edges/transport/ssh/state-host-key-trust.js';
import type { StateStore } from '../../ports/state-store.js';
import { engineDocuments } from '../../reconcile/rollout/engine-state.js';
import { policyHosts, sshFleet } from '../../reconcile/rollout/rollout-wiring.js';
import type { Command } from '../command.js';
import { loadValidPolicySet, secretReaderFor } from '../fleet-source.js';
import { errorText, stateDirOf } from './rollout-shared.js';

const USAGE = `usage: patchward rollback --state DIR HOST [--rollout ID] [-f DIR]

Reinstalls on HOST the exact versions a rollout recorded before it patched the host (the latest
rollout that patched HOST, or --rollout ID) when the host's repositories still offer them, and says
which they no longer offer (those stay as they are). Packages the rollout newly installed (new
dependencies) are not removed. The host is reached with the Fleet of the policy repository the
rollout ran from (or -f DIR).

exit: 0 every previous version restored, 1 some version no longer offered or the reinstall failed, 2 usage
`;

function latestPatch(sequences: readonly HostSequence[], host: string, rollout: string | undefined): HostSequence | undefined {
  return sequences
    .filter((sequence) => sequence.host === host && (rollout === undefined || sequence.rolloutId === rollout))
    .filter((sequence) => Object.values(sequence.before ?? {}).some((version) => version !== ''))
    .sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''))
    .at(-1);
}

export const rollbackCommand: Command = {
  name: 'rollback',
  summary: 'reinstall the exact versions a host had before a rollout patched it',
  usage: USAGE,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...args],
        options: {
          state: { type: 'string' },
          rollout: { type: 'string' },
          policy: { type: 'string', short: 'f' },
          namespace: { type: 'string', default: 'default' },
          help: { type: 'boolean', short: 'h', default: false },
        },
        strict: true,
        allowPositionals: true,
      });
    } catch (error) {
      io.stderr.write(`patchward rollback: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (parsed.values.help) {
      io.stdout.write(USAGE);
      return 0;
    }
    const [host, ...extra] = parsed.positionals;
    if (host === undefined || extra.length > 0) {
      io.stderr.write(`patchward rollback: give exactly one HOST\n\n${USAGE}`);
      return 2;
    }
    const stateDir = stateDirOf(io, parsed.values.state);
    let store: StateStore;
    try {
      store = await openLocalStateStore({ directory: stateDir, now: new Date() });
    } catch (error) {
      io.stderr.write(`patchward rollback: ${errorText(error)}\n`);
      return 1;
    }
    try {
      const docs = engineDocuments();
      const sequence = latestPatch(
        (await store.list(docs.sequence)).map((document) => document.value),
        host,
        parsed.values.rollout,
      );
      if (sequence === undefined) {
        io.stderr.write(
          `patchward rollback: no rollout in ${stateDir} recorded previous versions of ${host}${parsed.values.rollout === undefined ? '' : ` in ${parsed.values.rollout}`}\n`,
        );
        return 1;
      }
      const policyDir = parsed.values.policy === undefined ? sequence.source : resolve(io.cwd, parsed.values.policy);
      if (policyDir === undefined || sequence.packageManager === undefined) {
        io.stderr.write(`patchward rollback: rollout ${sequence.rolloutId} did not record where ${host} is: give -f DIR\n`);
        return 2;
      }
      const fleet = sshFleet(policyHosts(await loadValidPolicySet(policyDir)), {
        secrets: secretReaderFor(io, parsed.values.namespace),
        hostKeyTrust: new StateHostKeyTrust(stateDir, () => Promise.resolve(store)),
        logger: io.logger,
        concurrency: 1,
        hostTimeoutMs: 120_000,
        now: () => new Date(),
      });
      try {
        const access = fleet.access(host, sequence.packageManager);
        const options = { timeoutMs: access.commandTimeoutMs, sudo: access.sudo };
        const previous: PackageVersion[] = Object.entries(sequence.before ?? {})
          .filter(([, version]) => version !== '')
          .map(([name, version]) => ({ name, version }));
        const names = previous.map((item) => item.name);
        const toMap = (list: readonly PackageVersion[]) => Object.fromEntries(list.map((item) => [item.name, item.version]));
        const current = toMap(await access.packageManager.installedVersions(names, options));
        const started = Date.now();
        const outcome = await reinstallPrevious(access.packageManager, previous, { ...options, lockTimeoutSeconds: 120 });
        const after = toMap(await access.packageManager.installedVersions(names, options));
        for (const gone of outcome.notOffered)
          io.stdout.write(
            `${host}: ${gone.name} ${gone.version} is no longer offered by the host's repositories: left at ${after[gone.name] ?? '(none)'}\n`,
          );
        const restored = previous.filter((item) => after[item.name] === item.version);
        for (const item of restored) io.stdout.write(`${host}: ${item.name} ${current[item.name] ?? '(none)'} → ${item.version}\n`);
        const detail =
          outcome.outcome === 'refused' ? outcome.refusal.message : outcome.outcome === 'failed' ? outcome.failure.message : undefined;
        await new AuditLog(stateDir).append({
          time: new Date().toISOString(),
          rollout: sequence.rolloutId,
          ring: sequence.ring,
          host,
          step: 'rollback',
          outcome: outcome.outcome,
          before: current,
          after,
          durationMs: Date.now() - started,
          ...(outcome.notOffered.length > 0
            ? { signal: `no longer offered: ${outcome.notOffered.map((p) => `${p.name}=${p.version}`).join(' ')}` }
            : {}),
          ...(detail === undefined ? {} : { message: detail }),
        });
        if (detail !== undefined) io.stderr.write(`patchward rollback: ${host}: ${outcome.outcome}: ${detail}\n`);
        return restored.length === previous.length ? 0 : 1;
      } finally {
        await fleet.close();
      }
    } catch (error) {
      io.stderr.write(`patchward rollback: ${errorText(error)}\n`);
      return 1;
    } finally {
      await store.close();
    }
  },
};
