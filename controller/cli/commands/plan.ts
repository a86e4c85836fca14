/**
 * `patchward plan`: the rollout timeline a reviewer wants before merging: per ring the hosts, the
 * exact versions from → to, the first window, and every left-out host with its reason. Pure
 * planning (`controller/core/plan/`) over the policy repository, the fleet's inventory (files, or
 * collected over SSH now, with the versions the hosts' repositories offer), the rollout progress
 * and the known-exploited catalogue. Exit 0 with a plan, 2 on bad arguments or unusable input.
 */
import { execFile } from 'node:child_process';
import { homedir } from 'node:os';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import type { HostInventory } from '../../core/inventory/host-inventory.js';
import type { PolicySet } from '../../core/model/index.js';
import {
  type Cordon,
  cordonDocument,
  createProgressValidator,
  type PlanInput,
  planPolicyOf,
  planRollout,
  type RolloutProgress,
  renderPlanMarkdown,
  renderPlanTable,
  rolloutProgressDocument,
} from '../../core/plan/index.js';
import { KevFileSource } from '../../edges/advisory/kev-file-source.js';
import { resolveStateDirectory } from '../../config/state-dir.js';
import { openLocalStateStore } from '../../edges/state/local/local-state-store.js';
import { InvalidInputError, UsageError } from '../../errors.js';
import type { Command, CommandIo } from '../command.js';
import { EXIT } from '../command.js';
import { collectLive, fleetHostsOf, loadValidPolicySet } from '../fleet-source.js';
import { readInventoryFiles } from '../inventory-files.js';
import { positiveNumber } from '../options.js';

const USAGE = `usage: patchward plan -f POLICY_DIR [--inventory FILE|DIR...] [--state DIR [--rollout ID] | --progress FILE] [--kev FILE] [--now TIME] [--output table|json|markdown]

  -f, --policy DIR       the policy repository (validated as by 'patchward validate')
  --inventory FILE|DIR   HostInventory / HostInventoryList JSON with the versions each host's repositories
                         offer ('available'); a directory means every *.json in it (repeatable). Without it,
                         every Fleet host is inventoried over SSH now (metadata refreshed), as 'assess -f' does
  --concurrency N        without --inventory: hosts inventoried at once (default 50)
  --timeout S            without --inventory: per-host deadline in seconds (default 120)
  --state DIR            the state directory, read-only (no lock taken, nothing created): the rollout's
                         progress (kind rollout-progress) and the cordons (kind cordon); without --state
                         or --progress the plan is the one before the rollout's first step
  --rollout ID           which rollout of --state (default <baselines>@<Git HEAD>, the one of this revision)
  --progress FILE        the rollout's progress as one RolloutProgress JSON file instead of --state
  --cordoned HOST        a host kept out of every rollout (repeatable)
  --kev FILE             known-exploited catalogue in the CISA KEV JSON format (urgent lane)
  --now RFC3339          the instant to plan at (default: the current time)
  --output table|json|markdown   default table; markdown is what a proposal pull request embeds
`;

class UsageProblem extends UsageError {}
class InputProblem extends InvalidInputError {}

const run_ = promisify(execFile);

/** The Git HEAD of the repository, when DIR is a Git work tree. */
async function gitRevision(dir: string): Promise<string | undefined> {
  try {
    const { stdout } = await run_('git', ['-C', dir, 'rev-parse', '--verify', '--quiet', 'HEAD'], { timeout: 10_000 });
    const revision = stdout.trim();
    return /^[0-9a-f]{40,64}$/.test(revision) ? revision : undefined;
  } catch {
    return undefined;
  }
}

async function readProgress(file: string): Promise<RolloutProgress> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new InputProblem(`${file}: not a readable JSON file (${error instanceof Error ? error.message : String(error)})`);
  }
  const checked = createProgressValidator()(value);
  if (!checked.ok) throw new InputProblem(`${file}: not a RolloutProgress document: ${checked.error.slice(0, 5).join('; ')}`);
  return checked.value;
}

async function liveInventory(
  policySet: PolicySet,
  dir: string,
  values: { concurrency?: string; timeout?: string; state?: string },
  io: CommandIo,
): Promise<HostInventory[]> {
  const concurrency = positiveNumber(values.concurrency, 50);
  const timeoutSeconds = positiveNumber(values.timeout, 120);
  if (concurrency === undefined || concurrency > 10_000)
    throw new UsageProblem(`--concurrency must be a number from 1 to 10000, not '${values.concurrency ?? ''}'`);
  if (timeoutSeconds === undefined || timeoutSeconds > 86_400)
    throw new UsageProblem(`--timeout must be a number of seconds from 1 to 86400, not '${values.timeout ?? ''}'`);
  const { inventory } = await collectLive(
    fleetHostsOf(policySet, dir),
    {
      concurrency,
      timeoutSeconds,
      namespace: 'default',
      refresh: true,
      stateDirectory: resolveStateDirectory(values.state, io.env, io.cwd, homedir()),
    },
    io,
  );
  for (const host of inventory.items)
    if (host.status !== 'ok') io.stderr.write(`patchward plan: ${host.host}: ${host.status}: ${host.reason ?? ''}\n`);
  return [...inventory.items];
}

