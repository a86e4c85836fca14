import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { parseArgs, promisify } from 'node:util';
import { type PolicySet, resolveFleetHosts } from '../../core/model/index.js';
import type { HostStep } from '../../core/rollout/rollout-state.js';
import { AuditLog } from '../../edges/status/audit-log.js';
import type { BoundaryPoint, StepLine } from '../../reconcile/rollout/host-runner.js';
import { LocalStateDir } from '../../reconcile/rollout/local-state-dir.js';
import { reconcileRollout, type RolloutOutcome } from '../../reconcile/rollout/reconcile-rollout.js';
import { rolloutInputsOf, sshAgents } from '../../reconcile/rollout/rollout-setup.js';
import type { Command, CommandIo } from '../command.js';
import { loadValidPolicySet, secretReaderFor } from '../fleet-source.js';
import { positiveNumber } from '../options.js';
import { errorText, ROLLOUT_EXIT, stateDirOf } from './rollout-shared.js';

const USAGE = `usage: patchward rollout -f DIR --state DIR [--until done|idle] [options]

Rolls the approved baseline of the policy repository DIR out ring by ring over SSH: per host
observe, preHook, simulate + apply the exact versions, verify, reboot when required, health
checks; every step recorded in the state directory before and after it happens, and in its
audit log (audit.jsonl). The rollout id is <baseline>@<revision> (the Git HEAD revision when DIR
is a Git work tree, else sha256:<digest of the policy files>). Prints one line per host step and
a summary.

options:
  -f, --policy DIR        policy repository (validated like 'patchward validate')
  --state DIR             state directory (default $XDG_STATE_HOME/patchward or ~/.local/state/patchward)
  --until done|idle       done (default): keep going, sleeping through soaks and closed windows,
                          until the rollout is complete or halted; idle: return as soon as
                          nothing can be done now
  --baseline NAME         the PatchBaseline to roll out (required when there are several)
  --retry-interval S      seconds before a host that was unreachable is tried again (default 30)
  --namespace NS          namespace of Secrets in ssh.keyRef.secretRef (default: default)

exit: 0 complete, 1 error or a host failed, 2 usage, 3 halted or paused, 4 waiting (soak or window)

Test hook (kill-point test only): PATCHWARD_TEST_KILL_AT=<step>:<intent|effect|recorded>[:N] makes
the process SIGKILL itself at the N-th (default 1st) time any host reaches that step boundary.
`;

const run = promisify(execFile);

/** The Git HEAD revision of DIR when it is a Git work tree, else a digest of the policy files. */
export async function policyRevision(dir: string, policySet: PolicySet): Promise<string> {
  try {
    const inside = await run('git', ['-C', dir, 'rev-parse', '--is-inside-work-tree'], { timeout: 10_000 });
    if (inside.stdout.trim() === 'true') return (await run('git', ['-C', dir, 'rev-parse', 'HEAD'], { timeout: 10_000 })).stdout.trim();
  } catch {
    // not a work tree (or no git): fall through to the digest
  }
  const hash = createHash('sha256');
  for (const file of policySet.files)
    hash
      .update(file)
      .update('\0')
      .update(await readFile(join(dir, file)))
      .update('\0');
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}

function killHook(spec: string | undefined): ((host: string, step: HostStep, point: BoundaryPoint) => void) | undefined {
  if (spec === undefined || spec === '') return undefined;
  const [step, point, nth = '1'] = spec.split(':');
  let seen = 0;
  return (_host, atStep, atPoint) => {
    if (atStep !== step || atPoint !== point) return;
    seen += 1;
    if (seen === Number(nth)) process.kill(process.pid, 'SIGKILL');
  };
}

function formatLine(line: StepLine, now: Date): string {
  const duration = line.durationMs === undefined ? '' : ` (${(line.durationMs / 1000).toFixed(1)} s)`;
  return `${now.toISOString()} ${line.ring} ${line.host} ${line.step} ${line.outcome}${line.detail ? `: ${line.detail}` : ''}${duration}\n`;
}

function summary(outcome: RolloutOutcome): string {
  const lines = [`rollout ${outcome.id}: ${outcome.phase} (${outcome.reason})`];
  for (const ring of outcome.rollout.rings) {
    const hosts = Object.values(outcome.hosts).filter((host) => host.ring === ring);
    const members = outcome.ringHosts[ring] ?? [];
    const count = (phase: string) =>
      phase === 'pending'
        ? members.length - hosts.filter((host) => host.phase !== 'pending').length
        : hosts.filter((host) => host.phase === phase).length;
    const patched = hosts.filter((host) => host.result === 'patched').length;
    lines.push(
      `  ring ${ring}: ${count('succeeded')} succeeded (${patched} patched), ${count('failed')} failed, ${count('in-progress')} in progress, ${count('pending')} pending` +
        `${outcome.rollout.ringRecords[ring]?.completedAt === undefined ? '' : `, completed ${outcome.rollout.ringRecords[ring]?.completedAt}`}`,
    );
    for (const host of hosts.filter((item) => item.phase === 'failed'))
      lines.push(`    ${host.host} failed at ${host.failure?.step}: ${host.failure?.reason}`);
  }
  for (const left of outcome.leftOut) lines.push(`  left out: ${left.host} (${left.reason})`);
  return `${lines.join('\n')}\n`;
}

