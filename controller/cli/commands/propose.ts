/**
 * `patchward propose`: turns advisories that affect governed hosts into pull requests that add
 * approvals to the baseline (controller/reconcile/propose does the work). Exit 0 when the run
 * completed (proposals made, updated or unchanged), 1 when some proposal failed (problems listed),
 * 2 for usage or input errors and for a forge that cannot be reached.
 */
import { terminalSafe } from '../../core/text/terminal-safe.js';
import { formatColumns } from '../../core/text/columns.js';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { versionSchemeFor } from '../../core/version/index.js';
import { OsvDirectorySource } from '../../edges/advisory/directory-source.js';
import { OsvHttpSource } from '../../edges/advisory/http-source.js';
import { KevFileSource } from '../../edges/advisory/kev-file-source.js';
import { loadAdvisoryIndex } from '../../edges/advisory/load-index.js';
import { OsvZipSource } from '../../edges/advisory/zip-source.js';
import { connectForge, FORGE_KINDS, type ForgeSettings, ForgeSettingsError } from '../../edges/forge/registry.js';
import { resolveStateDirectory } from '../../config/state-dir.js';
import type { HostKeyPin } from '../../core/proposals/index.js';
import { openLocalStateStore } from '../../edges/state/local/local-state-store.js';
import { readTrustedHostKeys } from '../../edges/transport/ssh/state-host-key-trust.js';
import { UsageError } from '../../errors.js';
import type { AdvisorySource } from '../../ports/advisory-source.js';
import { haltedRollouts } from '../../reconcile/propose/dashboard-facts.js';
import { type ProposeInput, type ProposeReport, runPropose } from '../../reconcile/propose/propose.js';
import { type RolloutProgress, rolloutProgressDocument } from '../../core/plan/index.js';
import { unifiedDiff } from '../../reconcile/propose/unified-diff.js';
import type { Command, CommandIo } from '../command.js';
import { EXIT } from '../command.js';
import { collectLive, fleetHostsOf, loadValidPolicySet } from '../fleet-source.js';
import { readInventoryFiles } from '../inventory-files.js';

const USAGE = `usage: patchward propose -f DIR --advisories SRC... [options]

  -f, --policy DIR         the policy repository (a checkout; its PatchPolicies, baselines, rings and Fleet)
  --advisories DIR|ZIP|URL OSV records (repeatable), as for 'patchward assess'
  --kev FILE               known-exploited catalogue (CISA KEV JSON format)
  --inventory FILE         HostInventory / HostInventoryList JSON; without it the Fleet is inventoried over SSH
  --forge gitea|github|gitlab|git   where the pull requests go
  --repository OWNER/NAME  the repository on the forge (plain Git: the remote's URL or path)
  --api-url URL            the forge's base URL (e.g. https://gitea.example.net)
  --token-file FILE        API token (else PATCHWARD_FORGE_TOKEN)
  --dry-run                print branch, commit diff and PR body of each proposal; change nothing
  --output table|json      default table; json: {"proposals": [{"policy","key","branch","title","body","files","advisories","hosts"}]}
  --now RFC3339            the time holds, exclusions and auto-merge delays are judged at (default: now)
  --state DIR              state directory, read-only: host keys trusted on first use recorded there become
                           pin PRs (default $XDG_STATE_HOME/patchward, else ~/.local/state/patchward); when
                           given, its halted and paused rollouts are listed on the patch dashboard
`;

class UsageProblem extends UsageError {}

/** The forge token: `--token-file FILE` (a mounted Secret) or `PATCHWARD_FORGE_TOKEN`; never printed. */
async function readForgeToken(tokenFile: string | undefined, env: CommandIo['env']): Promise<string> {
  if (tokenFile !== undefined) {
    const text = (await readFile(tokenFile, 'utf8')).trim();
    if (text === '') throw new ForgeSettingsError(`${tokenFile}: the token file is empty`);
    return text;
  }
  const token = env['PATCHWARD_FORGE_TOKEN']?.trim();
  if (token === undefined || token === '')
    throw new ForgeSettingsError('a forge token is needed: --token-file FILE or PATCHWARD_FORGE_TOKEN');
  return token;
}

