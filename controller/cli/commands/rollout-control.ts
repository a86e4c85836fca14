/**
 * The small state commands: pause, resume (a rollout), cordon, uncordon (a host). Each takes the
 * state directory's exclusive lock, changes one record and appends an audit record.
 */
import { parseArgs } from 'node:util';
import { ROLLOUT_FORMAT_VERSION } from '../../core/rollout/rollout-state.js';
import { AuditLog } from '../../edges/status/audit-log.js';
import { LocalStateDir } from '../../reconcile/rollout/local-state-dir.js';
import { pauseRollout, resumeRollout } from '../../reconcile/rollout/reconcile-rollout.js';
import { listRollouts, readCordons, writeCordons } from '../../reconcile/rollout/rollout-store.js';
import type { Command, CommandIo } from '../command.js';
import { errorText, ROLLOUT_EXIT, stateDirOf } from './rollout-shared.js';

type Action = (store: LocalStateDir, audit: AuditLog, target: string, reason: string, io: CommandIo) => Promise<number>;

export function stateCommand(name: string, summary: string, what: 'ROLLOUT' | 'HOST', action: Action): Command {
  const usage = `usage: patchward ${name} --state DIR [--reason TEXT] ${what}\n\n${summary}.\n\nexit: 0 done, 1 error (e.g. unknown rollout, state in use), 2 usage\n`;
  return {
    name,
    summary,
    usage,
    async run(args, io) {
      let parsed;
      try {
        parsed = parseArgs({
          args: [...args],
          options: { state: { type: 'string' }, reason: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
          strict: true,
          allowPositionals: true,
        });
      } catch (error) {
        io.stderr.write(`patchward ${name}: ${(error as Error).message}\n\n${usage}`);
        return ROLLOUT_EXIT.usage;
      }
      if (parsed.values.help) {
        io.stdout.write(usage);
        return 0;
      }
      const [target, ...extra] = parsed.positionals;
      if (target === undefined || extra.length > 0) {
        io.stderr.write(`patchward ${name}: give exactly one ${what}\n\n${usage}`);
        return ROLLOUT_EXIT.usage;
      }
      const store = new LocalStateDir(stateDirOf(io, parsed.values.state));
      try {
        await store.lock();
        return await action(store, new AuditLog(store.dir), target, parsed.values.reason ?? `by hand (patchward ${name})`, io);
      } catch (error) {
        io.stderr.write(`patchward ${name}: ${errorText(error)}\n`);
        return ROLLOUT_EXIT.failed;
      } finally {
        await store.unlock();
      }
    },
  };
}

async function unknownRollout(store: LocalStateDir, id: string, io: CommandIo, name: string): Promise<number> {
  const known = await listRollouts(store);
  io.stderr.write(`patchward ${name}: no rollout ${id} in ${store.dir}${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}\n`);
  return ROLLOUT_EXIT.failed;
}

export const pauseCommand = stateCommand(
  'pause',
  'pause a rollout by hand: no host starts until resume',
  'ROLLOUT',
  async (store, audit, id, reason, io) => {
    const paused = await pauseRollout(store, audit, id, reason, new Date());
    if (paused === undefined) return unknownRollout(store, id, io, 'pause');
    io.stdout.write(`rollout ${id} paused\n`);
    return 0;
  },
);

export const resumeCommand = stateCommand(
  'resume',
  'resume a halted or paused rollout (failed hosts of the halted ring are tried again)',
  'ROLLOUT',
  async (store, audit, id, _reason, io) => {
    const resumed = await resumeRollout(store, audit, id, new Date());
    if (resumed === undefined) return unknownRollout(store, id, io, 'resume');
    io.stdout.write(`rollout ${id} resumed\n`);
    return 0;
  },
);

export const cordonCommand = stateCommand(
  'cordon',
  'keep a host out of every rollout without editing the Fleet',
  'HOST',
  async (store, audit, host, reason, io) => {
    const cordons = await readCordons(store);
    const now = new Date();
    await writeCordons(store, {
      formatVersion: ROLLOUT_FORMAT_VERSION,
      hosts: { ...cordons.hosts, [host]: { time: now.toISOString(), reason } },
    });
    await audit.append({ time: now.toISOString(), host, step: 'cordon', outcome: 'cordoned', message: reason });
    io.stdout.write(`host ${host} cordoned\n`);
    return 0;
  },
);

export const uncordonCommand = stateCommand(
  'uncordon',
  'let a cordoned host take part in rollouts again',
  'HOST',
  async (store, audit, host, reason, io) => {
    const cordons = await readCordons(store);
    const { [host]: removed, ...rest } = cordons.hosts;
    await writeCordons(store, { formatVersion: ROLLOUT_FORMAT_VERSION, hosts: rest });
    const now = new Date();
    await audit.append({ time: now.toISOString(), host, step: 'cordon', outcome: 'uncordoned', message: reason });
    io.stdout.write(removed === undefined ? `host ${host} was not cordoned\n` : `host ${host} uncordoned\n`);
    return 0;
  },
);
