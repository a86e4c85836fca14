import { parseOsRelease } from '../../core/inventory/os-release.js';
import { ExternalError } from '../../errors.js';
import type { FactsOptions, HostFacts, PackageManagerId } from '../../ports/package-manager.js';
import type { CommandResult, Transport } from '../../ports/transport.js';
import { interpretAptSections } from './apt/apt-facts.js';
import { interpretDnfSections } from './dnf/dnf-facts.js';
import { factsAfterArgv, factsArgv, type FactsScriptOptions, parseSections, type Section } from './facts-script.js';
import { keepStrings, type StringPool } from './string-pool.js';

/** Codes this module throws as `ExternalError('host', code)`. */
export const FACTS_ERROR_CODES = {
  unsupportedOs: 'UnsupportedOs',
  noPackageManager: 'NoPackageManager',
  factsFailed: 'FactsFailed',
} as const;

type CollectOptions = FactsOptions & { readonly packageManager?: PackageManagerId; readonly strings?: StringPool };

function scriptOptions(options: CollectOptions): FactsScriptOptions {
  return {
    pendingUpgrades: options.pendingUpgrades,
    refresh: options.refresh,
    availableVersions: options.availableVersions === true,
    ...(options.refreshTimeoutSeconds === undefined ? {} : { refreshTimeoutSeconds: options.refreshTimeoutSeconds }),
    ...(options.lockWaitSeconds === undefined ? {} : { lockWaitSeconds: options.lockWaitSeconds }),
    ...(options.packageManager === undefined ? {} : { packageManager: options.packageManager }),
  };
}

/**
 * Gathers a host's facts in ONE remote invocation. `packageManager` forces apt or dnf; without it
 * the host decides from os-release (ID/ID_LIKE), so one call serves a mixed fleet.
 */
export async function collectHostFacts(transport: Transport, options: CollectOptions): Promise<HostFacts> {
  const result = await transport.run(factsArgv(scriptOptions(options)), { timeoutMs: options.timeoutMs, sudo: options.sudo });
  return interpretFacts(transport.host, result, parseSections(result.stdout), options);
}

/** What `runThenCollectFacts` returns: the command's own result, and the facts read right after it. */
export interface CommandThenFacts {
  /** The command's exit code and its output (stdout and stderr together, in `stdout`). */
  readonly command: CommandResult;
  /** Undefined when the facts after the command could not be read (the caller asks the host again). */
  readonly facts: HostFacts | undefined;
}

/**
 * Runs `command` on the host and gathers the facts right after it, in ONE remote invocation (an
 * install and the reading of what it left). A command cut off before its exit code was recorded
 * counts as exit -1. `reply` converses with the command (the gated install's verdict, on its fd 3).
 */
export async function runThenCollectFacts(
  transport: Transport,
  command: readonly string[],
  options: CollectOptions,
  reply?: (stdoutSoFar: string) => string | undefined,
): Promise<CommandThenFacts> {
  const result = await transport.run(factsAfterArgv(command, scriptOptions(options)), {
    timeoutMs: options.timeoutMs,
    sudo: options.sudo,
    ...(reply === undefined ? {} : { reply }),
  });
  const sections = parseSections(result.stdout);
  const section = sections.get('command');
  const code = Number(section?.rc ?? Number.NaN);
  const commandResult: CommandResult = {
    exitCode: result.exitCode !== 0 || !Number.isInteger(code) ? -1 : code,
    stdout: section?.body ?? '',
    stderr: result.exitCode !== 0 ? result.stderr : '',
    durationMs: result.durationMs,
  };
  let facts: HostFacts | undefined;
  try {
    facts = interpretFacts(transport.host, result, sections, options);
  } catch {
    facts = undefined;
  }
  return { command: commandResult, facts };
}

function interpretFacts(host: string, result: CommandResult, sections: ReadonlyMap<string, Section>, options: CollectOptions): HostFacts {
  const context = { host, exitCode: result.exitCode };
  if (result.exitCode !== 0) {
    throw new ExternalError(
      'host',
      FACTS_ERROR_CODES.factsFailed,
      `facts script exited ${result.exitCode}: ${result.stderr.trim().slice(0, 300)}`,
      { context },
    );
  }
  const os = parseOsRelease(sections.get('os-release')?.body ?? '');
  if (!os.ok) throw new ExternalError('host', FACTS_ERROR_CODES.unsupportedOs, os.error, { context });
  // The running kernel's release (/proc/sys/kernel/osrelease, as `uname -r`), first word of the section.
  const [runningKernel = ''] = (sections.get('uname')?.body ?? '').trim().split(/\s+/);
  const pm = (sections.get('pm')?.body ?? '').trim();
  const wantPending = options.pendingUpgrades;
  const intern = options.strings === undefined ? keepStrings : (value: string) => (options.strings as StringPool).intern(value);
  if (pm === 'apt')
    return {
      os: os.value,
      packageManager: 'apt',
      ...interpretAptSections(sections, result.stderr, runningKernel.trim(), wantPending, intern),
    };
  if (pm === 'dnf')
    return {
      os: os.value,
      packageManager: 'dnf',
      ...interpretDnfSections(sections, result.stderr, runningKernel.trim(), wantPending, intern),
    };
  throw new ExternalError('host', FACTS_ERROR_CODES.noPackageManager, `${os.value.release}: neither dpkg-query nor rpm found`, { context });
}
