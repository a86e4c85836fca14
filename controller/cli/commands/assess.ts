import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Command, CommandIo } from '../command.js';
import { EXIT } from '../command.js';
import { collectLive, fleetHostsOf, loadValidPolicyFile, loadValidPolicySet } from '../fleet-source.js';
import { readInventoryFiles } from '../inventory-files.js';
import { numberInRange, OPTION_RANGES } from '../options.js';
import { resolveStateDirectory } from '../../config/state-dir.js';
import { InvalidInputError, UsageError } from '../../errors.js';
import { ADVISORY_STREAMS, type AdvisoryStream } from '../../core/advisory/ecosystem.js';
import { SEVERITY_RANK, isSeverity } from '../../core/advisory/severity.js';
import { assess, type FleetAssessment } from '../../core/assess/index.js';
import type { BaselineApprovals } from '../../core/assess/baseline.js';
import { renderCsv } from '../../core/assess/report-csv.js';
import { toReport } from '../../core/assess/report-json.js';
import { renderTable } from '../../core/assess/report-table.js';
import type { HostInventory } from '../../core/inventory/host-inventory.js';
import { versionSchemeFor } from '../../core/version/index.js';
import { OsvDirectorySource } from '../../edges/advisory/directory-source.js';
import { DEFAULT_FEED_READ_TIMEOUT_MS, DEFAULT_FEED_TIMEOUT_MS, OsvHttpSource } from '../../edges/advisory/http-source.js';
import { KevFileSource } from '../../edges/advisory/kev-file-source.js';
import { loadAdvisoryIndex } from '../../edges/advisory/load-index.js';
import { OsvZipSource } from '../../edges/advisory/zip-source.js';
import { type ReadLimits, readLimitsFrom } from '../../edges/io/bounded-read.js';
import type { AdvisorySource } from '../../ports/advisory-source.js';

const USAGE = `usage: patchward assess (--inventory FILE|DIR... | -f POLICY_DIR) --advisories DIR|ZIP|URL... [options]

  --inventory FILE|DIR   HostInventory / HostInventoryList JSON; a directory means every *.json in it (repeatable)
  -f, --policy DIR       a live fleet instead: inventory every Fleet host of this policy repository over
                         SSH first (as 'patchward inventory -f DIR'); its PatchBaseline is used when the
                         repository has exactly one and --baseline is not given
  --concurrency N        with -f: hosts inventoried at once (default 50)
  --timeout S            with -f: per-host deadline in seconds (default 60)
  --state DIR            with -f: state directory where host keys trusted on first use are recorded and
                         pinned (default $XDG_STATE_HOME/patchward, else ~/.local/state/patchward)
  --advisories DIR|ZIP|URL  OSV records: a directory of *.json, a .zip archive, or an http(s) URL of a zip
                         archive cached under --cache-dir (repeatable)
  --kev FILE             known-exploited catalogue in the CISA KEV JSON format
  --baseline FILE        a PatchBaseline document (YAML) for approvals and holds, validated as by 'patchward validate'
  --output table|json|csv   default table
  --fail-on SEVERITY     exit 1 when a host misses an available, unheld fix rated SEVERITY or higher
                         (none|low|medium|high|critical), or known-exploited
  --streams LIST         advisory streams that apply, comma-separated (standard,pro,fips,fips-updates,
                         fips-preview); default standard: Ubuntu Pro/ESM and FIPS-only fixes are ignored
  --cache-dir DIR        cache for --advisories URLs (default $XDG_CACHE_HOME/patchward or ~/.cache/patchward)
  --feed-timeout S       whole download of an --advisories URL, in seconds (default 600)
  --feed-read-timeout S  longest wait for the next piece of a download, in seconds (default 30)
  --allow-redirect HOST  a feed may redirect to HOST (repeatable); other hosts are refused
  --limit NAME=SIZE      raise or lower a per-read cap (repeatable), e.g. --limit http-body=2GiB;
                         names and defaults in docs/limits.md
  --now RFC3339          the time holds are judged at (default: the current time)
`;

class UsageProblem extends UsageError {}
/** An input file that cannot be used (named, with its location); reported without the usage text. */
class InputProblem extends InvalidInputError {}

