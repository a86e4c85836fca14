/** Checks across documents, run after every document passed its schema. */
import { checkBaselines } from './check-baselines.js';
import { checkFleets } from './check-fleets.js';
import { checkRings } from './check-rings.js';
import { checkSelection } from './check-selection.js';
import { checkRingWindows, checkWindows } from './check-windows.js';
import { locationText, problemAt } from './document-problem.js';
import type { Fleet, MaintenanceWindow, PatchBaseline, PatchPolicy, Ring } from './generated/kinds.js';
import type { PolicyKind } from './kinds.js';
import { PROBLEM_CODES, type Problem } from './problem.js';
import type { CheckedDocument } from './validate-policy-set.js';

function ofKind<T>(documents: readonly CheckedDocument[], kind: PolicyKind): CheckedDocument<T>[] {
  return documents.filter((document) => document.kind === kind) as CheckedDocument<T>[];
}

/** Every cross-document problem; documents with a duplicate name are left out of later checks. */
export function crossCheckPolicySet(documents: readonly CheckedDocument[], now: Date): Problem[] {
  const problems: Problem[] = [];
  const firstByKey = new Map<string, CheckedDocument>();
  const unique: CheckedDocument[] = [];
  for (const document of documents) {
    const key = `${document.kind}\u0000${document.name}`;
    const first = firstByKey.get(key);
    if (first !== undefined) {
      problems.push(
        problemAt(
          document,
          ['metadata', 'name'],
          PROBLEM_CODES.duplicateName,
          `${document.kind} ${document.name} is already defined at ${locationText(first)}`,
        ),
      );
      continue;
    }
    firstByKey.set(key, document);
    unique.push(document);
  }
  const fleets = checkFleets(ofKind<Fleet>(unique, 'Fleet'));
  problems.push(...fleets.problems);
  const windows = ofKind<MaintenanceWindow>(unique, 'MaintenanceWindow');
  problems.push(...checkWindows(windows, now));
  problems.push(...checkRingWindows(ofKind<Ring>(unique, 'Ring'), windows, now));
  const baselines = ofKind<PatchBaseline>(unique, 'PatchBaseline');
  problems.push(...checkBaselines(baselines, now));
  const rings = ofKind<Ring>(unique, 'Ring');
  problems.push(...checkRings(rings));
  problems.push(
    ...checkSelection({
      hosts: fleets.hosts,
      windows,
      rings,
      policies: ofKind<PatchPolicy>(unique, 'PatchPolicy'),
      baselines,
      now,
    }),
  );
  return problems;
}
