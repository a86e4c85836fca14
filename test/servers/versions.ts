import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestServerError } from './errors.js';

/** The pinned versions from test/servers/versions.env (the single place they are set). */
export interface ServerVersions {
  readonly k8s: string;
  readonly etcd: string;
  readonly gitea: string;
}

/** Absolute paths of the cached binaries (see ensure.sh for the layout). */
export interface ServerBinaries {
  readonly etcd: string;
  readonly kubeApiserver: string;
  readonly kubectl: string;
  readonly gitea: string;
  /** templates/, options/, public/ of the Gitea module: its STATIC_ROOT_PATH. */
  readonly giteaAssets: string;
}

const VERSIONS_FILE = join('test', 'servers', 'versions.env');

/** Finds the clone root from this file, compiled (dist/test/servers) or not (test/servers). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, VERSIONS_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new TestServerError('BadVersions', `no ${VERSIONS_FILE} above ${fileURLToPath(import.meta.url)}`);
    }
    dir = parent;
  }
}

export function parseVersionsEnv(text: string): ServerVersions {
  const values = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') continue;
    const match = /^([A-Z0-9_]+)=(\S+)$/.exec(line);
    if (!match) throw new TestServerError('BadVersions', `bad line in versions.env: ${raw}`);
    values.set(match[1] as string, match[2] as string);
  }
  const get = (key: string): string => {
    const value = values.get(key);
    if (value === undefined) throw new TestServerError('BadVersions', `versions.env lacks ${key}`);
    return value;
  };
  return { k8s: get('K8S_VERSION'), etcd: get('ETCD_VERSION'), gitea: get('GITEA_VERSION') };
}

export function serverVersions(): ServerVersions {
  return parseVersionsEnv(readFileSync(join(repoRoot(), VERSIONS_FILE), 'utf8'));
}

/** Same rule as ensure.sh: PATCHWARD_TESTENV_CACHE or ~/.cache/patchward/testenv. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['PATCHWARD_TESTENV_CACHE'] || join(homedir(), '.cache', 'patchward', 'testenv');
}

export function serverBinaries(): ServerBinaries {
  const v = serverVersions();
  const bin = join(cacheDir(), 'bin');
  return {
    etcd: join(bin, `etcd-${v.etcd}`),
    kubeApiserver: join(bin, `kube-apiserver-${v.k8s}`),
    kubectl: join(bin, `kubectl-${v.k8s}`),
    gitea: join(bin, `gitea-${v.gitea}`),
    giteaAssets: join(bin, `gitea-${v.gitea}-assets`),
  };
}

/** Throws BinaryMissing (the test fails, it does not skip) when a cached binary is absent. */
export function requireExecutable(path: string): string {
  try {
    accessSync(path, constants.X_OK);
    if (statSync(path).size > 0) return path;
  } catch (cause) {
    throw new TestServerError(
      'BinaryMissing',
      `${path} is missing: build the test servers with \`bash test/servers/ensure.sh\` (test/run.sh does this first)`,
      { path },
      { cause },
    );
  }
  throw new TestServerError('BinaryMissing', `${path} is empty: rerun \`bash test/servers/ensure.sh\``, { path });
}

export function requireDirectory(path: string): string {
  if (existsSync(path) && statSync(path).isDirectory()) return path;
  throw new TestServerError('BinaryMissing', `${path} is missing: build the test servers with \`bash test/servers/ensure.sh\``, { path });
}