interface StateFacts {
  readonly pins: HostKeyPin[];
  /** Only when `--state DIR` was given: the rollouts it holds that are halted or paused. */
  readonly halted?: NonNullable<ProposeInput['halted']>;
}

/**
 * From the state directory, opened read-only (no lock, nothing created, as `patchward plan --state`):
 * host keys trusted on first use (durable, from earlier inventories) plus those this run's live
 * inventory just trusted, one per host; and, when `rollouts` (`--state DIR` given), the rollout
 * progress the engine persisted (kind `rollout-progress`) for the dashboard's halted rollouts.
 */
async function readStateFacts(directory: string, fresh: readonly HostKeyPin[], rollouts: boolean, now: Date): Promise<StateFacts> {
  const byHost = new Map<string, HostKeyPin>();
  const exists = await stat(directory).then(
    (info) => info.isDirectory(),
    () => false,
  );
  let progress: RolloutProgress[] = [];
  if (exists) {
    const store = await openLocalStateStore({ directory, now, readOnly: true });
    try {
      for (const record of await readTrustedHostKeys(store))
        byHost.set(record.host, { host: record.host, key: record.key, fingerprint: record.fingerprint });
      if (rollouts) progress = (await store.list(rolloutProgressDocument())).map((document) => document.value);
    } finally {
      await store.close();
    }
  }
  for (const pin of fresh) if (!byHost.has(pin.host)) byHost.set(pin.host, pin);
  return { pins: [...byHost.values()], ...(rollouts ? { halted: haltedRollouts(progress) } : {}) };
}

function sourceFor(location: string, io: CommandIo): AdvisorySource {
  if (/^https?:\/\//.test(location)) {
    const cacheDir = path.join(io.env['XDG_CACHE_HOME'] ?? path.join(io.env['HOME'] ?? io.cwd, '.cache'), 'patchward');
    return new OsvHttpSource({ url: location, cacheDir, logger: io.logger.child({ component: 'advisory-http' }) });
  }
  const resolved = path.resolve(io.cwd, location);
  return location.endsWith('.zip') ? new OsvZipSource(resolved) : new OsvDirectorySource(resolved);
}

function renderTable(report: ProposeReport): string {
  const rows = [['POLICY', 'KEY', 'ACTION', 'BRANCH', 'ADVISORIES', 'HOSTS', 'PR']];
  for (const p of report.proposals)
    rows.push([
      p.policy,
      p.key,
      p.action,
      p.branch,
      String(p.advisories.length),
      String(p.hosts.length),
      p.pullRequest?.url ?? p.pullRequest?.id ?? '-',
    ]);
  for (const c of report.closed) rows.push([c.policy, c.key, `closed (${c.reason})`, '-', '-', '-', c.pullRequest]);
  for (const d of report.declined) rows.push([d.policy, d.key, d.reconsidered ? 'reconsidered' : 'declined', '-', '-', '-', d.pullRequest]);
  for (const pin of report.pins) rows.push(['(host key)', pin.host, pin.action, pin.branch, '-', '1', pin.pullRequest ?? '-']);
  const lines = formatColumns(rows.map((row) => row.map(terminalSafe)));
  for (const problem of report.problems) lines.push(`problem: ${terminalSafe(problem)}`);
  return `${lines.join('\n')}\n`;
}

function renderDryRun(report: ProposeReport): string {
  const out: string[] = [];
  for (const p of report.proposals) {
    out.push(`=== ${p.policy} ${p.key}: ${p.action} on branch ${p.branch}`, '', `title: ${p.title}`, '');
    for (const file of p.files) out.push(unifiedDiff(file.path, file.before, file.after));
    out.push('--- body ---', p.body, '');
  }
  for (const c of report.closed) out.push(`=== would close ${c.pullRequest} (${c.policy} ${c.key}: ${c.reason})`);
  for (const pin of report.pins) {
    out.push(`=== pin ${pin.host}: ${pin.action} on branch ${pin.branch}`, '', `title: ${pin.title}`, '');
    for (const file of pin.files) out.push(unifiedDiff(file.path, file.before, file.after));
    out.push('--- body ---', pin.body, '');
  }
  if (report.proposals.length === 0 && report.pins.length === 0) out.push('nothing to propose');
  return `${out.join('\n')}\n`;
}

