/**
 * A small policy repository for the proposal lifecycle tests (Gitea and plain Git): a Fleet of
 * three debian-12 hosts and one rocky-9 host in two rings, a PatchPolicy, an empty baseline with
 * comments, and the sandbox advisory PWSA-2026-0001 (synthetic, test/fixtures/advisories/sandbox).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import type { HostInventory } from '../../controller/core/inventory/host-inventory.js';
import { versionSchemeFor } from '../../controller/core/version/index.js';
import { OsvDirectorySource } from '../../controller/edges/advisory/directory-source.js';
import { loadAdvisoryIndex } from '../../controller/edges/advisory/load-index.js';
import { FIXTURES } from './bundled-advisories.js';
import { host, pkg } from './host-inventory-builders.js';

const KEYS = [
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIvy8wxtin5UvC2uOcQBBq5zOiDVcTWLJh6glQwkwUqo',
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINlHGGaY2kdfov1Q0SNBBDOsiDBDNHlolyBYmyHIxLzd',
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN272ZTtuH3M3xterhgVwUKnhTFtuv2gDNGP4+MlsIdf',
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJjEGzWWGrazEVL9wqdQx94kBmUMDsg8uaLLYquMtJEa',
];

const HOSTS = [
  { name: 'web-1', ring: 'canary', os: 'debian-12' },
  { name: 'web-2', ring: 'broad', os: 'debian-12' },
  { name: 'web-3', ring: 'broad', os: 'debian-12' },
  { name: 'db-1', ring: 'broad', os: 'rocky-9' },
];

export function fleetYaml(): string {
  const hosts = HOSTS.map(
    (h, i) => `    - name: ${h.name}
      address: 127.0.0.${i + 10}
      labels: { ring: ${h.ring}, os: ${h.os} }
      ssh:
        hostKeys: [${KEYS[i]}]
`,
  ).join('');
  return `apiVersion: patchward.io/v1alpha1
kind: Fleet
metadata:
  name: sandbox
spec:
  defaults:
    ssh:
      user: patchward
      keyRef: { file: /nonexistent/id_ed25519 }
  hosts:
${hosts}`;
}

export const RINGS_YAML = `apiVersion: patchward.io/v1alpha1
kind: MaintenanceWindow
metadata:
  name: nightly
spec:
  timeZone: UTC
  schedules:
    - name: night
      cron: "0 1 * * *"
      duration: 2h
---
apiVersion: patchward.io/v1alpha1
kind: Ring
metadata:
  name: canary
spec:
  order: 0
  selector: { matchLabels: { ring: canary } }
  windows: [nightly]
  maxConcurrent: 1
---
apiVersion: patchward.io/v1alpha1
kind: Ring
metadata:
  name: broad
spec:
  order: 10
  selector: { matchLabels: { ring: broad } }
  windows: [nightly]
  maxConcurrent: 2
`;

export const BASELINE_YAML = `# The approved baseline. Proposal PRs add entries below; merging one is the approval.
apiVersion: patchward.io/v1alpha1
kind: PatchBaseline
metadata:
  name: production
spec:
  approvals:
    - advisory: DSA-5514-1          # glibc, approved long ago
      aliases: [CVE-2023-4911]
      packages:
        - { release: debian-12, name: glibc, minVersion: 2.36-9+deb12u3 }
  holds: []   # none
`;

export interface PolicyOptions {
  readonly reviewer: string;
  readonly team: string;
  /** `pullRequests.draft: true` (default: not set). */
  readonly draft?: boolean;
  /** The urgent lane for critical advisories, with its label and auto-merge (default true). */
  readonly urgentLane?: boolean;
}

export function policyYaml(options: PolicyOptions): string {
  const urgent = `  urgentLane:
    enabled: true
    severities: [critical]
    labels: [urgent]
    autoMerge: true       # urgent fixes merge themselves once the required checks are green
`;
  return `apiVersion: patchward.io/v1alpha1
kind: PatchPolicy
metadata:
  name: security
spec:
  selector: {}
  baseline: production
  minSeverity: critical
  pullRequests:
    labels: [security, patchward]
    reviewers: [${options.reviewer}]
    teamReviewers: [${options.team}]
${options.draft === true ? '    draft: true\n' : ''}${options.urgentLane === false ? '' : urgent}`;
}

