/**
 * Recorded real GitHub API traffic from `@octokit/fixtures` (normalized fixtures: ids, dates and
 * tokens replaced by the package, bodies otherwise as GitHub sent them).
 */
import { readFileSync } from 'node:fs';

export interface RecordedExchange {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
  readonly response: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

export function recorded(scenario: string, index: number): RecordedExchange {
  const file = new URL(
    `../../../node_modules/@octokit/fixtures/scenarios/api.github.com/${scenario}/normalized-fixture.json`,
    import.meta.url,
  );
  const all = JSON.parse(readFileSync(file, 'utf8')) as RecordedExchange[];
  const found = all[index];
  if (!found) throw new Error(`@octokit/fixtures ${scenario} has no exchange ${index}`);
  return {
    ...found,
    method: found.method.toUpperCase(),
    headers: Object.fromEntries(Object.entries(found.headers).map(([k, v]) => [k, String(v)])),
  };
}
