/** JSON report for machines: one document with the summary and every host's findings. */
import type { FleetAssessment } from './assessment.js';

export interface ReportSource {
  readonly location: string;
  readonly revision: string;
  readonly records: number;
  readonly skipped: number;
  readonly stale: boolean;
}

export interface AssessmentReport {
  readonly apiVersion: 'patchward.io/v1alpha1';
  readonly kind: 'AssessmentReport';
  readonly generatedAt: string;
  readonly advisorySources: readonly ReportSource[];
  readonly knownExploitedRevision?: string;
  readonly summary: FleetAssessment['summary'];
  readonly hosts: readonly unknown[];
}

export function toReport(
  assessment: FleetAssessment,
  generatedAt: Date,
  sources: readonly ReportSource[],
  knownExploitedRevision?: string,
): AssessmentReport {
  return {
    apiVersion: 'patchward.io/v1alpha1',
    kind: 'AssessmentReport',
    generatedAt: generatedAt.toISOString(),
    advisorySources: sources,
    ...(knownExploitedRevision === undefined ? {} : { knownExploitedRevision }),
    summary: assessment.summary,
    hosts: assessment.hosts.map((host) => {
      const result = host.result;
      return {
        host: host.host,
        release: host.release,
        state: host.state,
        reason: host.reason,
        rebootRequired: host.rebootRequired,
        packages: host.packages,
        labels: host.labels,
        ...(result === undefined
          ? {}
          : {
              counts: {
                advisories: result.advisoryCounts,
                findings: result.findings.length,
                approvedMissing: result.approvedMissing,
                unapprovedMissing: result.unapprovedMissing,
                unfixed: result.unfixed,
                held: result.held,
                knownExploited: result.knownExploited,
              },
              problems: result.problems,
              findings: result.findings,
            }),
      };
    }),
  };
}
