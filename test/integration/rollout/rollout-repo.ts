/**
 * A policy repository (a real Git work tree) for rollout tests on sandbox hosts: an always-open
 * window, rings as given, and a baseline approving the sandbox test packages' fixed versions.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { SandboxFleet } from '../../harness/sandbox.js';
import { GIT_ENV } from '../../helpers/git-env.js';

export interface RingSpec {
  readonly name: string;
  readonly maxConcurrent: number;
  readonly failureBudget?: number;
  readonly soakTime?: string;
  readonly maxAttempts?: number;
  readonly healthChecks?: readonly Record<string, unknown>[];
  readonly reboot?: Record<string, unknown>;
}

export interface RepoOptions {
  readonly rings: readonly RingSpec[];
  /** Host name → ring name. */
  readonly ringOf: (host: string) => string;
  /** Extra labels per host. */
  readonly labels?: (host: string) => Record<string, string>;
  /** Approvals on top of pw-demo-src (debian-12) and pw-libdemo + pw-demo-utils (rocky-9). */
  readonly extraApprovals?: readonly Record<string, unknown>[];
  readonly holds?: readonly Record<string, unknown>[];
}

export function writeRolloutRepo(dir: string, fleet: SandboxFleet, options: RepoOptions): string {
  mkdirSync(dir, { recursive: true });
  fleet.writeFleetYaml(join(dir, 'fleet.yaml'), {
    ring: (host) => options.ringOf(host.name),
    ...(options.labels === undefined ? {} : { labels: (host) => (options.labels as (name: string) => Record<string, string>)(host.name) }),
  });
  const docs: unknown[] = [
    {
      apiVersion: 'patchward.io/v1alpha1',
      kind: 'MaintenanceWindow',
      metadata: { name: 'always' },
      spec: { timeZone: 'UTC', schedules: [{ name: 'hourly', cron: '0 * * * *', duration: '1h' }] },
    },
    ...options.rings.map((ring, order) => ({
      apiVersion: 'patchward.io/v1alpha1',
      kind: 'Ring',
      metadata: { name: ring.name },
      spec: {
        order,
        selector: { matchLabels: { ring: ring.name } },
        windows: ['always'],
        maxConcurrent: ring.maxConcurrent,
        failureBudget: ring.failureBudget ?? 0,
        soakTime: ring.soakTime ?? '0s',
        ...(ring.maxAttempts === undefined ? {} : { maxAttempts: ring.maxAttempts }),
        ...(ring.healthChecks === undefined ? {} : { healthChecks: ring.healthChecks }),
        reboot: ring.reboot ?? { policy: 'never' },
      },
    })),
    { apiVersion: 'patchward.io/v1alpha1', kind: 'PatchPolicy', metadata: { name: 'security' }, spec: { selector: {}, baseline: 'prod' } },
    {
      apiVersion: 'patchward.io/v1alpha1',
      kind: 'PatchBaseline',
      metadata: { name: 'prod' },
      spec: {
        approvals: [
          {
            advisory: 'PWSA-2026-0001',
            packages: [
              { release: 'debian-12', name: 'pw-demo-src', minVersion: '1.0-2' },
              { release: 'rocky-9', name: 'pw-libdemo', minVersion: '1.0-2' },
              { release: 'rocky-9', name: 'pw-demo-utils', minVersion: '1.0-2' },
            ],
          },
          ...(options.extraApprovals ?? []),
        ],
        ...(options.holds === undefined ? {} : { holds: options.holds }),
      },
    },
  ];
  writeFileSync(join(dir, 'policy.yaml'), docs.map((doc) => stringify(doc)).join('---\n'));
  execFileSync('git', ['init', '-q', dir], { env: GIT_ENV });
  execFileSync('git', ['-C', dir, 'add', '-A'], { env: GIT_ENV });
  execFileSync('git', ['-C', dir, 'commit', '-qm', 'policy'], { env: GIT_ENV });
  return execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { env: GIT_ENV, encoding: 'utf8' }).trim();
}

export interface ChildRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real `patchward` binary as a child process (so that it can be SIGKILLed). */
export function runPatchward(args: readonly string[], env: Record<string, string> = {}): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(process.cwd(), 'bin/patchward.js'), ...args], {
      env: { ...process.env, PATCHWARD_LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Exact installed versions of `names` on a sandbox host, from its own package database. */
export async function installedOn(fleet: SandboxFleet, host: string, names: readonly string[]): Promise<Record<string, string>> {
  const rpm = fleet.host(host).flavour === 'rpm';
  const result = rpm
    ? await fleet.exec(host, ['rpm', '-q', '--qf', '%{NAME} %{VERSION}-%{RELEASE}\\n', ...names])
    : await fleet.exec(host, ['dpkg-query', '-W', '-f', '${Package} ${Version} ${db:Status-Abbrev}\\n', ...names]);
  const versions: Record<string, string> = {};
  for (const line of result.stdout.split('\n')) {
    const [name, version, status] = line.trim().split(' ');
    if (name !== undefined && version !== undefined && names.includes(name) && (rpm || status === 'ii')) versions[name] = version;
  }
  return versions;
}
