import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import process from 'node:process';
import { parseArgs, promisify } from 'node:util';
import { resolveStateDirectory } from '../../config/state-dir.js';
import type { PolicySet } from '../../core/model/index.js';
import { rolloutIdOf, type HostStep } from '../../core/rollout/rollout-state.js';
import { createPolicyRepositoryLoader } from '../../edges/policy-repo/load.js';
import { openLocalStateStore } from '../../edges/state/local/local-state-store.js';
import { AuditLog } from '../../edges/status/audit-log.js';
import { StateHostKeyTrust } from '../../edges/transport/ssh/state-host-key-trust.js';
import { engineDocuments } from '../../reconcile/rollout/engine-state.js';
import type { BoundaryPoint, StepLine } from '../../reconcile/rollout/host-runner.js';
import { reconcileRollout, type RolloutOutcome } from '../../reconcile/rollout/reconcile-rollout.js';
import { planPolicyOf, policyHosts, sshFleet } from '../../reconcile/rollout/rollout-wiring.js';
import type { StateStore } from '../../ports/state-store.js';
import type { Command, CommandIo } from '../command.js';
import { loadValidPolicySet, secretReaderFor } from '../fleet-source.js';
import { positiveNumber } from '../options.js';
import { errorText, ROLLOUT_EXIT } from './rollout-shared.js';

const USAGE = `usage: patchward rollout -f DIR --state DIR [--until done|idle] [options]

Rolls the approved baselines of the policy repository DIR out ring by ring over SSH, as
'patchward plan' shows it: per host read its state, preHook, simulate + apply the exact versions,
verify, reboot when required, health checks; every step recorded in the state directory before
and after it happens, and in its audit log (audit.jsonl). The rollout id is
<baseline>@<revision> (the Git HEAD revision when DIR is a Git work tree, else
sha256:<digest of the policy files>). Prints one line per host step and a summary.

options:
  -f, --policy DIR        policy repository (validated like 'patchward validate')
  --state DIR             state directory (default $XDG_STATE_HOME/patchward or ~/.local/state/patchward)
  --until done|idle       done (default): keep going, sleeping through soaks and closed windows,
                          until the rollout is complete or halted; idle: return as soon as
                          nothing can be done now
  --retry-interval S      seconds before an unreachable host is tried again (default 30)
  --concurrency N         hosts inventoried at once (default 50)
  --timeout S             per-host inventory deadline in seconds (default 120)
  --namespace NS          namespace of Secrets in ssh.keyRef.secretRef (default: default)

exit: 0 complete, 1 error or a host failed, 2 usage, 3 halted or paused, 4 waiting (soak, window, retry)

Test hook (kill-point test only): PATCHWARD_TEST_KILL_AT=<step>:<intent|effect|recorded>[:N] or host:finished[:N] makes
the process SIGKILL itself at the N-th (default 1st) time any host reaches that step boundary.
`;

const run = promisify(execFile);