/** The one PatchBaseline of a validated policy file. */
async function readBaseline(file: string, now: Date): Promise<BaselineApprovals> {
  const { patchBaselines } = await loadValidPolicyFile(file, now);
  const [only, ...more] = patchBaselines;
  if (only === undefined || more.length > 0)
    throw new InputProblem(`${file}: expected exactly one PatchBaseline document, found ${patchBaselines.length}`);
  return only.resource.spec as BaselineApprovals;
}

function rangedOption(
  raw: string | undefined,
  fallback: number,
  flag: string,
  range: { min: number; max: number; integer?: boolean },
): number {
  const value = numberInRange(raw, fallback, flag, range);
  if (typeof value === 'string') throw new UsageProblem(value);
  return value;
}

/** `-f DIR`: the repository's hosts inventoried now over SSH, and its baseline when there is one. */
async function liveFleet(
  dir: string,
  settings: { concurrency: number; timeoutSeconds: number; stateDirectory: string },
  io: CommandIo,
): Promise<{ hosts: HostInventory[]; baseline?: BaselineApprovals }> {
  const policySet = await loadValidPolicySet(dir);
  const { inventory } = await collectLive(fleetHostsOf(policySet, dir), { ...settings, namespace: 'default' }, io);
  for (const host of inventory.items)
    if (host.status !== 'ok') io.stderr.write(`patchward assess: ${host.host}: ${host.status}: ${host.reason ?? ''}\n`);
  const only = policySet.patchBaselines.length === 1 ? policySet.patchBaselines[0] : undefined;
  return { hosts: [...inventory.items], ...(only === undefined ? {} : { baseline: only.resource.spec as BaselineApprovals }) };
}

interface FeedSettings {
  readonly cacheDir: string;
  readonly limits: ReadLimits;
  readonly timeoutMs: number;
  readonly readTimeoutMs: number;
  readonly allowedRedirectHosts: readonly string[];
}

