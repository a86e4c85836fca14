/** Fleet checks the schema cannot express: unique host names, complete SSH settings, jump hosts. */
import { resolveFleetHosts, type ResolvedHost } from './fleet-hosts.js';
import type { Fleet } from './generated/kinds.js';
import { problemAt, locationText } from './document-problem.js';
import { hostKeyProblem } from './host-key.js';
import { parseReleaseKey } from './os-release.js';
import { PROBLEM_CODES, type Problem } from './problem.js';
import type { CheckedDocument } from './validate-policy-set.js';

export interface HostEntry {
  readonly host: ResolvedHost;
  readonly document: CheckedDocument<Fleet>;
}

function sshProblems(entry: HostEntry): Problem[] {
  const { host, document } = entry;
  const path = ['spec', 'hosts', host.index];
  const problems: Problem[] = [];
  if (host.ssh.user === undefined) {
    problems.push(
      problemAt(
        document,
        [...path, 'name'],
        PROBLEM_CODES.sshIncomplete,
        `host ${host.name} has no SSH user: set spec.defaults.ssh.user or ssh.user on the host`,
      ),
    );
  }
  if (host.ssh.keyRef === undefined) {
    problems.push(
      problemAt(
        document,
        [...path, 'name'],
        PROBLEM_CODES.sshIncomplete,
        `host ${host.name} has no SSH key: set spec.defaults.ssh.keyRef or ssh.keyRef on the host`,
      ),
    );
  }
  if (host.ssh.hostKeys.length === 0 && !host.ssh.trustOnFirstUse) {
    problems.push(
      problemAt(
        document,
        [...path, 'name'],
        PROBLEM_CODES.sshIncomplete,
        `host ${host.name} has no pinned host keys: list ssh.hostKeys, or set ssh.trustOnFirstUse: true to pin the first key seen`,
      ),
    );
  }
  const ownKeys = document.resource.spec.hosts[host.index]?.ssh?.hostKeys !== undefined;
  host.ssh.hostKeys.forEach((key, index) => {
    const problem = hostKeyProblem(key);
    if (problem === undefined) return;
    problems.push(
      problemAt(
        document,
        ownKeys ? [...path, 'ssh', 'hostKeys', index] : ['spec', 'defaults', 'ssh', 'hostKeys', index],
        PROBLEM_CODES.schema,
        `host key of ${host.name} is not a valid key: ${problem}`,
      ),
    );
  });
  const os = host.labels['os'];
  if (os !== undefined && parseReleaseKey(os) === undefined) {
    const own = document.resource.spec.hosts[host.index]?.labels?.['os'] !== undefined;
    problems.push(
      problemAt(
        document,
        own ? [...path, 'labels', 'os'] : ['spec', 'defaults', 'labels', 'os'],
        PROBLEM_CODES.unknownRelease,
        `label os=${os} is not a known OS release key (such as debian-12, ubuntu-24.04, rocky-9)`,
        'warning',
      ),
    );
  }
  return problems;
}

/** Checks every fleet and returns the resolved hosts for the selection checks. */
export function checkFleets(fleets: readonly CheckedDocument<Fleet>[]): { problems: Problem[]; hosts: HostEntry[] } {
  const problems: Problem[] = [];
  const hosts: HostEntry[] = [];
  const byName = new Map<string, HostEntry>();
  for (const document of fleets) {
    const resolved = resolveFleetHosts(document.resource);
    const local = new Map(resolved.map((host) => [host.name, host]));
    for (const host of resolved) {
      const entry = { host, document };
      const first = byName.get(host.name);
      if (first !== undefined) {
        problems.push(
          problemAt(
            document,
            ['spec', 'hosts', host.index, 'name'],
            PROBLEM_CODES.duplicateName,
            `host name ${host.name} is already used at ${locationText(first.document, ['spec', 'hosts', first.host.index, 'name'])}; host names are unique across fleets`,
          ),
        );
        continue;
      }
      byName.set(host.name, entry);
      hosts.push(entry);
      problems.push(...sshProblems(entry));
    }
    for (const host of resolved) {
      const jump = host.ssh.jumpHost;
      if (jump === undefined) continue;
      const ownJump = document.resource.spec.hosts[host.index]?.ssh?.jumpHost !== undefined;
      const jumpPath = ownJump ? ['spec', 'hosts', host.index, 'ssh', 'jumpHost'] : ['spec', 'defaults', 'ssh', 'jumpHost'];
      if (!local.has(jump)) {
        problems.push(
          problemAt(document, jumpPath, PROBLEM_CODES.danglingReference, `jump host ${jump} is not a host of fleet ${document.name}`),
        );
        continue;
      }
      if (jump === host.name) {
        if (ownJump)
          problems.push(problemAt(document, jumpPath, PROBLEM_CODES.jumpHostCycle, `host ${host.name} cannot be its own jump host`));
        continue;
      }
      const seen = new Set([host.name]);
      for (let next: string | undefined = jump; next !== undefined; next = local.get(next)?.ssh.jumpHost) {
        if (seen.has(next)) {
          problems.push(
            problemAt(
              document,
              jumpPath,
              PROBLEM_CODES.jumpHostCycle,
              `jump hosts of ${host.name} form a loop: ${[...seen, next].join(' -> ')}`,
            ),
          );
          break;
        }
        seen.add(next);
        if (next === local.get(next)?.ssh.jumpHost) break;
      }
    }
  }
  return { problems, hosts };
}
