/**
 * The one file change of a proposal: approval entries added to the PatchBaseline, edited in place
 * (yaml-splice.ts). Each approval lists the explicit minimum version per OS release and package,
 * like a lock file. An advisory the baseline already approves at lower versions (it gained a newer
 * fix) has those `minVersion`s raised, and missing packages added, inside its existing entry: the
 * baseline keeps each advisory once.
 */
import { isMap } from 'yaml';
import { err, ok, type Result } from '../../errors.js';
import type { Candidate } from './candidate.js';
import { appendItemsAt, nodeAt, parseDocuments, replaceScalarAt, verifyEdit, type YamlEditProblem } from './yaml-splice.js';

export interface ApprovalPackage {
  readonly release: string;
  readonly name: string;
  readonly minVersion: string;
}

export interface ApprovalEntry {
  readonly advisory: string;
  readonly aliases?: readonly string[];
  readonly severity?: string;
  readonly reason?: string;
  readonly packages: readonly ApprovalPackage[];
}

/** The pattern the PatchBaseline CRD requires of advisory ids and aliases. */
export const APPROVAL_ID = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*-[0-9][A-Za-z0-9:._-]*$/;

export function isApprovableId(id: string): boolean {
  return id.length <= 64 && APPROVAL_ID.test(id);
}

/** The approval entries a proposal adds, one per candidate. Free text from feeds is not copied. */
export function approvalsOf(candidates: readonly Candidate[], policy: string): ApprovalEntry[] {
  return candidates.map((candidate) => {
    const aliases = [...new Set([...candidate.cves, ...candidate.aliases])]
      .filter((id) => id !== candidate.advisory && isApprovableId(id))
      .sort();
    return {
      advisory: candidate.advisory,
      ...(aliases.length === 0 ? {} : { aliases }),
      ...(candidate.severity === undefined ? {} : { severity: candidate.severity }),
      reason: `Proposed by patchward (PatchPolicy ${policy}).`,
      packages: candidate.fixes.map((fix) => ({ release: fix.release, name: fix.package, minVersion: fix.minVersion })),
    };
  });
}

interface BaselineData {
  kind?: unknown;
  metadata?: { name?: unknown };
  spec?: { approvals?: { advisory?: unknown; packages?: { release?: unknown; name?: unknown; minVersion?: unknown }[] }[] };
}

/** Index of the PatchBaseline document named `name` in the file, or -1. */
export function findBaselineDocument(text: string, name: string): number {
  const parsed = parseDocuments(text);
  if (!parsed.ok) return -1;
  return parsed.value.findIndex((document) => {
    const data = document.toJS() as BaselineData | null;
    return data?.kind === 'PatchBaseline' && data.metadata?.name === name;
  });
}

export interface BaselineEdit {
  readonly text: string;
  readonly changed: boolean;
}

/**
 * Adds (or raises) `approvals` in the PatchBaseline `name` inside `text`. Unchanged text when the
 * baseline already holds them all at those versions.
 */
export function editBaseline(text: string, name: string, approvals: readonly ApprovalEntry[]): Result<BaselineEdit, YamlEditProblem> {
  const index = findBaselineDocument(text, name);
  if (index === -1) return err({ code: 'YamlTargetMissing', message: `no PatchBaseline named ${name} in the file` });
  const parsed = parseDocuments(text);
  if (!parsed.ok) return parsed;
  const document = parsed.value[index];
  const expected = structuredClone(document?.toJS() ?? {}) as BaselineData;
  expected.spec ??= {};
  expected.spec.approvals ??= [];
  const existing = expected.spec.approvals;
  const firstPackage = document === undefined ? undefined : nodeAt(document, ['spec', 'approvals', 0, 'packages', 0]);
  const style = { flowLeafMaps: firstPackage === undefined || (isMap(firstPackage) && firstPackage.flow === true) };
  let current = text;
  const added: ApprovalEntry[] = [];
  for (const approval of approvals) {
    const at = existing.findIndex((entry) => entry.advisory === approval.advisory);
    if (at === -1) {
      added.push(approval);
      continue;
    }
    const entry = existing[at] as NonNullable<typeof existing>[number];
    entry.packages ??= [];
    const packages = entry.packages;
    const appended: ApprovalPackage[] = [];
    for (const pkg of approval.packages) {
      const j = packages.findIndex((item) => item.release === pkg.release && item.name === pkg.name);
      if (j === -1) {
        appended.push(pkg);
        packages.push({ ...pkg });
        continue;
      }
      if ((packages[j] as { minVersion?: unknown }).minVersion === pkg.minVersion) continue;
      (packages[j] as { minVersion?: unknown }).minVersion = pkg.minVersion;
      const docNow = parseDocuments(current);
      if (!docNow.ok) return docNow;
      const holder = nodeAt(docNow.value[index] as never, ['spec', 'approvals', at, 'packages', j]);
      const replaced = replaceScalarAt(
        current,
        index,
        ['spec', 'approvals', at, 'packages', j, 'minVersion'],
        pkg.minVersion,
        isMap(holder) && holder.flow === true,
      );
      if (!replaced.ok) return replaced;
      current = replaced.value;
    }
    if (appended.length > 0) {
      const result = appendItemsAt(current, index, ['spec', 'approvals', at, 'packages'], appended, style);
      if (!result.ok) return result;
      current = result.value;
    }
  }
  if (added.length > 0) {
    existing.push(...(structuredClone(added) as never[]));
    const result = appendItemsAt(current, index, ['spec', 'approvals'], added.map(plain), style);
    if (!result.ok) return result;
    current = result.value;
  }
  if (current === text) return ok({ text, changed: false });
  const verified = verifyEdit(text, current, index, expected);
  if (!verified.ok) return verified;
  return ok({ text: current, changed: true });
}

function plain(entry: ApprovalEntry): Record<string, unknown> {
  return JSON.parse(JSON.stringify(entry)) as Record<string, unknown>;
}
