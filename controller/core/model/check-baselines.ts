/** Baseline and hold checks: release keys, package names and versions in the OS family's grammar. */
import type { VersionSchemeId } from '../../ports/version-scheme.js';
import { versionProblem, versionSchemeFor } from '../version/index.js';
import { problemAt } from './document-problem.js';
import type { Approval, PackageHold, PatchBaseline } from './generated/kinds.js';
import { parseReleaseKey } from './os-release.js';
import { PROBLEM_CODES, type Problem } from './problem.js';
import type { CheckedDocument } from './validate-policy-set.js';
import type { PathSegment } from './yaml-source.js';
import { untilEnd } from './hold-terms.js';

const SCHEME_NAMES: Readonly<Record<VersionSchemeId, string>> = { dpkg: 'Debian/Ubuntu (dpkg)', rpm: 'RHEL-family (rpm)' };

function releaseProblem(document: CheckedDocument, path: readonly PathSegment[], release: string): Problem {
  return problemAt(
    document,
    path,
    PROBLEM_CODES.unknownRelease,
    `${release} is not a known OS release key; use <os-release ID>-<VERSION_ID> such as debian-12, ubuntu-24.04 or rocky-9 (RHEL-likes by major version only)`,
  );
}

/** A glob is checked as a name by letting each wildcard stand for one allowed character. */
function globAsName(glob: string): string {
  return glob.replace(/[*?]/g, 'a');
}

function isExpired(until: string, now: Date): boolean {
  const end = untilEnd(until);
  return !Number.isNaN(end) && end < now.getTime();
}

/** Checks holds of a baseline or a policy, found at `basePath` (e.g. ['spec', 'holds']). */
export function checkHolds(
  document: CheckedDocument,
  holds: readonly PackageHold[],
  basePath: readonly PathSegment[],
  now: Date,
): Problem[] {
  const problems: Problem[] = [];
  holds.forEach((hold, index) => {
    const path = [...basePath, index];
    const schemes = new Set<VersionSchemeId>();
    (hold.releases ?? []).forEach((release, releaseIndex) => {
      const parsed = parseReleaseKey(release);
      if (parsed === undefined) problems.push(releaseProblem(document, [...path, 'releases', releaseIndex], release));
      else schemes.add(parsed.scheme);
    });
    const candidates: VersionSchemeId[] = schemes.size > 0 ? [...schemes] : ['dpkg', 'rpm'];
    const name = globAsName(hold.package);
    const validIn = candidates.filter((id) => versionSchemeFor(id).isValidPackageName(name));
    if (schemes.size > 0 ? validIn.length < candidates.length : validIn.length === 0) {
      const which = schemes.size > 0 ? candidates.map((id) => SCHEME_NAMES[id]).join(' and ') : 'any supported OS family';
      problems.push(
        problemAt(
          document,
          [...path, 'package'],
          PROBLEM_CODES.invalidPackageName,
          `${JSON.stringify(hold.package)} is not a valid package name or glob for ${which}`,
        ),
      );
    }
    if (hold.until !== undefined && isExpired(hold.until, now)) {
      problems.push(
        problemAt(
          document,
          [...path, 'until'],
          PROBLEM_CODES.expired,
          `hold expired on ${hold.until}; it no longer applies and can be removed`,
          'warning',
        ),
      );
    }
  });
  return problems;
}

/**
 * `removes` of one approval: release keys known, names valid binary package names of every release
 * the removal applies to (its own `releases`, else the releases the approval names), no duplicates.
 */