async function run(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      policy: { type: 'string', short: 'f' },
      advisories: { type: 'string', multiple: true },
      kev: { type: 'string' },
      inventory: { type: 'string' },
      forge: { type: 'string' },
      repository: { type: 'string' },
      'api-url': { type: 'string' },
      'token-file': { type: 'string' },
      'dry-run': { type: 'boolean' },
      output: { type: 'string', default: 'table' },
      now: { type: 'string' },
      state: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  if (values.policy === undefined) throw new UsageProblem('-f DIR is required');
  if (values.advisories === undefined) throw new UsageProblem('--advisories is required');
  const output = values.output ?? 'table';
  if (output !== 'table' && output !== 'json') throw new UsageProblem(`--output must be table or json, not '${output}'`);
  if (values.forge !== undefined && !(FORGE_KINDS as readonly string[]).includes(values.forge))
    throw new UsageProblem(`--forge must be gitea, github, gitlab or git, not '${values.forge}'`);
  const dryRun = values['dry-run'] === true;
  if (values.forge === undefined && !dryRun) throw new UsageProblem('give --forge (and its settings), or --dry-run to preview');
  const now = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(now.getTime())) throw new UsageProblem(`--now '${values.now}' is not a time`);

  const dir = path.resolve(io.cwd, values.policy);
  const stateDirectory = resolveStateDirectory(values.state, io.env, io.cwd, homedir());
  const policySet = await loadValidPolicySet(dir);
  const live =
    values.inventory !== undefined
      ? undefined
      : await collectLive(fleetHostsOf(policySet, dir), { concurrency: 50, timeoutSeconds: 60, namespace: 'default', stateDirectory }, io);
  const state = await readStateFacts(stateDirectory, live?.trustedOnFirstUse ?? [], values.state !== undefined, now);
  const inventory =
    live === undefined ? await readInventoryFiles([path.resolve(io.cwd, values.inventory as string)]) : [...live.inventory.items];
  const logger = io.logger.child({ component: 'propose' });
  const loaded = await loadAdvisoryIndex({
    sources: values.advisories.map((location) => sourceFor(location, io)),
    ...(values.kev === undefined ? {} : { knownExploited: new KevFileSource(path.resolve(io.cwd, values.kev), logger) }),
    schemeFor: versionSchemeFor,
    logger,
  });
  const workDir = values.forge === undefined ? undefined : await mkdtemp(path.join(tmpdir(), 'patchward-propose-'));
  try {
    const connection =
      values.forge === undefined || workDir === undefined
        ? undefined
        : await connectForge({
            kind: values.forge as ForgeSettings['kind'],
            ...(values.repository === undefined ? {} : { repository: values.repository }),
            ...(values['api-url'] === undefined ? {} : { apiUrl: values['api-url'] }),
            ...(values.forge === 'git'
              ? {}
              : {
                  token: await readForgeToken(
                    values['token-file'] === undefined ? undefined : path.resolve(io.cwd, values['token-file']),
                    io.env,
                  ),
                }),
            env: io.env,
            workDir,
            logger,
            ...(policySet.patchPolicies[0]?.resource.spec.pullRequests?.branchPrefix === undefined
              ? {}
              : { branchPrefix: policySet.patchPolicies[0].resource.spec.pullRequests.branchPrefix }),
          });
    const report = await runPropose(
      {
        policySet,
        repositoryPath: '',
        inventory,
        index: loaded.index,
        now,
        pins: state.pins,
        ...(state.halted === undefined ? {} : { halted: state.halted }),
      },
      {
        ...(connection === undefined ? {} : { forge: connection.forge, workspace: connection.workspace }),
        logger,
        dryRun,
        readLocal: (file) => readFile(path.join(dir, file), 'utf8'),
      },
    );
    if (output === 'json') io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else io.stdout.write(dryRun ? renderDryRun(report) : renderTable(report));
    return report.problems.length > 0 ? EXIT.findings : EXIT.ok;
  } finally {
    if (workDir !== undefined) await rm(workDir, { recursive: true, force: true });
  }
}

export const proposeCommand: Command = {
  name: 'propose',
  summary: 'propose fixes for new advisories as pull requests that approve them in the baseline',
  usage: USAGE,
  run,
};
