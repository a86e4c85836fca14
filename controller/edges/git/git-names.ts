/** Names patchward gives Git: branch names, repository paths, notes refs; refused when not plain. */
import { StalledError } from '../../errors.js';
import { isAbsolute, normalize } from 'node:path';

/** Branch names patchward writes: a valid Git ref name, no leading `-` or `refs/`. */
export function checkBranchName(branch: string): string {
  const bad =
    branch === '' ||
    branch.startsWith('-') ||
    branch.startsWith('/') ||
    branch.startsWith('refs/') ||
    branch.endsWith('/') ||
    branch.endsWith('.lock') ||
    branch.endsWith('.') ||
    branch.includes('..') ||
    branch.includes('//') ||
    branch.includes('@{') ||
    branch.split('/').some((part) => part.startsWith('.')) ||
    /[\x00-\x20\x7f~^:?*[\\]/.test(branch);
  if (bad) throw new StalledError('git-bad-branch-name', `not a valid branch name: ${JSON.stringify(branch)}`, { context: { branch } });
  return branch;
}

/** A notes ref name part: plain words, no `..`, no leading `-`. */
export function checkRefPart(name: string): string {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name) || name.includes('..'))
    throw new StalledError('git-bad-ref', `not a valid notes ref name: ${JSON.stringify(name)}`);
  return name;
}

export function checkPath(path: string): string {
  const norm = normalize(path);
  if (
    path === '' ||
    isAbsolute(path) ||
    norm.startsWith('..') ||
    norm !== path ||
    path.startsWith('-') ||
    path.split('/').includes('.git')
  ) {
    throw new StalledError('git-bad-path', `not a repository-relative path: ${JSON.stringify(path)}`, { context: { path } });
  }
  return path;
}
