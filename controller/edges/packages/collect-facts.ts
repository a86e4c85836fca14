import { parseOsRelease } from '../../core/inventory/os-release.js';
import { ExternalError } from '../../errors.js';
import type { FactsOptions, HostFacts, PackageManagerId } from '../../ports/package-manager.js';
import type { Transport } from '../../ports/transport.js';
import { interpretAptSections } from './apt/apt-facts.js';
import { interpretDnfSections } from './dnf/dnf-facts.js';
import { factsArgv, parseSections } from './facts-script.js';
import { keepStrings, type StringPool } from './string-pool.js';

/** Codes this module throws as `ExternalError('host', code)`. */
export const FACTS_ERROR_CODES = {
  unsupportedOs: 'UnsupportedOs',
  noPackageManager: 'NoPackageManager',
  factsFailed: 'FactsFailed',
} as const;

/**
 * Gathers a host's facts in ONE remote invocation. `packageManager` forces apt or dnf; without it
 * the host decides from os-release (ID/ID_LIKE), so one call serves a mixed fleet.
 */
export async function collectHostFacts(
  transport: Transport,
  options: FactsOptions & { readonly packageManager?: PackageManagerId; readonly strings?: StringPool },
): Promise<HostFacts> {
  const result = await transport.run(
    factsArgv({
      pendingUpgrades: options.pendingUpgrades,
      refresh: options.refresh,
      availableVersions: options.availableVersions === true,
      ...(options.refreshTimeoutSeconds === undefined ? {} : { refreshTimeoutSeconds: options.refreshTimeoutSeconds }),
      ...(options.lockWaitSeconds === undefined ? {} : { lockWaitSeconds: options.lockWaitSeconds }),
      ...(options.packageManager === undefined ? {} : { packageManager: options.packageManager }),
    }),
    { timeoutMs: options.timeoutMs, sudo: options.sudo },
  );
  const context = { host: transport.host, exitCode: result.exitCode };
  if (result.exitCode !== 0) {
    throw new ExternalError(
      'host',
      FACTS_ERROR_CODES.factsFailed,
      `facts script exited ${result.exitCode}: ${result.stderr.trim().slice(0, 300)}`,
      { context },
    );
  }
  const sections = parseSections(result.stdout);
  const os = parseOsRelease(sections.get('os-release')?.body ?? '');
  if (!os.ok) throw new ExternalError('host', FACTS_ERROR_CODES.unsupportedOs, os.error, { context });
  const [runningKernel = ''] = (sections.get('uname')?.body ?? '').split('\n');
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
