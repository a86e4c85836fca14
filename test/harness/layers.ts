import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SandboxError } from './errors.js';

export type SandboxFlavour = 'apt' | 'rpm';

/** Where the cached layers and the harness scripts are (versions: test/harness/sandbox.env). */
export interface SandboxLayers {
  readonly cacheDir: string;
  readonly scriptsDir: string;
  readonly base: string;
  readonly repo: string;
  readonly prov: Readonly<Record<SandboxFlavour, string>>;
}

/** The harness's shell scripts: beside this file when run from source, `test/harness` from dist. */
export function findScriptsDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const candidate of [here, resolve(here, '../../../test/harness')]) {
    if (existsSync(join(candidate, 'host-init.sh')) && existsSync(join(candidate, 'sandbox.env'))) return candidate;
  }
  throw new SandboxError('ImageMissing', `cannot find test/harness/host-init.sh from ${here}`, { here });
}

function readEnvFile(path: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^\s*([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) values[match[1]] = match[2].trim();
  }
  return values;
}

export function resolveLayers(env: NodeJS.ProcessEnv = process.env): SandboxLayers {
  const scriptsDir = findScriptsDir();
  const versions = readEnvFile(join(scriptsDir, 'sandbox.env'));
  const need = (key: string): string => {
    const value = versions[key];
    if (value === undefined || value === '') throw new SandboxError('ImageMissing', `${key} missing in sandbox.env`, { scriptsDir });
    return value;
  };
  const cacheDir = env['PATCHWARD_SANDBOX_CACHE'] ?? join(homedir(), '.cache', 'patchward', 'sandbox');
  const base = need('BASE_VERSION');
  const repo = need('REPO_VERSION');
  const prov = (key: string): string => join(cacheDir, `${need(key)}+${repo}+${base}`);
  return {
    cacheDir,
    scriptsDir,
    base: join(cacheDir, base),
    repo: join(cacheDir, repo),
    prov: { apt: prov('PROV_APT_VERSION'), rpm: prov('PROV_RPM_VERSION') },
  };
}

/** The cached layers that are missing (empty when `ensure.sh` has nothing to build). */
export function missingLayers(layers: SandboxLayers): string[] {
  return [layers.base, layers.repo, layers.prov.apt, layers.prov.rpm].filter((dir) => !existsSync(dir));
}
