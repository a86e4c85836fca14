/**
 * Rollout benchmark (issue 10, "Speed"). Run as root after `npx tsc -p tsconfig.json`:
 *
 *   node dist/bench/rollout/run.js [--hosts 50] [--rounds 3] [--concurrency 50]
 *                                  [--only patchward,ssh] [--cpu-prof DIR]
 *
 * N apt sandbox hosts (test/harness: real sshd + dpkg) in ONE ring with `maxConcurrent` N; each
 * host upgrades pw-libdemo and pw-demo-utils 1.0-1 → 1.0-2 from the sandbox repository, three
 * ways, in one run, median of `--rounds`:
 * 1. `patchward rollout -f REPO --state STATE --until done` (a child process; a fresh state
 *    directory per repetition; window open now, soak 0s);
 * 2. `ansible-playbook -f N` with one `apt` task, pipelining on, no fact gathering;
 * 3. `xargs -P N ssh … apt-get install -y …` (the floor).
 * Before every timed run the old versions are put back inside the hosts (a real apt downgrade, not
 * timed); after it, every host's own dpkg database must show 1.0-2 for both packages, otherwise
 * that figure is void. The order of the contenders rotates from round to round. Each run also
 * prints the CPU time the whole machine was busy during it (the hosts' sshd, apt and dpkg
 * included). `--only` times some contenders (for working on one; the targets need all three in one
 * run); `--cpu-prof DIR` has the patchward child write a V8 CPU profile there.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureSandboxImage, type SandboxFleet, startHosts } from '../../test/harness/sandbox.js';
import { writeInputs } from '../inventory/contenders.js';
import {
  patchwardArgv,
  plainSshCommand,
  runAnsiblePlaybook,
  runPatchwardRollout,
  runPlainSshInstall,
  type Timed,
  writePlaybook,
} from './contenders.js';
import { hostsNotAt, NEW_VERSION, OLD_VERSION, resetHosts, writePolicyRepo } from './hosts.js';
import { formatProfile, median, profileRollout } from './profile.js';

type Contender = 'patchward' | 'ansible' | 'ssh';
const CONTENDERS: readonly Contender[] = ['patchward', 'ansible', 'ssh'];

interface Figure {
  readonly seconds: number;
  readonly machineCpuSeconds: number;
  /** Empty when every host was upgraded and the tool said so; else why the figure is void. */
  readonly void: string;
}

const fmt = (seconds: number): string => `${seconds.toFixed(2)} s`;
const out = (text: string) => process.stdout.write(`${text}\n`);

