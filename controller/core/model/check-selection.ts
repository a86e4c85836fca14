/** Rings and policies against windows, baselines and hosts: references, orders, who selects whom. */
import type { HostEntry } from './check-fleets.js';
import { checkHolds } from './check-baselines.js';
import { locationText, problemAt } from './document-problem.js';
import type { LabelSelector, MaintenanceWindow, PatchBaseline, PatchPolicy, Ring } from './generated/kinds.js';
import { PROBLEM_CODES, type Problem } from './problem.js';
import { matchesSelector, selectorProblems } from './selector.js';
import type { CheckedDocument } from './validate-policy-set.js';
import type { PathSegment } from './yaml-source.js';

export interface SelectionInput {
  readonly hosts: readonly HostEntry[];
  readonly windows: readonly CheckedDocument<MaintenanceWindow>[];
  readonly rings: readonly CheckedDocument<Ring>[];
  readonly policies: readonly CheckedDocument<PatchPolicy>[];
  readonly baselines: readonly CheckedDocument<PatchBaseline>[];
  readonly now: Date;
}

/** Checks a selector's form; returns the hosts it selects (undefined when the selector is malformed). */
function select(
  document: CheckedDocument,
  selector: LabelSelector,
  path: readonly PathSegment[],
  hosts: readonly HostEntry[],
  problems: Problem[],
  what: string,
): HostEntry[] | undefined {
  const malformed = selectorProblems(selector);
  for (const problem of malformed)
    problems.push(
      problemAt(document, [...path, 'matchExpressions', problem.index, 'values'], PROBLEM_CODES.invalidSelector, problem.message),
    );
  if (malformed.length > 0) return undefined;
  const selected = hosts.filter((entry) => matchesSelector(selector, entry.host.labels));
  if (selected.length === 0 && hosts.length > 0) {
    problems.push(problemAt(document, path, PROBLEM_CODES.selectorMatchesNothing, `${what} selects no host of any fleet`, 'warning'));
  }
  return selected;
}

function checkWindowRefs(
  document: CheckedDocument,
  names: readonly string[],
  path: readonly PathSegment[],
  windows: ReadonlySet<string>,
  problems: Problem[],
): void {
  names.forEach((name, index) => {
    if (!windows.has(name))
      problems.push(problemAt(document, [...path, index], PROBLEM_CODES.danglingReference, `MaintenanceWindow ${name} does not exist`));
  });
}

export function checkSelection(input: SelectionInput): Problem[] {
  const problems: Problem[] = [];
  const windowNames = new Set(input.windows.map((document) => document.name));
  const baselineNames = new Set(input.baselines.map((document) => document.name));

  const ringsByOrder = new Map<number, CheckedDocument<Ring>>();
  const ringOfHost = new Map<string, CheckedDocument<Ring>>();
  for (const ring of [...input.rings].sort((a, b) => a.resource.spec.order - b.resource.spec.order)) {
    const spec = ring.resource.spec;
    const sameOrder = ringsByOrder.get(spec.order);
    if (sameOrder !== undefined) {
      problems.push(
        problemAt(
          ring,
          ['spec', 'order'],
          PROBLEM_CODES.duplicateRingOrder,
          `order ${spec.order} is already used by Ring ${sameOrder.name} (${locationText(sameOrder, ['spec', 'order'])}); ring orders must be unique`,
        ),
      );
    } else ringsByOrder.set(spec.order, ring);
    checkWindowRefs(ring, spec.windows, ['spec', 'windows'], windowNames, problems);
    const names = new Set<string>();
    (spec.healthChecks ?? []).forEach((check, index) => {
      if (names.has(check.name))
        problems.push(
          problemAt(
            ring,
            ['spec', 'healthChecks', index, 'name'],
            PROBLEM_CODES.duplicateEntry,
            `health check ${check.name} is defined twice`,
          ),
        );
      names.add(check.name);
    });
    const selected = select(ring, spec.selector, ['spec', 'selector'], input.hosts, problems, `Ring ${ring.name}`);
    for (const entry of selected ?? []) {
      const other = ringOfHost.get(entry.host.name);
      if (other === undefined) ringOfHost.set(entry.host.name, ring);
      else {
        problems.push(
          problemAt(
            entry.document,
            ['spec', 'hosts', entry.host.index, 'name'],
            PROBLEM_CODES.hostInSeveralRings,
            `host ${entry.host.name} is selected by Ring ${other.name} and Ring ${ring.name}; a host belongs to exactly one ring`,
          ),
        );
      }
    }
  }
  if (input.rings.length > 0) {
    for (const entry of input.hosts) {
      if (!ringOfHost.has(entry.host.name)) {
        problems.push(
          problemAt(
            entry.document,
            ['spec', 'hosts', entry.host.index, 'name'],
            PROBLEM_CODES.hostWithoutRing,
            `host ${entry.host.name} is selected by no Ring, so it would never be patched`,
          ),
        );
      }
    }
  }

  const governed = new Set<string>();
  for (const policy of input.policies) {
    const spec = policy.resource.spec;
    if (!baselineNames.has(spec.baseline))
      problems.push(
        problemAt(policy, ['spec', 'baseline'], PROBLEM_CODES.danglingReference, `PatchBaseline ${spec.baseline} does not exist`),
      );
    checkWindowRefs(policy, spec.urgentLane?.windows ?? [], ['spec', 'urgentLane', 'windows'], windowNames, problems);
    for (const entry of select(policy, spec.selector, ['spec', 'selector'], input.hosts, problems, `PatchPolicy ${policy.name}`) ?? [])
      governed.add(entry.host.name);
    problems.push(...checkHolds(policy, spec.holds ?? [], ['spec', 'holds'], input.now));
    (spec.holds ?? []).forEach((hold, index) => {
      if (hold.hosts !== undefined)
        select(policy, hold.hosts, ['spec', 'holds', index, 'hosts'], input.hosts, problems, `hold of ${hold.package}`);
    });
  }
  for (const baseline of input.baselines) {
    (baseline.resource.spec.holds ?? []).forEach((hold, index) => {
      if (hold.hosts !== undefined)
        select(baseline, hold.hosts, ['spec', 'holds', index, 'hosts'], input.hosts, problems, `hold of ${hold.package}`);
    });
  }
  if (input.policies.length > 0) {
    for (const entry of input.hosts) {
      if (!governed.has(entry.host.name)) {
        problems.push(
          problemAt(
            entry.document,
            ['spec', 'hosts', entry.host.index, 'name'],
            PROBLEM_CODES.hostWithoutPolicy,
            `host ${entry.host.name} is governed by no PatchPolicy; no fixes will be proposed for it`,
            'warning',
          ),
        );
      }
    }
  }
  return problems;
}
