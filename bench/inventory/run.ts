/**
 * Inventory benchmark (issue #4). Run as root after `npx tsc -p tsconfig.json`:
 *
 *   node dist/bench/inventory/run.js [--hosts 50] [--rounds 3] [--sim 2000] [--sim-packages 1500] [--concurrency 50]
 *
 * 1. N sandbox hosts (test/harness, apt flavour, real sshd + dpkg): patchward's inventory vs
 *    Ansible (`ansible all -f N -m shell -a dpkg-query…`, pipelining on) vs plain `ssh` under
 *    `xargs -P N` (the lower bound). Same hosts, keys pinned for all three, same concurrency,
 *    rounds interleaved, median of `--rounds`.
 * 2. `--sim` simulated SSH endpoints: an ssh2 server in a CHILD process answers every host with
 *    ~1,500 dpkg lines; the controller's own CPU and memory per host are measured in this process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { collectSshInventory } from '../../controller/edges/inventory/collect-fleet-inventory.js';
import { FileSecretReader } from '../../controller/edges/transport/secrets/file-secret-reader.js';
import type { SshTarget } from '../../controller/ports/transport.js';
import { generateKeyPair } from '../../test/fakes/fake-ssh-server.js';
import { ensureSandboxImage, startHosts } from '../../test/harness/sandbox.js';
import { runAnsible, runPatchward, runPlainSsh, writeInputs, type RunOutcome } from './contenders.js';

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

const fmt = (seconds: number): string => `${seconds.toFixed(2)} s`;

async function realHosts(count: number, rounds: number, concurrency: number): Promise<void> {
  await ensureSandboxImage({ quiet: true });
  const fleet = await startHosts({ count, flavour: 'apt', namePrefix: 'bench' });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'pw-bench-'));
    const inputs = writeInputs(dir, fleet.hosts, fleet.clientKeyPath);
    const results: Record<'patchward' | 'ansible' | 'ssh', RunOutcome[]> = { patchward: [], ansible: [], ssh: [] };
    // Warm-up (page cache, sshd first-exec) not counted.
    await runPlainSsh(inputs.ports, fleet.clientKeyPath, inputs.knownHosts, concurrency, count);
    for (let round = 0; round < rounds; round++) {
      results.patchward.push(await runPatchward(fleet.hosts, fleet.clientKeyPath, concurrency));
      results.ansible.push(await runAnsible(dir, inputs.ansibleInventory, concurrency, count));
      results.ssh.push(await runPlainSsh(inputs.ports, fleet.clientKeyPath, inputs.knownHosts, concurrency, count));
      process.stdout.write(
        `round ${round + 1}: patchward ${fmt(results.patchward.at(-1)?.seconds ?? 0)}, ansible ${fmt(results.ansible.at(-1)?.seconds ?? 0)}, ssh ${fmt(results.ssh.at(-1)?.seconds ?? 0)}\n`,
      );
    }
    const pw = median(results.patchward.map((r) => r.seconds));
    const an = median(results.ansible.map((r) => r.seconds));
    const ss = median(results.ssh.map((r) => r.seconds));
    process.stdout.write(
      [
        '',
        `== ${count} sandbox hosts (apt), concurrency ${concurrency}, median of ${rounds}`,
        `patchward inventory   ${fmt(pw)}  (ok ${results.patchward.map((r) => r.okHosts).join('/')})`,
        `ansible -m shell      ${fmt(an)}  (ok ${results.ansible.map((r) => r.okHosts).join('/')})`,
        `xargs -P ssh          ${fmt(ss)}  (ok ${results.ssh.map((r) => r.okHosts).join('/')})`,
        `ansible / patchward   ${(an / pw).toFixed(2)}x   (target >= 3x)`,
        `patchward / ssh       ${(pw / ss).toFixed(2)}x   (target <= 1.5x)`,
        '',
      ].join('\n'),
    );
  } finally {
    await fleet.stop();
  }
}

function startSimServer(keyFile: string, packages: number): Promise<{ port: number; hostKey: string; stop: () => void }> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'sim-server.js');
  const child = spawn(process.execPath, [script, keyFile, String(packages)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const match = /^READY (\d+) (\S+ \S+)\n/.exec(buffer);
      if (match !== null) resolve({ port: Number(match[1]), hostKey: match[2] ?? '', stop: () => child.kill('SIGTERM') });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`sim-server exited ${code}`)));
  });
}

async function simulated(count: number, packages: number, concurrency: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pw-bench-sim-'));
  const key = generateKeyPair();
  writeFileSync(join(dir, 'id'), key.privateKey, { mode: 0o600 });
  writeFileSync(join(dir, 'id.pub'), key.publicKey);
  const server = await startSimServer(join(dir, 'id.pub'), packages);
  try {
    const targets: SshTarget[] = Array.from({ length: count }, (_, index) => ({
      name: `sim-${String(index).padStart(4, '0')}`,
      address: '127.0.0.1',
      port: server.port,
      user: 'root',
      key: { file: join(dir, 'id') },
      hostKeys: [server.hostKey],
      trustOnFirstUse: false,
      sudo: false,
      connectTimeoutMs: 60_000,
      commandTimeoutMs: 120_000,
    }));
    global.gc?.();
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    let peakHeap = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      peakRss = Math.max(peakRss, usage.rss);
      peakHeap = Math.max(peakHeap, usage.heapUsed);
    }, 50);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const { inventory } = await collectSshInventory(targets, {
      secrets: new FileSecretReader({ baseDir: '/' }),
      logger: pino({ level: 'silent' }),
      concurrency,
      hostTimeoutMs: 120_000,
    });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    const ok = inventory.items.filter((item) => item.status === 'ok').length;
    const packagesSeen = inventory.items.reduce((sum, item) => sum + (item.packages?.length ?? 0), 0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
    process.stdout.write(
      [
        `== ${count} simulated SSH endpoints (ssh2 server in a child process), ${packages} packages each, concurrency ${concurrency}`,
        `ok hosts              ${ok}/${count} (${packagesSeen} package records)`,
        `wall                  ${fmt(seconds)}  (${(count / seconds).toFixed(1)} hosts/s)`,
        `controller CPU        ${(cpuMs / 1000).toFixed(2)} s total, ${(cpuMs / count).toFixed(2)} ms per host`,
        `controller memory     peak RSS ${mib(peakRss)} (base ${mib(baseRss)}), peak heap ${mib(peakHeap)}; result kept: ${(JSON.stringify(inventory).length / count / 1024).toFixed(1)} KiB JSON per host`,
        '',
      ].join('\n'),
    );
  } finally {
    server.stop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      hosts: { type: 'string', default: '50' },
      rounds: { type: 'string', default: '3' },
      sim: { type: 'string', default: '2000' },
      'sim-packages': { type: 'string', default: '1500' },
      concurrency: { type: 'string', default: '50' },
    },
  });
  const concurrency = Number(values.concurrency);
  if (Number(values.hosts) > 0) await realHosts(Number(values.hosts), Number(values.rounds), concurrency);
  if (Number(values.sim) > 0) await simulated(Number(values.sim), Number(values['sim-packages']), concurrency);
}

void main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
