/** Ring checks a schema cannot express: Prometheus thresholds that no value could pass. */
import { problemAt } from './document-problem.js';
import type { Ring } from './generated/kinds.js';
import { PROBLEM_CODES, type Problem } from './problem.js';
import type { CheckedDocument } from './validate-policy-set.js';

function checkRing(document: CheckedDocument<Ring>): Problem[] {
  const problems: Problem[] = [];
  (document.resource.spec.healthChecks ?? []).forEach((check, index) => {
    const threshold = check.prometheus?.threshold;
    if (threshold?.min !== undefined && threshold.max !== undefined && threshold.min > threshold.max) {
      problems.push(
        problemAt(
          document,
          ['spec', 'healthChecks', index, 'prometheus', 'threshold', 'min'],
          PROBLEM_CODES.impossibleThreshold,
          `threshold min ${threshold.min} is greater than max ${threshold.max}: no value could pass, so the check would always fail`,
        ),
      );
    }
  });
  return problems;
}

export function checkRings(rings: readonly CheckedDocument<Ring>[]): Problem[] {
  return rings.flatMap(checkRing);
}