function checkRemovals(document: CheckedDocument, approval: Approval, path: readonly PathSegment[]): Problem[] {
  const problems: Problem[] = [];
  const approvalSchemes = new Set<VersionSchemeId>();
  for (const entry of approval.packages) {
    const parsed = parseReleaseKey(entry.release);
    if (parsed !== undefined) approvalSchemes.add(parsed.scheme);
  }
  const seen = new Map<string, number>();
  (approval.removes ?? []).forEach((removal, index) => {
    const removalPath = [...path, 'removes', index];
    const first = seen.get(removal.name);
    if (first !== undefined) {
      problems.push(
        problemAt(
          document,
          [...removalPath, 'name'],
          PROBLEM_CODES.duplicateEntry,
          `${removal.name} is already listed in removes[${first}]`,
        ),
      );
    } else seen.set(removal.name, index);
    const schemes = new Set<VersionSchemeId>();
    (removal.releases ?? []).forEach((release, releaseIndex) => {
      const parsed = parseReleaseKey(release);
      if (parsed === undefined) problems.push(releaseProblem(document, [...removalPath, 'releases', releaseIndex], release));
      else schemes.add(parsed.scheme);
    });
    const candidates = [...(removal.releases === undefined ? approvalSchemes : schemes)];
    const invalidIn = candidates.filter((id) => !versionSchemeFor(id).isValidPackageName(removal.name));
    if (invalidIn.length > 0) {
      problems.push(
        problemAt(
          document,
          [...removalPath, 'name'],
          PROBLEM_CODES.invalidPackageName,
          `${JSON.stringify(removal.name)} is not a valid ${invalidIn.map((id) => SCHEME_NAMES[id]).join(' and ')} package name`,
        ),
      );
    }
  });
  return problems;
}

function checkBaseline(document: CheckedDocument<PatchBaseline>, now: Date): Problem[] {
  const problems: Problem[] = [];
  const seenAdvisories = new Map<string, number>();
  (document.resource.spec.approvals ?? []).forEach((approval, index) => {
    const path = ['spec', 'approvals', index];
    const first = seenAdvisories.get(approval.advisory);
    if (first !== undefined) {
      problems.push(
        problemAt(
          document,
          [...path, 'advisory'],
          PROBLEM_CODES.duplicateEntry,
          `advisory ${approval.advisory} is already approved in spec.approvals[${first}]`,
        ),
      );
    } else seenAdvisories.set(approval.advisory, index);
    const seenPackages = new Map<string, number>();
    approval.packages.forEach((entry, packageIndex) => {
      const packagePath = [...path, 'packages', packageIndex];
      const key = `${entry.release}\u0000${entry.name}`;
      const firstPackage = seenPackages.get(key);
      if (firstPackage !== undefined) {
        problems.push(
          problemAt(
            document,
            [...packagePath, 'name'],
            PROBLEM_CODES.duplicateEntry,
            `${entry.name} on ${entry.release} is already listed in packages[${firstPackage}]`,
          ),
        );
      } else seenPackages.set(key, packageIndex);
      const release = parseReleaseKey(entry.release);
      if (release === undefined) {
        problems.push(releaseProblem(document, [...packagePath, 'release'], entry.release));
        return;
      }
      const scheme = versionSchemeFor(release.scheme);
      if (!scheme.isValidPackageName(entry.name)) {
        problems.push(
          problemAt(
            document,
            [...packagePath, 'name'],
            PROBLEM_CODES.invalidPackageName,
            `${JSON.stringify(entry.name)} is not a valid ${SCHEME_NAMES[release.scheme]} package name`,
          ),
        );
      }
      const reason = versionProblem(release.scheme, entry.minVersion);
      if (reason !== undefined) {
        problems.push(
          problemAt(
            document,
            [...packagePath, 'minVersion'],
            PROBLEM_CODES.invalidVersion,
            `${JSON.stringify(entry.minVersion)} is not a valid ${SCHEME_NAMES[release.scheme]} version: ${reason}`,
          ),
        );
      }
    });
    problems.push(...checkRemovals(document, approval, path));
  });
  problems.push(...checkHolds(document, document.resource.spec.holds ?? [], ['spec', 'holds'], now));
  return problems;
}

export function checkBaselines(baselines: readonly CheckedDocument<PatchBaseline>[], now: Date): Problem[] {
  return baselines.flatMap((document) => checkBaseline(document, now));
}
