/** What the propose step needs of the shared Git plumbing (`controller/edges/git/git-workspace.ts` implements it). */
import type { CommitOutcome, CommitRequest, Freshness } from '../../edges/git/git-workspace.js';

export interface ProposalWorkspace {
  defaultBranch(): Promise<string>;
  readFile(ref: string, path: string): Promise<string | undefined>;
  commitToBranch(request: CommitRequest): Promise<CommitOutcome>;
  pushBranch(branch: string): Promise<void>;
  /** Behind / conflicting against `base`, computed by Git itself (merge-tree) on the fetched refs. */
  freshness(branch: string, base: string): Promise<Freshness>;
}
