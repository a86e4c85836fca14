import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveFleetHosts } from '../../core/model/index.js';
import type { HostProgress, RolloutRecord } from '../../core/rollout/rollout-state.js';
import { AuditLog } from '../../edges/status/audit-log.js';
import { LocalStateDir } from '../../reconcile/rollout/local-state-dir.js';
import { sshAgents } from '../../reconcile/rollout/rollout-setup.js';
import { listRollouts, readHosts, readRollout } from '../../reconcile/rollout/rollout-store.js';
import type { Command } from '../command.js';
import { loadValidPolicySet, secretReaderFor } from '../fleet-source.js';
import { errorText, stateDirOf } from './rollout-shared.js';

const USAGE = `usage: patchward rollback --state DIR HOST [--rollout ID] [-f DIR]

Reinstalls on HOST the exact versions a rollout recorded before it patched the host (the latest
rollout that changed HOST, or --rollout ID), when the host's repositories still offer them, and
says which they no longer offer (those are left as they are). Packages the rollout newly installed
(dependencies) are not removed. The host is reached with the Fleet of the policy repository the
rollout recorded (or -f DIR).

exit: 0 every previous version restored, 1 some version not offered or the reinstall failed, 2 usage
`;

async function findRollout(
  store: LocalStateDir,
  host: string,
  id: string | undefined,
): Promise<{ rollout: RolloutRecord; progress: HostProgress } | undefined> {
  const ids = id === undefined ? await listRollouts(store) : [id];
  let best: { rollout: RolloutRecord; progress: HostProgress } | undefined;
  for (const candidate of ids) {
    const rollout = await readRollout(store, candidate);
    const progress = rollout === undefined ? undefined : (await readHosts(store, candidate))[host];
    if (rollout === undefined || progress?.before === undefined || Object.keys(progress.before).length === 0) continue;
    if (best === undefined || rollout.createdAt > best.rollout.createdAt) best = { rollout, progress };
  }
  return best;
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
    const store = new LocalStateDir(stateDirOf(io, parsed.values.state));
    try {
      await store.lock();
    } catch (error) {
      io.stderr.write(`patchward rollback: ${errorText(error)}\n`);
      return 1;
    }
    try {
      const found = await findRollout(store, host, parsed.values.rollout);
      if (found === undefined) {
        io.stderr.write(
          `patchward rollback: no rollout in ${store.dir} recorded previous versions of ${host}${parsed.values.rollout === undefined ? '' : ` (rollout ${parsed.values.rollout})`}\n`,
        );
        return 1;
      }
      const { rollout, progress } = found;
      const policyDir = parsed.values.policy === undefined ? rollout.source : resolve(io.cwd, parsed.values.policy);
      if (policyDir === undefined) {
        io.stderr.write(`patchward rollback: rollout ${rollout.id} did not record its policy repository: give -f DIR\n`);
        return 2;
      }
      const policySet = await loadValidPolicySet(policyDir);
      const agents = sshAgents(
        policySet.fleets.flatMap((fleet) => resolveFleetHosts(fleet.resource)),
        secretReaderFor(io, 'default'),
        io.logger,
      );
      try {
        const agent = agents.agentFor(host);
        const pm = progress.packageManager ?? 'apt';
        const previous = Object.fromEntries(Object.entries(progress.before ?? {}).filter(([, version]) => version !== ''));
        const offered = await agent.available(Object.keys(previous), pm);
        const restorable = Object.fromEntries(
          Object.entries(previous).filter(([name, version]) => offered.some((item) => item.name === name && item.version === version)),
        );
        const gone = Object.entries(previous).filter(([name]) => restorable[name] === undefined);
        for (const [name, version] of gone)
          io.stdout.write(`${host}: ${name} ${version} is no longer offered by the host's repositories: left as it is\n`);
        const audit = new AuditLog(store.dir);
        const started = Date.now();
        if (Object.keys(restorable).length === 0) return 1;
        const current = await agent.installed(Object.keys(restorable), pm);
        const result = await agent.downgrade(restorable, pm);
        const after = await agent.installed(Object.keys(restorable), pm);
        const restored = Object.entries(restorable).every(([name, version]) => after[name] === version);
        await audit.append({
          time: new Date().toISOString(),
          rollout: rollout.id,
          revision: rollout.revision,
          ring: progress.ring,
          host,
          step: 'rollback',
          outcome: restored ? 'succeeded' : 'failed',
          before: current,
          after,
          durationMs: Date.now() - started,
          ...(restored ? {} : { message: result.output }),
          ...(gone.length > 0 ? { signal: `not offered: ${gone.map(([n, v]) => `${n}=${v}`).join(' ')}` } : {}),
        });
        for (const [name, version] of Object.entries(restorable)) {
          io.stdout.write(
            `${host}: ${name} ${current[name] || '(none)'} → ${after[name] || '(none)'}${after[name] === version ? '' : ` (wanted ${version})`}\n`,
          );
        }
        if (!restored) io.stderr.write(`patchward rollback: ${host}: reinstall failed (exit ${result.exitCode}): ${result.output}\n`);
        return restored && gone.length === 0 ? 0 : 1;
      } finally {
        await agents.close();
      }
    } catch (error) {
      io.stderr.write(`patchward rollback: ${errorText(error)}\n`);
      return 1;
    } finally {
      await store.unlock();
    }
  },
};
