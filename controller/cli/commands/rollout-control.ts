/**
 * The small state commands: pause, resume (a rollout), cordon, uncordon (a host). Each opens the
 * state directory (taking its exclusive lock), changes one document and appends an audit record.
 */
import { parseArgs } from 'node:util';
import { openLocalStateStore } from '../../edges/state/local/local-state-store.js';
import { AuditLog } from '../../edges/status/audit-log.js';
import type { StateStore } from '../../ports/state-store.js';
import { type EngineDocuments, engineDocuments, listRolloutIds } from '../../reconcile/rollout/engine-state.js';
import { pauseRollout, resumeRollout } from '../../reconcile/rollout/reconcile-rollout.js';
import type { Command, CommandIo } from '../command.js';
import { errorText, ROLLOUT_EXIT, stateDirOf } from './rollout-shared.js';

interface StateAction {
  readonly store: StateStore;
  readonly docs: EngineDocuments;
  readonly audit: AuditLog;
  readonly target: string;
  readonly reason: string;
  readonly io: CommandIo;
}

export function stateCommand(
  name: string,
  summary: string,
  what: 'ROLLOUT' | 'HOST',
  action: (context: StateAction) => Promise<number>,
): Command {
  const usage = `usage: patchward ${name} --state DIR [--reason TEXT] ${what}\n\n${summary}.\n\nexit: 0 done, 1 error (unknown rollout, state in use), 2 usage\n`;
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
      if (target === undefined || target === '' || extra.length > 0) {
        io.stderr.write(`patchward ${name}: give exactly one ${what}\n\n${usage}`);
        return ROLLOUT_EXIT.usage;
      }
      const dir = stateDirOf(io, parsed.values.state);
      let store: StateStore;
      try {
        store = await openLocalStateStore({ directory: dir, now: new Date() });
      } catch (error) {
        io.stderr.write(`patchward ${name}: ${errorText(error)}\n`);
        return ROLLOUT_EXIT.failed;
      }
      try {
        const reason = parsed.values.reason ?? `by hand (patchward ${name})`;
        return await action({ store, docs: engineDocuments(), audit: new AuditLog(dir), target, reason, io });
      } catch (error) {
        io.stderr.write(`patchward ${name}: ${errorText(error)}\n`);
        return ROLLOUT_EXIT.failed;
      } finally {
        await store.close();
      }
    },
  };
}

async function unknownRollout(context: StateAction, name: string): Promise<number> {
  const known = await listRolloutIds(context.store, context.docs);
  context.io.stderr.write(
    `patchward ${name}: no rollout ${context.target} in ${context.store.location}${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}\n`,
  );
  return ROLLOUT_EXIT.failed;
}

export const pauseCommand = stateCommand('pause', 'pause a rollout by hand: no host starts until resume', 'ROLLOUT', async (context) => {
  const paused = await pauseRollout(context.store, context.docs, context.audit, context.target, context.reason, new Date());
  if (paused === undefined) return unknownRollout(context, 'pause');
  context.io.stdout.write(`rollout ${context.target} paused\n`);
  return 0;
});

export const resumeCommand = stateCommand(
  'resume',
  'resume a halted or paused rollout (hosts the halted ring failed are tried again from the failed step)',
  'ROLLOUT',
  async (context) => {
    const resumed = await resumeRollout(context.store, context.docs, context.audit, context.target, new Date());
    if (resumed === undefined) return unknownRollout(context, 'resume');
    context.io.stdout.write(`rollout ${context.target} resumed\n`);
    return 0;
  },
);

export const cordonCommand = stateCommand(
  'cordon',
  'keep a host out of every rollout without editing the Fleet',
  'HOST',
  async (context) => {
    const now = new Date();
    await context.store.put(context.docs.cordon, context.target, {
      host: context.target,
      at: now.toISOString(),
      reason: context.reason,
      by: 'patchward cordon',
    });
    await context.audit.append({
      time: now.toISOString(),
      host: context.target,
      step: 'cordon',
      outcome: 'cordoned',
      message: context.reason,
    });
    context.io.stdout.write(`host ${context.target} cordoned\n`);
    return 0;
  },
);

export const uncordonCommand = stateCommand('uncordon', 'let a cordoned host take part in rollouts again', 'HOST', async (context) => {
  const now = new Date();
  const existed = (await context.store.get(context.docs.cordon, context.target)) !== undefined;
  await context.store.delete(context.docs.cordon, context.target);
  await context.audit.append({
    time: now.toISOString(),
    host: context.target,
    step: 'cordon',
    outcome: 'uncordoned',
    message: context.reason,
  });
  context.io.stdout.write(existed ? `host ${context.target} uncordoned\n` : `host ${context.target} was not cordoned\n`);
  return 0;
});
