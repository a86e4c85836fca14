/** Kubernetes label-selector semantics over host labels (matchLabels AND matchExpressions). */
import type { LabelSelector, LabelSelectorRequirement } from './generated/kinds.js';

function matchesRequirement(requirement: LabelSelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const value = Object.hasOwn(labels, requirement.key) ? labels[requirement.key] : undefined;
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
  }
}

/** True when the labels satisfy the selector; an empty selector matches everything. */
export function matchesSelector(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (selector === undefined) return true;
  for (const [key, expected] of Object.entries(selector.matchLabels ?? {})) {
    if (!Object.hasOwn(labels, key) || labels[key] !== expected) return false;
  }
  return (selector.matchExpressions ?? []).every((requirement) => matchesRequirement(requirement, labels));
}

/** Problems of a selector the schema cannot express: values required for In/NotIn, forbidden for Exists/DoesNotExist. */
export function selectorProblems(selector: LabelSelector): { index: number; message: string }[] {
  const problems: { index: number; message: string }[] = [];
  (selector.matchExpressions ?? []).forEach((requirement, index) => {
    const count = requirement.values?.length ?? 0;
    if ((requirement.operator === 'In' || requirement.operator === 'NotIn') && count === 0) {
      problems.push({ index, message: `operator ${requirement.operator} needs at least one value` });
    }
    if ((requirement.operator === 'Exists' || requirement.operator === 'DoesNotExist') && count > 0) {
      problems.push({ index, message: `operator ${requirement.operator} takes no values` });
    }
  });
  return problems;
}
