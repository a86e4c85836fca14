/**
 * Proposal branch names: `<branchPrefix><policy>/<key as a ref component>`.
 *
 * A grouping key becomes one valid Git ref component (`git check-ref-format`): every character
 * outside `A-Za-z0-9._+-` becomes `-` (`ALSA-2024:1234` → `ALSA-2024-1234`), runs of `-` and of
 * `.` collapse, a leading `.` or `-` and a trailing `.` are dropped, a trailing `.lock` becomes
 * `-lock`. The mapping is many-to-one; the key itself is kept in the PR's marker, which is what
 * patchward trusts when it finds a PR again.
 */

export const DEFAULT_BRANCH_PREFIX = 'patchward/';

/**
 * The branch of the patch dashboard on plain Git: `patchward--dashboard`. No proposal branch can
 * be it: a proposal branch always has a `/` after the policy name, and policy names (Kubernetes
 * names) never contain `--`-led components ending the ref.
 */
export const DASHBOARD_BRANCH = 'patchward--dashboard';

export function refComponent(key: string): string {
  let out = key
    .replace(/[^A-Za-z0-9._+-]/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+/, '')
    .replace(/\.+$/, '');
  if (out.endsWith('.lock')) out = `${out.slice(0, -'.lock'.length)}-lock`;
  return out === '' ? 'key' : out;
}

/** `<branchPrefix><policy>/<refComponent(key)>`; the prefix is the policy's, validated by the CRD. */
export function proposalBranch(prefix: string | undefined, policy: string, key: string): string {
  const base = prefix ?? DEFAULT_BRANCH_PREFIX;
  return `${base}${policy}/${refComponent(key)}`;
}
