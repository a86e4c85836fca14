import type { PackageDbProblem } from '../../../core/inventory/host-inventory.js';
import { newestKernelRelease } from '../../../core/inventory/kernel-release.js';
import type { Section } from '../facts-script.js';
import type { FamilyFacts } from '../family-facts.js';
import { bootIdOf, firstLines, kernelReboot } from '../family-facts.js';
import { parseDnfCheckUpdate, parseRepoqueryAvailable, parseRpmQa, rpmKernelReleases } from './rpm-parse.js';
import { keepStrings } from '../string-pool.js';
import { interpretNeedsRestarting } from './needs-restarting.js';

/** Turns the dnf/rpm sections of the facts invocation into facts. Pure. */
export function interpretDnfSections(
  sections: ReadonlyMap<string, Section>,
  stderr: string,
  runningKernel: string,
  wantPending: boolean,
  intern: (value: string) => string = keepStrings,
): FamilyFacts {
  const warnings: string[] = [];
  const problems: PackageDbProblem[] = [];
  const listing = sections.get('packages');
  const parsed = parseRpmQa(listing?.body ?? '', intern);
  const rpmErrors = stderr.split('\n').filter((line) => /^error:|rpmdb|BDB\d+|sqlite/i.test(line));
  if (listing?.rc !== '0' || rpmErrors.length > 0) {
    problems.push({
      kind: 'rpmdb-error',
      path: '/var/lib/rpm',
      detail: `rpm -qa exit ${listing?.rc ?? 'none'}: ${firstLines(rpmErrors.join('\n') || stderr)}`,
    });
  }
  if (parsed.malformedLines > 0) warnings.push(`${parsed.malformedLines} unreadable rpm -qa lines`);
  for (const path of (sections.get('locks')?.body ?? '').split('\n').filter((line) => line !== '')) {
    problems.push({ kind: 'lock-held', path, detail: `${path} is locked by another process (rpm or dnf running)` });
  }

  const newestInstalled = newestKernelRelease(rpmKernelReleases(parsed.packages));
  const reasons: string[] = [];
  // Not a RHEL convention, but packages (and the sandbox's test kernel) may write it there too.
  const [flag, ...rebootPackages] = (sections.get('reboot-file')?.body ?? '').split('\n').filter((line) => line !== '');
  if (flag === 'required') reasons.push('reboot-required file');
  const verdict = interpretNeedsRestarting(sections.get('reboot'));
  if (verdict.reason !== undefined) reasons.push(verdict.reason);
  if (verdict.warning !== undefined) warnings.push(verdict.warning);
  reasons.push(...kernelReboot(runningKernel, newestInstalled));

  let pendingUpgrades;
  if (wantPending) {
    const pending = sections.get('pending');
    if (pending?.rc === '0') pendingUpgrades = [];
    else if (pending?.rc === '100') pendingUpgrades = parseDnfCheckUpdate(pending.body);
    else
      warnings.push(`dnf check-update failed (exit ${pending?.rc ?? 'none'}; no metadata cache? try --refresh); pending upgrades unknown`);
  }
  const refresh = sections.get('refresh');
  if (refresh !== undefined && refresh.rc !== '0')
    warnings.push(`dnf makecache failed (exit ${refresh.rc ?? 'none'}${refresh.rc === '124' ? ', timed out' : ''})`);
  const repoquery = sections.get('available');
  let available;
  if (repoquery !== undefined) {
    if (repoquery.rc === '0') available = parseRepoqueryAvailable(repoquery.body, parsed.packages, intern);
    else
      warnings.push(`dnf repoquery failed (exit ${repoquery.rc ?? 'none'}; no metadata cache? try --refresh); available versions unknown`);
  }

  return {
    arch: (sections.get('arch')?.body ?? '').trim() || 'unknown',
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