/**
 * Progress and cordons from a state directory, opened read-only (no lock, nothing created). The
 * rollout: `--rollout ID`, else the one of this revision (`fallback`, `<baselines>@<Git HEAD>`).
 */
async function readState(
  directory: string,
  rollout: string | undefined,
  fallback: string,
  now: Date,
  io: CommandIo,
): Promise<{ progress?: RolloutProgress; cordons: Cordon[] }> {
  const store = await openLocalStateStore({ directory, now, readOnly: true });
  try {
    const progressType = rolloutProgressDocument();
    const cordons = (await store.list(cordonDocument())).map((document) => document.value);
    let chosen: RolloutProgress | undefined;
    if (rollout !== undefined) {
      chosen = (await store.get(progressType, rollout))?.value;
      if (chosen === undefined) throw new InputProblem(`${directory}: no rollout ${rollout} in the state directory`);
    } else {
      // Never another revision's rollout by guess: only the one of this revision, or none.
      chosen = (await store.get(progressType, fallback))?.value;
      if (chosen === undefined) {
        const names = (await store.list(progressType)).map((document) => document.name);
        const stored = names.length === 0 ? 'none stored' : `stored: ${names.join(', ')}; choose one with --rollout ID`;
        io.stderr.write(`patchward plan: ${directory}: no progress of rollout ${fallback} (${stored}); planning its first step\n`);
      }
    }
    return { ...(chosen === undefined ? {} : { progress: chosen }), cordons };
  } finally {
    await store.close();
  }
}

interface PlanOptions {
  readonly policy: string;
  readonly inventory?: string[];
  readonly concurrency?: string;
  readonly timeout?: string;
  readonly state?: string;
  readonly rollout?: string;
  readonly progress?: string;
  readonly cordoned?: string[];
  readonly kev?: string;
}

/** Everything the planner reads, from files, the state directory or the live fleet. */
async function planInput(values: PlanOptions, now: Date, io: CommandIo): Promise<{ input: PlanInput; revision?: string }> {
  const dir = path.resolve(io.cwd, values.policy);
  const policySet = await loadValidPolicySet(dir);
  const hosts = fleetHostsOf(policySet, dir);
  const baselines = policySet.patchBaselines.map((entry) => entry.resource.metadata.name).sort();
  const revision = await gitRevision(dir);
  const defaultRollout = `${baselines.join('+')}@${revision ?? 'working-tree'}`;
  const stored =
    values.state === undefined ? undefined : await readState(path.resolve(io.cwd, values.state), values.rollout, defaultRollout, now, io);
  const progress = values.progress === undefined ? stored?.progress : await readProgress(path.resolve(io.cwd, values.progress));
  const inventory =
    values.inventory === undefined
      ? await liveInventory(policySet, dir, values, io)
      : await readInventoryFiles(values.inventory.map((item) => path.resolve(io.cwd, item)));
  const cordons: Cordon[] = [
    ...(stored?.cordons ?? []),
    ...(values.cordoned ?? []).map((host) => ({ host, at: now.toISOString(), reason: 'given with --cordoned' })),
  ];
  const knownExploited =
    values.kev === undefined
      ? undefined
      : (await new KevFileSource(path.resolve(io.cwd, values.kev), io.logger.child({ component: 'plan' })).load()).entries;
  const input: PlanInput = {
    policy: planPolicyOf(policySet, hosts),
    inventory,
    ...(progress === undefined ? {} : { progress }),
    cordons,
    ...(knownExploited === undefined ? {} : { knownExploited }),
    orderSeed: progress?.rolloutId ?? defaultRollout,
  };
  return { input, ...(revision === undefined ? {} : { revision }) };
}

async function run(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      policy: { type: 'string', short: 'f' },
      inventory: { type: 'string', multiple: true },
      concurrency: { type: 'string' },
      timeout: { type: 'string' },
      state: { type: 'string' },
      rollout: { type: 'string' },
      progress: { type: 'string' },
      cordoned: { type: 'string', multiple: true },
      kev: { type: 'string' },
      now: { type: 'string' },
      output: { type: 'string', default: 'table' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (values.policy === undefined) throw new UsageProblem('-f POLICY_DIR is required');
  const output = values.output ?? 'table';
  if (!['table', 'json', 'markdown'].includes(output)) throw new UsageProblem(`--output must be table, json or markdown, not '${output}'`);
  if (values.state !== undefined && values.progress !== undefined) throw new UsageProblem('give --state DIR or --progress FILE, not both');
  if (values.rollout !== undefined && values.state === undefined) throw new UsageProblem('--rollout needs --state DIR');
  const now = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(now.getTime())) throw new UsageProblem(`--now '${values.now}' is not a time`);
  const { input, revision } = await planInput({ ...values, policy: values.policy }, now, io);
  const plan = planRollout(input, now);
  if (output === 'json') io.stdout.write(`${JSON.stringify({ ...plan, ...(revision === undefined ? {} : { revision }) }, null, 2)}\n`);
  else if (output === 'markdown') io.stdout.write(renderPlanMarkdown(plan));
  else io.stdout.write(renderPlanTable(plan));
  return EXIT.ok;
}

export const planCommand: Command = {
  name: 'plan',
  summary: 'the rollout timeline: per ring the hosts, versions from -> to, the first window, hosts left out',
  usage: USAGE,
  run,
};
