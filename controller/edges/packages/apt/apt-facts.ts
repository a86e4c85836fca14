import type { PackageDbProblem } from '../../../core/inventory/host-inventory.js';
import { newestKernelRelease } from '../../../core/inventory/kernel-release.js';
import type { Section } from '../facts-script.js';
import type { FamilyFacts } from '../family-facts.js';
import { bootIdOf, firstLines, kernelReboot } from '../family-facts.js';
import { dpkgKernelReleases, parseAptSimulate, parseDpkgQuery } from './dpkg-parse.js';
import { keepStrings } from '../string-pool.js';
import { parseAptAvailable } from './apt-available.js';

/** Turns the apt/dpkg sections of the facts invocation into facts. Pure. */
export function interpretAptSections(
  sections: ReadonlyMap<string, Section>,
  stderr: string,
  runningKernel: string,
  wantPending: boolean,
  intern: (value: string) => string = keepStrings,
): FamilyFacts {
  const warnings: string[] = [];
  const problems: PackageDbProblem[] = [];
  const listing = sections.get('packages');
  const parsed = parseDpkgQuery(listing?.body ?? '', intern);
  problems.push(...parsed.problems);
  if (listing?.rc !== '0') {
    problems.push({
      kind: 'other',
      path: '/var/lib/dpkg/status',
      detail: `dpkg-query failed (exit ${listing?.rc ?? 'none'}): ${firstLines(stderr)}`,
    });
  }
  if (parsed.malformedLines > 0) warnings.push(`${parsed.malformedLines} unreadable dpkg-query lines`);
  for (const path of (sections.get('locks')?.body ?? '').split('\n').filter((line) => line !== '')) {
    problems.push({ kind: 'lock-held', path, detail: `${path} is locked by another process (apt or dpkg running)` });
  }

  const [flag, ...rebootPackages] = (sections.get('reboot')?.body ?? '').split('\n').filter((line) => line !== '');
  const newestInstalled = newestKernelRelease(dpkgKernelReleases(parsed.packages));
  const reasons: string[] = [];
  if (flag === 'required') reasons.push('reboot-required file');
  reasons.push(...kernelReboot(runningKernel, newestInstalled));

  let pendingUpgrades;
  if (wantPending) {
    const pending = sections.get('pending');
    if (pending?.rc === '0') pendingUpgrades = parseAptSimulate(pending.body);
    else warnings.push(`apt-get -s dist-upgrade failed (exit ${pending?.rc ?? 'none'}); pending upgrades unknown`);
  }
  const refresh = sections.get('refresh');
  if (refresh !== undefined && refresh.rc !== '0')
    warnings.push(`apt-get update failed (exit ${refresh.rc ?? 'none'}${refresh.rc === '124' ? ', timed out' : ''})`);
  const listed = sections.get('available');
  let available;
  if (listed !== undefined) {
    if (listed.rc === undefined) warnings.push('available versions cut off; unknown');
    else available = parseAptAvailable(listed.body, parsed.packages, intern);
  }

  return {
    // dpkg's native architecture is the one its own package is built for (no `dpkg --print-architecture` run).
    arch: (sections.get('arch')?.body ?? '').trim() || parsed.packages.find((pkg) => pkg.name === 'dpkg')?.arch || 'unknown',
    kernel: { running: runningKernel, ...(newestInstalled === undefined ? {} : { newestInstalled }) },
    packages: parsed.packages,
    reboot: { required: reasons.length > 0, reasons, ...(rebootPackages.length > 0 ? { packages: rebootPackages } : {}) },
    ...(pendingUpgrades === undefined ? {} : { pendingUpgrades }),
    ...(available === undefined ? {} : { available }),
    bootId: bootIdOf(sections, warnings),
    ...(refresh === undefined ? {} : { metadataRefreshed: refresh.rc === '0' }),
    packageDb: { healthy: problems.length === 0, problems },
    warnings,
  };
}
