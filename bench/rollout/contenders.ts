/**
 * The three contenders of the rollout benchmark, each timed as one wall-clock run that upgrades
 * PACKAGES on every host: the `patchward rollout` command (a child process, as a user runs it), an
 * Ansible playbook, and plain `ssh … apt-get install` under `xargs -P` (the floor).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, sshOptions } from '../inventory/contenders.js';
import { NEW_VERSION, PACKAGES } from './hosts.js';

export interface Timed {
  /** Wall-clock start (ms since the epoch), to place the patchward step lines in the run. */
  readonly startedAt: number;
  readonly seconds: number;
  /**
   * CPU time the whole machine spent busy during the run (user + nice + system + irq + softirq in
   * /proc/stat), in seconds: the contender's own processes and the hosts' sshd, shells, apt and
   * dpkg alike. On a saturated machine this, not the wall time, is what the contender costs.
   */
  readonly machineCpuSeconds: number;
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** USER_HZ: the unit of /proc/stat's counters on Linux (100 on every architecture we run on). */
const USER_HZ = 100;

/** Busy CPU time of the whole machine since boot, seconds (/proc/stat's first line). */
function machineBusySeconds(): number {
  const first = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0] = first.trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq) / USER_HZ;
}

async function timed(program: string, args: readonly string[], env?: NodeJS.ProcessEnv): Promise<Timed> {
  const startedAt = Date.now();
  const started = performance.now();
  const busy = machineBusySeconds();
  const result = await run(program, args, env);
  return { startedAt, seconds: (performance.now() - started) / 1000, machineCpuSeconds: machineBusySeconds() - busy, ...result };
}

const TARGETS = PACKAGES.map((name) => `${name}=${NEW_VERSION}`);

/** The exact command line of the patchward contender (also printed and recorded in RESULTS.md). */
export function patchwardArgv(patchwardBin: string, repo: string, state: string): string[] {
  return [patchwardBin, 'rollout', '-f', repo, '--state', state, '--until', 'done'];
}

/** `patchward rollout -f REPO --state STATE --until done` in a fresh state directory. */
export function runPatchwardRollout(patchwardBin: string, repo: string, state: string, cpuProfileDir?: string): Promise<Timed> {
  const env: NodeJS.ProcessEnv = { ...process.env, PATCHWARD_LOG_LEVEL: 'warn' };
  if (cpuProfileDir !== undefined) env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${cpuProfileDir}`.trim();
  return timed(process.execPath, patchwardArgv(patchwardBin, repo, state), env);
}

/** Writes the playbook: one `apt` task, no fact gathering (Ansible's fastest way to do this one thing). */
export function writePlaybook(dir: string): string {
  const path = join(dir, 'upgrade.yml');
  writeFileSync(
    path,
    [
      '- hosts: all',
      '  gather_facts: false',
      '  tasks:',
      '    - name: upgrade pw-demo-src binaries',
      '      ansible.builtin.apt:',
      `        name: [${TARGETS.map((target) => `"${target}"`).join(', ')}]`,
      '        state: present',
      '',
    ].join('\n'),
  );
  return path;
}

/**
 * `ansible-playbook -f FORKS` with pipelining on. Each run gets a fresh ControlPath directory, so a
 * ControlPersist master left by an earlier repetition never serves a later one (every contender
 * starts cold). Counts hosts from the PLAY RECAP with `changed=1 unreachable=0 failed=0`.
 */
export async function runAnsiblePlaybook(dir: string, inventory: string, playbook: string, forks: number): Promise<Timed & { ok: number }> {
  const env = {
    ...process.env,
    ANSIBLE_HOST_KEY_CHECKING: 'True',
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_LOCAL_TEMP: join(dir, 'ansible-tmp'),
    ANSIBLE_SSH_CONTROL_PATH_DIR: mkdtempSync(join(dir, 'ansible-cp-')),
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_RETRY_FILES_ENABLED: 'False',
  };
  const result = await timed('ansible-playbook', ['-i', inventory, '-f', String(forks), playbook], env);
  const ok = result.stdout.split('\n').filter((line) => /: ok=\d+\s+changed=1\s+unreachable=0\s+failed=0/.test(line)).length;
  return { ...result, ok };
}

/** The floor: `xargs -P N` running plain `ssh … apt-get install -y NAME=VERSION…` per host. */
export async function runPlainSshInstall(
  destinations: string,
  keyPath: string,
  knownHosts: string,
  parallel: number,
): Promise<Timed & { ok: number }> {
  const remote = `env DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${TARGETS.join(' ')} >/dev/null && echo @@done`;
  const ssh = ['ssh', '-i', keyPath, ...sshOptions(knownHosts), '{}', remote];
  const result = await timed('xargs', ['-P', String(parallel), '-I{}', '-a', destinations, ...ssh]);
  const ok = result.stdout.split('\n').filter((line) => line === '@@done').length;
  return { ...result, ok };
}

/** The floor's command line, for the record (DESTINATIONS: one `ssh://root@ADDRESS:PORT` per line). */
export function plainSshCommand(parallel: number): string {
  return `xargs -P ${parallel} -I{} -a DESTINATIONS ssh -i KEY -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=KNOWN_HOSTS {} 'env DEBIAN_FRONTEND=noninteractive apt-get install -y -q ${TARGETS.join(' ')}'`;
}