/** Writes the repository files into `dir`. */
export function writePolicyRepo(dir: string, options: PolicyOptions): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'fleet.yaml'), fleetYaml());
  writeFileSync(join(dir, 'rings.yaml'), RINGS_YAML);
  writeFileSync(join(dir, 'baseline.yaml'), BASELINE_YAML);
  writeFileSync(join(dir, 'policy.yaml'), policyYaml(options));
}

/** Inventories: the hosts named, each with the OLD sandbox packages installed. */
export function inventory(names: readonly string[]): HostInventory[] {
  return HOSTS.filter((h) => names.includes(h.name)).map((h) =>
    h.os === 'debian-12'
      ? host(
          h.name,
          'debian-12',
          [pkg('pw-libdemo', '1.0-1', 'pw-demo-src', '1.0-1'), pkg('pw-demo-utils', '1.0-1', 'pw-demo-src', '1.0-1')],
          {
            labels: { ring: h.ring, os: h.os },
          },
        )
      : host(
          h.name,
          'rocky-9',
          [pkg('pw-libdemo', '1.0-1', undefined, undefined, 'x86_64'), pkg('pw-demo-utils', '1.0-1', undefined, undefined, 'x86_64')],
          {
            labels: { ring: h.ring, os: h.os },
          },
        ),
  );
}

/** An advisory directory with the sandbox record PWSA-2026-0001, optionally re-issued with a newer fix. */
export function advisoryDir(dir: string, fixed = '1.0-2'): string {
  mkdirSync(dir, { recursive: true });
  const record = JSON.parse(readFileSync(`${FIXTURES}advisories/sandbox/PWSA-2026-0001.json`, 'utf8')) as {
    modified: string;
    affected: { ranges: { events: { fixed?: string }[] }[] }[];
  };
  if (fixed !== '1.0-2') {
    record.modified = '2026-11-28T00:00:00Z';
    for (const affected of record.affected)
      for (const range of affected.ranges) for (const event of range.events) if (event.fixed) event.fixed = fixed;
  }
  writeFileSync(join(dir, 'PWSA-2026-0001.json'), JSON.stringify(record));
  return dir;
}

export async function advisoryIndex(dir: string) {
  return (
    await loadAdvisoryIndex({ sources: [new OsvDirectorySource(dir)], schemeFor: versionSchemeFor, logger: pino({ level: 'silent' }) })
  ).index;
}

/** Environment for `git` in tests: no system config, HOME in the test's own directory. */
export function gitEnv(home: string): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, GIT_CONFIG_NOSYSTEM: '1' };
}

/** `git ARGS` in `cwd` as "A Person", trimmed stdout. */
export function gitAsPerson(cwd: string, env: Record<string, string>, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=A Person', '-c', 'user.email=person@example.invalid', ...args], {
    cwd,
    env,
    encoding: 'utf8',
  }).trim();
}

/**
 * A bare repository `<root>/remote.git` (default branch `main`) holding the policy repository, and
 * a person's clone of it in `<root>/person`.
 */
export function createPolicyRemote(root: string, env: Record<string, string>, options: PolicyOptions): { remote: string; person: string } {
  const remote = join(root, 'remote.git');
  const person = join(root, 'person');
  gitAsPerson(root, env, 'init', '-q', '--bare', '-b', 'main', remote);
  gitAsPerson(root, env, 'clone', '-q', remote, person);
  writePolicyRepo(person, options);
  gitAsPerson(person, env, 'add', '.');
  gitAsPerson(person, env, 'commit', '-qm', 'policy repository');
  gitAsPerson(person, env, 'push', '-q', 'origin', 'HEAD:main');
  return { remote, person };
}