async function checkUpgraded(fleet: SandboxFleet, name: Contender, result: Timed, toolOk: boolean): Promise<Figure> {
  const wrong = await hostsNotAt(fleet, NEW_VERSION);
  const reasons = [
    ...(wrong.length > 0
      ? [`${wrong.length} hosts not at ${NEW_VERSION}: ${wrong.slice(0, 3).join('; ')}; ${name} said: ${result.stdout.trim().slice(-600)}`]
      : []),
    ...(toolOk ? [] : [`${name} exited ${result.code}: ${(result.stderr || result.stdout).trim().slice(-600)}`]),
  ];
  return { seconds: result.seconds, machineCpuSeconds: result.machineCpuSeconds, void: reasons.join(' / ') };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      hosts: { type: 'string', default: '50' },
      rounds: { type: 'string', default: '3' },
      concurrency: { type: 'string', default: '50' },
      only: { type: 'string', default: CONTENDERS.join(',') },
      'cpu-prof': { type: 'string' },
    },
  });
  const chosen = values.only.split(',').map((name) => name.trim());
  const unknown = chosen.filter((name) => !(CONTENDERS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`--only: unknown contender(s) ${unknown.join(', ')} (known: ${CONTENDERS.join(', ')})`);
  const contenders = CONTENDERS.filter((name) => chosen.includes(name));
  const count = Number(values.hosts);
  const rounds = Number(values.rounds);
  const concurrency = Number(values.concurrency);
  const patchwardBin = resolve(dirname(fileURLToPath(import.meta.url)), '../../../bin/patchward.js');

  await ensureSandboxImage({ quiet: true });
  const fleet = await startHosts({ count, flavour: 'apt', namePrefix: 'bench' });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'pw-bench-rollout-'));
    const inputs = writeInputs(dir, fleet.hosts, fleet.clientKeyPath);
    const playbook = writePlaybook(dir);
    const repo = join(dir, 'repo');
    const revision = writePolicyRepo(repo, fleet, concurrency);
    const notOld = await hostsNotAt(fleet, OLD_VERSION);
    if (notOld.length > 0) throw new Error(`fresh hosts not at ${OLD_VERSION}: ${notOld.slice(0, 3).join('; ')}`);
    out(`${count} apt sandbox hosts, one ring (maxConcurrent ${concurrency}), policy revision ${revision.slice(0, 12)}`);
    out(`patchward: node ${patchwardArgv(patchwardBin, repo, join(dir, 'state-N')).join(' ')}`);
    out(`ansible:   ansible-playbook -i ${inputs.ansibleInventory} -f ${concurrency} ${playbook} (ANSIBLE_PIPELINING=True)`);
    out(`ssh:       ${plainSshCommand(concurrency)}`);

    // Warm-up, not counted: the floor's upgrade once (page cache, sshd first exec, apt's binary cache).
    const warm = await runPlainSshInstall(inputs.ports, fleet.clientKeyPath, inputs.knownHosts, concurrency);
    out(`warm-up (plain ssh, not counted): ${fmt(warm.seconds)}, ${warm.ok}/${count} ok`);

    const figures: Record<Contender, Figure[]> = { patchward: [], ansible: [], ssh: [] };
    const profiles: string[] = [];
    let stateIndex = 0;
    for (let round = 0; round < rounds; round++) {
      const order = contenders.map((_, index) => contenders[(index + round) % contenders.length] as Contender);
      const line: string[] = [];
      for (const name of order) {
        await resetHosts(fleet);
        let figure: Figure;
        if (name === 'patchward') {
          const state = join(dir, `state-${++stateIndex}`);
          const result = await runPatchwardRollout(patchwardBin, repo, state, values['cpu-prof']);
          figure = await checkUpgraded(fleet, name, result, result.code === 0);
          profiles.push(
            `round ${round + 1} (${fmt(result.seconds)}):\n${formatProfile(profileRollout(result.stdout, result.startedAt, result.seconds))}`,
          );
        } else if (name === 'ansible') {
          const result = await runAnsiblePlaybook(dir, inputs.ansibleInventory, playbook, concurrency);
          figure = await checkUpgraded(fleet, name, result, result.code === 0 && result.ok === count);
        } else {
          const result = await runPlainSshInstall(inputs.ports, fleet.clientKeyPath, inputs.knownHosts, concurrency);
          figure = await checkUpgraded(fleet, name, result, result.code === 0 && result.ok === count);
        }
        figures[name].push(figure);
        line.push(`${name} ${fmt(figure.seconds)} (machine CPU ${fmt(figure.machineCpuSeconds)})${figure.void === '' ? '' : ' VOID'}`);
        if (figure.void !== '') process.stderr.write(`round ${round + 1} ${name} VOID: ${figure.void}\n`);
      }
      out(`round ${round + 1}: ${line.join(', ')}`);
    }

    const valid = (name: Contender) => figures[name].filter((figure) => figure.void === '');
    const summary = (name: Contender, of: (figure: Figure) => number) => {
      const ok = valid(name);
      return ok.length === rounds ? median(ok.map(of)) : undefined;
    };
    const wall = (figure: Figure) => figure.seconds;
    const cpu = (figure: Figure) => figure.machineCpuSeconds;
    const pw = summary('patchward', wall);
    const an = summary('ansible', wall);
    const ss = summary('ssh', wall);
    const show = (value: number | undefined) => (value === undefined ? 'VOID (a repetition did not upgrade every host)' : fmt(value));
    const all = (name: Contender) => figures[name].map((figure) => figure.seconds.toFixed(2)).join(' / ');
    const cpuOf = (name: Contender) => {
      const value = summary(name, cpu);
      return value === undefined ? '' : `, machine CPU ${fmt(value)}`;
    };
    const line = (label: string, name: Contender) => {
      if (contenders.includes(name)) out(`${label}${show(summary(name, wall))}  (${all(name)})${cpuOf(name)}`);
    };
    out('');
    out(
      `== ${count} sandbox hosts (apt), one upgrade each (pw-demo-src ${OLD_VERSION} → ${NEW_VERSION}), concurrency ${concurrency}, median of ${rounds}`,
    );
    line('patchward rollout     ', 'patchward');
    line('ansible-playbook      ', 'ansible');
    line('xargs -P ssh apt-get  ', 'ssh');
    if (pw !== undefined && an !== undefined)
      out(`ansible / patchward   ${(an / pw).toFixed(2)}x   (target >= 2x: ${an / pw >= 2 ? 'met' : 'MISSED'})`);
    if (pw !== undefined && ss !== undefined)
      out(`patchward / ssh       ${(pw / ss).toFixed(2)}x   (target <= 1.3x: ${pw / ss <= 1.3 ? 'met' : 'MISSED'})`);
    out('every timed run was checked on the hosts (dpkg-query inside each host): both packages at 1.0-2, status ii');
    out('');
    out('where patchward spends its time:');
    for (const profile of profiles) out(profile);
  } finally {
    await fleet.stop();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