function sourceFor(location: string, feed: FeedSettings, io: CommandIo): AdvisorySource {
  if (/^https?:\/\//i.test(location))
    return new OsvHttpSource({
      url: location,
      cacheDir: feed.cacheDir,
      limits: feed.limits,
      timeoutMs: feed.timeoutMs,
      readTimeoutMs: feed.readTimeoutMs,
      allowedRedirectHosts: feed.allowedRedirectHosts,
      logger: io.logger.child({ component: 'advisory-http' }),
    });
  const resolved = path.resolve(io.cwd, location);
  return location.endsWith('.zip') ? new OsvZipSource(resolved, feed.limits) : new OsvDirectorySource(resolved, feed.limits);
}

function failsOn(assessment: FleetAssessment, threshold: string): boolean {
  for (const host of assessment.hosts) {
    for (const finding of host.result?.findings ?? []) {
      if (finding.unfixed || finding.heldReason !== undefined) continue;
      if (
        threshold === 'known-exploited'
          ? finding.knownExploited
          : finding.severity !== undefined && isSeverity(threshold) && SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[threshold]
      )
        return true;
    }
  }
  return false;
}

function parseStreams(value: string | undefined): AdvisoryStream[] {
  if (value === undefined) return ['standard'];
  const streams = value.split(',').map((item) => item.trim());
  for (const stream of streams)
    if (!(ADVISORY_STREAMS as readonly string[]).includes(stream)) throw new UsageProblem(`unknown stream '${stream}'`);
  return streams as AdvisoryStream[];
}

async function run(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      inventory: { type: 'string', multiple: true },
      policy: { type: 'string', short: 'f' },
      concurrency: { type: 'string', default: '50' },
      timeout: { type: 'string', default: '60' },
      state: { type: 'string' },
      advisories: { type: 'string', multiple: true },
      kev: { type: 'string' },
      baseline: { type: 'string' },
      output: { type: 'string', default: 'table' },
      'fail-on': { type: 'string' },
      streams: { type: 'string' },
      'cache-dir': { type: 'string' },
      'feed-timeout': { type: 'string' },
      'feed-read-timeout': { type: 'string' },
      'allow-redirect': { type: 'string', multiple: true },
      limit: { type: 'string', multiple: true },
      now: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    io.stdout.write(USAGE);
    return EXIT.ok;
  }
  if ((values.inventory === undefined) === (values.policy === undefined))
    throw new UsageProblem('give either --inventory or -f POLICY_DIR');
  if (values.advisories === undefined) throw new UsageProblem('--advisories is required');
  const output = values.output ?? 'table';
  if (!['table', 'json', 'csv'].includes(output)) throw new UsageProblem(`--output must be table, json or csv, not '${output}'`);
  const failOn = values['fail-on'];
  if (failOn !== undefined && failOn !== 'known-exploited' && !isSeverity(failOn))
    throw new UsageProblem(`--fail-on must be none, low, medium, high, critical or known-exploited, not '${failOn}'`);
  const now = values.now === undefined ? new Date() : new Date(values.now);
  if (Number.isNaN(now.getTime())) throw new UsageProblem(`--now '${values.now}' is not a time`);
  const streams = parseStreams(values.streams);
  const cacheDir = path.resolve(
    io.cwd,
    values['cache-dir'] ?? path.join(io.env['XDG_CACHE_HOME'] ?? path.join(io.env['HOME'] ?? io.cwd, '.cache'), 'patchward'),
  );
  const limits = readLimitsFrom(values.limit);
  if (typeof limits === 'string') throw new UsageProblem(limits);
  const seconds = { ...OPTION_RANGES.timeoutSeconds };
  const feed: FeedSettings = {
    cacheDir,
    limits,
    timeoutMs: rangedOption(values['feed-timeout'], DEFAULT_FEED_TIMEOUT_MS / 1000, '--feed-timeout', seconds) * 1000,
    readTimeoutMs: rangedOption(values['feed-read-timeout'], DEFAULT_FEED_READ_TIMEOUT_MS / 1000, '--feed-read-timeout', seconds) * 1000,
    allowedRedirectHosts: values['allow-redirect'] ?? [],
  };
  const collection = {
    concurrency: rangedOption(values.concurrency, 50, '--concurrency', { ...OPTION_RANGES.concurrency, integer: true }),
    timeoutSeconds: rangedOption(values.timeout, 60, '--timeout', seconds),
    stateDirectory: resolveStateDirectory(values.state, io.env, io.cwd, homedir()),
  };

  const live = values.policy === undefined ? undefined : await liveFleet(path.resolve(io.cwd, values.policy), collection, io);
  const fleet =
    live?.hosts ??
    (await readInventoryFiles(
      (values.inventory ?? []).map((item) => path.resolve(io.cwd, item)),
      limits,
    ));
  const baseline =
    values.baseline !== undefined ? await readBaseline(path.resolve(io.cwd, values.baseline), now) : (live?.baseline ?? { approvals: [] });
  const logger = io.logger.child({ component: 'assess' });
  const loaded = await loadAdvisoryIndex({
    sources: values.advisories.map((location) => sourceFor(location, feed, io)),
    ...(values.kev === undefined ? {} : { knownExploited: new KevFileSource(path.resolve(io.cwd, values.kev), logger, limits.kevFile) }),
    schemeFor: versionSchemeFor,
    logger,
  });
  const assessment = assess(fleet, loaded.index, baseline, { now, streams });
  for (const host of assessment.hosts) {
    for (const problem of host.result?.problems ?? [])
      logger.warn(
        { host: host.host, package: problem.package, version: problem.version, reason: problem.reason },
        'installed package not assessable',
      );
  }
  if (output === 'json') {
    const sources = loaded.batches.map((batch) => ({
      location: batch.location,
      revision: batch.revision,
      records: batch.recordCount,
      skipped: batch.skipped.length,
      stale: batch.stale,
    }));
    io.stdout.write(JSON.stringify(toReport(assessment, now, sources, loaded.knownExploited?.revision), null, 2) + '\n');
  } else if (output === 'csv') io.stdout.write(renderCsv(assessment));
  else io.stdout.write(renderTable(assessment));
  return failOn !== undefined && failsOn(assessment, failOn) ? EXIT.findings : EXIT.ok;
}

export const assessCommand: Command = {
  name: 'assess',
  summary: 'match host inventories against OSV advisories; table, JSON or CSV report',
  usage: USAGE,
  run,
};
