/** Text formats of the plain-Git forge: the proposal record note, status note lines, dashboard file names. */
import type { CommitStatus, StatusState } from '../../../ports/forge.js';

export interface ProposalRecord {
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
  readonly draft: boolean;
  readonly base: string;
  readonly createdAt: string;
  readonly closedAt?: string;
  readonly comments: readonly { readonly id: string; readonly body: string }[];
}

/** The record note, or undefined when it is missing or not ours (a person may write notes too). */
export function parseRecord(text: string | undefined): ProposalRecord | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as Partial<ProposalRecord>;
    if (
      typeof value.title !== 'string' ||
      typeof value.body !== 'string' ||
      typeof value.base !== 'string' ||
      typeof value.createdAt !== 'string'
    )
      return undefined;
    return {
      title: value.title,
      body: value.body,
      labels: Array.isArray(value.labels) ? value.labels.filter((l): l is string => typeof l === 'string') : [],
      draft: value.draft === true,
      base: value.base,
      createdAt: value.createdAt,
      ...(typeof value.closedAt === 'string' ? { closedAt: value.closedAt } : {}),
      comments: Array.isArray(value.comments) ? value.comments.filter((c) => typeof c?.id === 'string' && typeof c?.body === 'string') : [],
    };
  } catch {
    return undefined;
  }
}

const STATES: readonly StatusState[] = ['pending', 'success', 'failure', 'error'];
const LINE = /^(pending|success|failure|error) (\S+)(?:: (.*?))?(?: <(\S+)>)?$/;

/**
 * One status per line, readable in `git log --notes=patchward`:
 * `success ci/test: all 12 checks passed <https://ci.example/run/7>`.
 * Lines that do not parse (a person's own note text) are ignored.
 */
export function formatStatuses(statuses: readonly CommitStatus[]): string {
  return statuses
    .map((s) => {
      const description = s.description.replace(/[\r\n]+/g, ' ').replace(/ <\S+>$/, '');
      return `${s.state} ${s.context}${description ? `: ${description}` : ''}${s.targetUrl ? ` <${s.targetUrl}>` : ''}`;
    })
    .join('\n');
}

export function parseStatuses(text: string | undefined): CommitStatus[] {
  const out: CommitStatus[] = [];
  for (const line of (text ?? '').split('\n')) {
    const m = LINE.exec(line.trim());
    if (!m || !STATES.includes(m[1] as StatusState) || m[2] === undefined) continue;
    out.push({ state: m[1] as StatusState, context: m[2], description: m[3] ?? '', ...(m[4] ? { targetUrl: m[4] } : {}) });
  }
  return out;
}

/** `Patch dashboard` → `patch-dashboard.md`: one file per issue title on the dashboard branch. */
export function issueFileName(title: string): string {
  const slug = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${slug || 'issue'}.md`;
}
