/** What the three HTTP forges (Gitea, GitHub, GitLab) set up alike: their options, logger and fetch layer. */
import type { Logger } from '../../../log.js';
import type { ForgeKind } from '../../../ports/forge.js';
import { createForgeFetch, type ForgeFetch, type RetryPolicy } from './forge-fetch.js';

/** The options every HTTP forge takes besides its own (API URL and the like). */
export interface HttpForgeOptions {
  /** `owner/name` (GitLab: `group/sub/project`). */
  readonly repository: string;
  readonly token: string;
  readonly logger: Logger;
  readonly retry?: RetryPolicy;
  /** Tests inject waiting; `fetch` replaces the forge fetch layer entirely. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly fetch?: ForgeFetch;
}

/**
 * The forge's logger (component, forge, repository) and its fetch layer: retries, rate limits,
 * and the token scrubbed from what is logged or thrown.
 */
export function forgeHttp(kind: ForgeKind, options: HttpForgeOptions): { readonly log: Logger; readonly fetch: ForgeFetch } {
  const log = options.logger.child({ component: 'forge', forge: kind, repository: options.repository });
  const fetch = options.fetch ?? createForgeFetch({ logger: log, secrets: [options.token], retry: options.retry, sleep: options.sleep });
  return { log, fetch };
}

/** `owner/name` split in two; a TypeError for anything else. */
export function ownerAndName(repository: string): readonly [string, string] {
  const [owner, name, ...rest] = repository.split('/');
  if (!owner || !name || rest.length > 0) throw new TypeError(`repository must be owner/name, got ${JSON.stringify(repository)}`);
  return [owner, name];
}