function exitOf(outcome: RolloutOutcome): number {
  if (outcome.phase === 'halted' || outcome.phase === 'paused') return ROLLOUT_EXIT.halted;
  if (outcome.phase === 'waiting') return ROLLOUT_EXIT.waiting;
  return Object.values(outcome.hosts).some((host) => host.phase === 'failed') ? ROLLOUT_EXIT.failed : ROLLOUT_EXIT.complete;
}

export const rolloutCommand: Command = {
  name: 'rollout',
  summary: 'roll the approved baseline out ring by ring (crash-safe, audited)',
  usage: USAGE,
  async run(args, io: CommandIo) {
    let values;
    try {
      ({ values } = parseArgs({
        args: [...args],
        options: {
          policy: { type: 'string', short: 'f' },
          state: { type: 'string' },
          until: { type: 'string', default: 'done' },
          baseline: { type: 'string' },
          'retry-interval': { type: 'string' },
          namespace: { type: 'string', default: 'default' },
          help: { type: 'boolean', short: 'h', default: false },
        },
        strict: true,
        allowPositionals: false,
      }));
    } catch (error) {
      io.stderr.write(`patchward rollout: ${(error as Error).message}\n\n${USAGE}`);
      return ROLLOUT_EXIT.usage;
    }
    if (values.help) {
      io.stdout.write(USAGE);
      return ROLLOUT_EXIT.complete;
    }
    const retry = positiveNumber(values['retry-interval'], 30);
    if (values.policy === undefined || (values.until !== 'done' && values.until !== 'idle') || retry === undefined || retry > 86_400) {
      io.stderr.write(`patchward rollout: give -f DIR, --until done|idle and a --retry-interval of 1..86400 seconds\n\n${USAGE}`);
      return ROLLOUT_EXIT.usage;
    }
    const dir = resolve(io.cwd, values.policy);
    let policySet: PolicySet;
    try {
      policySet = await loadValidPolicySet(dir);
    } catch (error) {
      io.stderr.write(`patchward rollout: ${errorText(error)}\n`);
      return ROLLOUT_EXIT.usage;
    }
    const baselines = policySet.patchBaselines.map((sourced) => sourced.resource);
    const baseline =
      values.baseline === undefined
        ? baselines.length === 1
          ? baselines[0]
          : undefined
        : baselines.find((item) => item.metadata.name === values.baseline);
    if (baseline === undefined) {
      io.stderr.write(
        `patchward rollout: ${values.baseline === undefined ? `${baselines.length} PatchBaselines in ${dir}: name one with --baseline` : `no PatchBaseline ${values.baseline} in ${dir}`}\n`,
      );
      return ROLLOUT_EXIT.usage;
    }
    const revision = await policyRevision(dir, policySet);
    const store = new LocalStateDir(stateDirOf(io, values.state));
    try {
      await store.lock();
    } catch (error) {
      io.stderr.write(`patchward rollout: ${errorText(error)}\n`);
      return ROLLOUT_EXIT.failed;
    }
    const agents = sshAgents(
      policySet.fleets.flatMap((fleet) => resolveFleetHosts(fleet.resource)),
      secretReaderFor(io, values.namespace),
      io.logger,
    );
    const clock = () => new Date();
    const inputs = rolloutInputsOf(policySet, baseline, revision, {
      store,
      audit: new AuditLog(store.dir),
      agentFor: agents.agentFor,
      clock,
      logger: io.logger,
      retryDelayMs: retry * 1000,
      source: dir,
      print: (line) => io.stdout.write(formatLine(line, clock())),
      ...(killHook(io.env['PATCHWARD_TEST_KILL_AT']) === undefined ? {} : { boundary: killHook(io.env['PATCHWARD_TEST_KILL_AT']) }),
    });
    try {
      io.stdout.write(
        `rollout ${baseline.metadata.name}@${revision}: rings ${inputs.rings.map((ring) => `${ring.plan.name} (${ring.plan.hosts.length})`).join(', ')}\n`,
      );
      for (;;) {
        const outcome = await reconcileRollout(inputs, clock());
        if (outcome.phase !== 'waiting' || values.until === 'idle') {
          io.stdout.write(summary(outcome));
          return exitOf(outcome);
        }
        const waitMs = Math.min(outcome.requeueAfterMs ?? 30_000, 2_147_000_000);
        io.stdout.write(`${clock().toISOString()} waiting ${(waitMs / 1000).toFixed(1)} s: ${outcome.reason}\n`);
        await new Promise((done) => setTimeout(done, waitMs));
      }
    } catch (error) {
      io.stderr.write(`patchward rollout: ${errorText(error)}\n`);
      return ROLLOUT_EXIT.failed;
    } finally {
      await agents.close();
      await store.unlock();
    }
  },
};