/** The Git HEAD revision of DIR when it is a Git work tree, else a digest of the policy files. */
export async function policyRevision(dir: string, policySet: PolicySet): Promise<string> {
  try {
    // One git run: "true" and the HEAD commit inside a work tree; an error outside one (or without commits).
    const [inside, head] = (await run('git', ['-C', dir, 'rev-parse', '--is-inside-work-tree', 'HEAD'], { timeout: 10_000 })).stdout
      .trim()
      .split('\n');
    if (inside === 'true' && head !== undefined && /^[0-9a-f]{40,64}$/.test(head)) return head;
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

function killHook(spec: string | undefined): ((host: string, step: HostStep | 'host', point: BoundaryPoint) => void) | undefined {
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
  const { plan } = outcome;
  const lines = [`rollout ${outcome.id}: ${plan.state} (${plan.summary})`];
  for (const ring of plan.rings) {
    const c = ring.counts;
    lines.push(
      `  ring ${ring.name}: ${c.succeeded} succeeded, ${c.failed} failed, ${c['in-progress']} in progress, ${c.pending + c.blocked} pending` +
        `${ring.completedAt === undefined ? '' : `, completed ${ring.completedAt}`} — ${ring.note}`,
    );
    for (const host of ring.hosts.filter((item) => item.state === 'failed')) lines.push(`    ${host.host} failed: ${host.reason ?? ''}`);
  }
  for (const left of plan.leftOut) lines.push(`  left out: ${left.host} (${left.reason}: ${left.detail})`);
  return `${lines.join('\n')}\n`;
}

function exitOf(outcome: RolloutOutcome): number {
  const { state } = outcome.plan;
  if (state === 'halted' || state === 'paused') return ROLLOUT_EXIT.halted;
  if (state === 'waiting') return ROLLOUT_EXIT.waiting;
  if (state === 'stalled') return ROLLOUT_EXIT.failed;
  return outcome.plan.rings.some((ring) => ring.counts.failed > 0) ? ROLLOUT_EXIT.failed : ROLLOUT_EXIT.complete;
}

export const rolloutCommand: Command = {
  name: 'rollout',
  summary: 'roll the approved baselines out ring by ring (crash-safe, audited)',
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
          'retry-interval': { type: 'string' },
          concurrency: { type: 'string' },
          timeout: { type: 'string' },
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
    const concurrency = positiveNumber(values.concurrency, 50);
    const timeout = positiveNumber(values.timeout, 120);
    if (
      values.policy === undefined ||
      (values.until !== 'done' && values.until !== 'idle') ||
      retry === undefined ||
      retry > 86_400 ||
      concurrency === undefined ||
      concurrency > 10_000 ||
      timeout === undefined ||
      timeout > 86_400
    ) {
      io.stderr.write(
        `patchward rollout: give -f DIR, --until done|idle, --retry-interval and --timeout of 1..86400 seconds, --concurrency 1..10000\n\n${USAGE}`,
      );
      return ROLLOUT_EXIT.usage;
    }
    const dir = resolve(io.cwd, values.policy);
    const stateDir = resolveStateDirectory(values.state, io.env, io.cwd, homedir());
    const clock = () => new Date();
    // The state store (and its lock) is opened once the repository is valid; a host key trusted on
    // first use is the only thing the connections may need from it before, and those hosts are not
    // connected ahead (connectAhead takes pinned hosts only).
    let opening: Promise<StateStore> | undefined;
    const openStore = (): Promise<StateStore> => {
      opening ??= openLocalStateStore({ directory: stateDir, now: clock() });
      return opening;
    };
    const fleetFor = (policy: PolicySet) =>
      sshFleet(policyHosts(policy), {
        secrets: secretReaderFor(io, values.namespace),
        hostKeyTrust: new StateHostKeyTrust(stateDir, openStore),
        logger: io.logger,
        concurrency: Math.floor(concurrency),
        hostTimeoutMs: timeout * 1000,
        now: clock,
      });
    const loader = await createPolicyRepositoryLoader();
    // A first look at the Fleet alone (its schema, no checks across documents), so that the SSH
    // handshakes overlap the check of the rest, the Git revision and the state lock. Nothing runs on
    // a host before the whole repository is valid; an invalid one closes these connections.
    const fleets = await loader.load(dir, { onlyKinds: ['Fleet'] });
    let fleet = fleets.ok ? fleetFor(fleets.value) : undefined;
    fleet?.connectAhead();
    let policySet: PolicySet;
    try {
      policySet = await loadValidPolicySet(dir, loader);
    } catch (error) {
      await fleet?.close();
      io.stderr.write(`patchward rollout: ${errorText(error)}\n`);
      return ROLLOUT_EXIT.usage;
    }
    if (policySet.patchBaselines.length === 0) {
      await fleet?.close();
      io.stderr.write(`patchward rollout: no PatchBaseline in ${dir}: nothing is approved\n`);
      return ROLLOUT_EXIT.usage;
    }
    if (fleet === undefined || !fleets.ok || JSON.stringify(policyHosts(fleets.value)) !== JSON.stringify(policyHosts(policySet))) {
      await fleet?.close();
      fleet = fleetFor(policySet);
      fleet.connectAhead();
    }
    const revision = await policyRevision(dir, policySet);
    const id = rolloutIdOf(policySet.patchBaselines.map((sourced) => sourced.resource.metadata.name).join('+'), revision);
    let store: StateStore;
    try {
      store = await openStore();
    } catch (error) {
      await fleet.close();
      io.stderr.write(`patchward rollout: ${errorText(error)}\n`);
      return ROLLOUT_EXIT.failed;
    }
    const boundary = killHook(io.env['PATCHWARD_TEST_KILL_AT']);
    const inputs = {
      rolloutId: id,
      revision,
      source: dir,
      policy: planPolicyOf(policySet),
      store,
      docs: engineDocuments(),
      audit: new AuditLog(stateDir),
      inventory: fleet.inventory,
      access: fleet.access,
      clock,
      logger: io.logger,
      retryDelayMs: retry * 1000,
      print: (line: StepLine) => io.stdout.write(formatLine(line, clock())),
      ...(boundary === undefined ? {} : { boundary }),
    };
    try {
      io.stdout.write(`rollout ${id}: rings ${inputs.policy.rings.map((ring) => ring.metadata.name).join(', ')}\n`);
      for (;;) {
        const outcome = await reconcileRollout(inputs, clock());
        if (outcome.plan.state !== 'waiting' || values.until === 'idle' || outcome.requeueAfterMs === undefined) {
          io.stdout.write(summary(outcome));
          return exitOf(outcome);
        }
        const waitMs = Math.min(outcome.requeueAfterMs, 2_147_000_000);
        io.stdout.write(`${clock().toISOString()} waiting ${(waitMs / 1000).toFixed(1)} s: ${outcome.plan.summary}\n`);
        await new Promise((done) => setTimeout(done, waitMs));
      }
    } catch (error) {
      io.stderr.write(`patchward rollout: ${errorText(error)}\n`);
      return ROLLOUT_EXIT.failed;
    } finally {
      await fleet.close();
      await store.close();
    }
  },
};
