/**
 * The ground the rollout benchmark stands on: the policy repository patchward rolls out, the reset
 * that puts the old package versions back between repetitions, and the check (on the hosts' own
 * package databases, without SSH) that a repetition really upgraded every host.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { SandboxFleet } from '../../test/harness/sandbox.js';
import { GIT_ENV } from '../../test/helpers/git-env.js';

/** The upgrade every contender performs: both binaries of source `pw-demo-src`, 1.0-1 → 1.0-2. */
export const PACKAGES = ['pw-libdemo', 'pw-demo-utils'] as const;
export const OLD_VERSION = '1.0-1';
export const NEW_VERSION = '1.0-2';
export const RING = 'all';

/**
 * A policy repository (a Git work tree) with every host in ONE ring (`maxConcurrent` = all of
 * them, soak 0s, failure budget 0, reboot and health at their defaults: reboot `if-required`, no
 * health checks), a window that is open at every instant (hourly, one hour long), a PatchPolicy
 * selecting every host, and its baseline approving `pw-demo-src` ≥ 1.0-2 on debian-12. Returns the
 * Git revision.
 */
export function writePolicyRepo(dir: string, fleet: SandboxFleet, maxConcurrent: number): string {
  mkdirSync(dir, { recursive: true });
  fleet.writeFleetYaml(join(dir, 'fleet.yaml'), { ring: () => RING });
  const docs = [
    {
      apiVersion: 'patchward.io/v1alpha1',
      kind: 'MaintenanceWindow',
      metadata: { name: 'always' },
      spec: { timeZone: 'UTC', schedules: [{ name: 'hourly', cron: '0 * * * *', duration: '1h' }] },
    },
    {
      apiVersion: 'patchward.io/v1alpha1',
      kind: 'Ring',
      metadata: { name: RING },
      spec: {
        order: 0,
        selector: { matchLabels: { ring: RING } },
        windows: ['always'],
        maxConcurrent,
        failureBudget: 0,
        soakTime: '0s',
      },
    },
    { apiVersion: 'patchward.io/v1alpha1', kind: 'PatchPolicy', metadata: { name: 'bench' }, spec: { selector: {}, baseline: 'bench' } },
    {
      apiVersion: 'patchward.io/v1alpha1',
      kind: 'PatchBaseline',
      metadata: { name: 'bench' },
      spec: {
        approvals: [
          {
            advisory: 'PWSA-2026-0001',
            packages: [{ release: 'debian-12', name: 'pw-demo-src', minVersion: NEW_VERSION }],
          },
        ],
      },
    },
  ];
  writeFileSync(join(dir, 'policy.yaml'), docs.map((doc) => stringify(doc)).join('---\n'));
  execFileSync('git', ['init', '-q', dir], { env: GIT_ENV });
  execFileSync('git', ['-C', dir, 'add', '-A'], { env: GIT_ENV });
  execFileSync('git', ['-C', dir, 'commit', '-qm', 'bench policy'], { env: GIT_ENV });
  return execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { env: GIT_ENV, encoding: 'utf8' }).trim();
}

/** Runs `task` over `items`, at most `limit` at a time. */
export async function eachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Installed versions of PACKAGES per host (status `ii` only), read inside the host without SSH. */
export async function installedVersions(fleet: SandboxFleet): Promise<Map<string, Record<string, string>>> {
  const found = new Map<string, Record<string, string>>();
  await eachLimited(fleet.hosts, 10, async (host) => {
    const result = await fleet.exec(host.name, ['dpkg-query', '-W', '-f', '${Package} ${Version} ${db:Status-Abbrev}\\n', ...PACKAGES]);
    const versions: Record<string, string> = {};
    for (const line of result.stdout.split('\n')) {
      const [name, version, status] = line.trim().split(' ');
      if (name !== undefined && version !== undefined && status === 'ii') versions[name] = version;
    }
    found.set(host.name, versions);
  });
  return found;
}

/** Hosts whose PACKAGES are not all at `version` (with what they have), from the hosts' own dpkg databases. */
export async function hostsNotAt(fleet: SandboxFleet, version: string): Promise<string[]> {
  const wrong: string[] = [];
  for (const [host, versions] of await installedVersions(fleet)) {
    if (PACKAGES.some((name) => versions[name] !== version))
      wrong.push(`${host} (${PACKAGES.map((name) => `${name} ${versions[name] ?? 'absent'}`).join(', ')})`);
  }
  return wrong.sort();
}

/**
 * Puts the OLD versions back on every host (a real downgrade with apt, inside the host, not
 * timed), so that the next contender performs the same real upgrade. Throws when a host is not
 * back at the old versions afterwards.
 */
export async function resetHosts(fleet: SandboxFleet): Promise<void> {
  await eachLimited(fleet.hosts, 10, async (host) => {
    const result = await fleet.exec(
      host.name,
      [
        'env',
        'DEBIAN_FRONTEND=noninteractive',
        'apt-get',
        'install',
        '-y',
        '-q',
        '--allow-downgrades',
        ...PACKAGES.map((name) => `${name}=${OLD_VERSION}`),
      ],
      { timeoutMs: 120_000 },
    );
    if (result.code !== 0) throw new Error(`reset of ${host.name} exited ${result.code}: ${result.stderr.slice(-400)}`);
  });
  const wrong = await hostsNotAt(fleet, OLD_VERSION);
  if (wrong.length > 0) throw new Error(`reset left ${wrong.length} hosts not at ${OLD_VERSION}: ${wrong.slice(0, 5).join('; ')}`);
}
