/**
 * `HostAgent` over a `Transport` (SSH in production), apt and dnf. Every command is an argv vector
 * quoted by the transport's one quoting function; package names and versions come from the
 * validated baseline and the host's own metadata.
 */
import { connect } from 'node:net';
import type { AvailableVersion } from '../../core/inventory/host-inventory.js';
import type { HealthCheck, Hook } from '../../core/model/generated/kinds.js';
import { parseDurationSeconds } from '../../core/model/duration.js';
import { isPatchwardError } from '../../errors.js';
import { collectHostFacts } from '../../edges/packages/collect-facts.js';
import type { Transport } from '../../ports/transport.js';
import { TRANSPORT_ERROR_CODES } from '../../ports/transport.js';
import type { GateResult, HostAgent, HostObservation, SimulatedTransaction } from './host-agent.js';

type Pm = 'apt' | 'dnf';

const APT_ENV = ['env', 'DEBIAN_FRONTEND=noninteractive', 'LC_ALL=C'];
const APT_OPTIONS = ['-o', 'DPkg::Lock::Timeout=120', '-o', 'Dpkg::Options::=--force-confold', '-o', 'Dpkg::Options::=--force-confdef'];

function seconds(text: string | undefined, fallback: number): number {
  return text === undefined ? fallback : (parseDurationSeconds(text) ?? fallback);
}

/** dnf wants `name-[epoch:]version-release`. */
function dnfSpec(name: string, version: string): string {
  return `${name}-${version}`;
}

function tail(text: string, max = 600): string {
  const trimmed = text.trim();
  return trimmed.length <= max ? trimmed : `…${trimmed.slice(-max)}`;
}

/** `Inst name [old] (new …)` / `Remv name [old]` lines of `apt-get -s`. */
export function parseAptTransaction(text: string): SimulatedTransaction {
  const installs: { name: string; version: string; isNew: boolean }[] = [];
  const removes: string[] = [];
  for (const line of text.split('\n')) {
    const inst = /^Inst (\S+) (?:\[([^\]]+)\] )?\((\S+)/.exec(line);
    if (inst !== null) installs.push({ name: inst[1] ?? '', version: inst[3] ?? '', isNew: inst[2] === undefined });
    const remv = /^(?:Remv|Purg) (\S+)/.exec(line);
    if (remv !== null) removes.push(remv[1] ?? '');
  }
  return { installs, removes };
}

/** The transaction table of `dnf --assumeno install …` (sections Installing/Upgrading/Removing…). */
export function parseDnfTransaction(text: string): SimulatedTransaction {
  const installs: { name: string; version: string; isNew: boolean }[] = [];
  const removes: string[] = [];
  let section = '';
  for (const line of text.split('\n')) {
    const header = /^([A-Z][A-Za-z ]+):\s*$/.exec(line);
    if (header !== null) {
      section = header[1] ?? '';
      continue;
    }
    if (/^Transaction Summary/.test(line)) section = '';
    const replacing = /^\s+replacing\s+(\S+?)\.[^.\s]+\s/.exec(line);
    if (replacing !== null) {
      removes.push(replacing[1] ?? '');
      continue;
    }
    const row = /^ (\S+)\s+(\S+)\s+(\S+)\s+\S+/.exec(line);
    if (row === null || section === '') continue;
    const [, name = '', , version = ''] = row;
    if (/^(Installing|Upgrading|Downgrading|Reinstalling)/.test(section))
      installs.push({ name, version, isNew: /^Installing/.test(section) });
    else if (/^(Removing|Obsoleting)/.test(section)) removes.push(name);
  }
  return { installs, removes };
}

export class SshHostAgent implements HostAgent {
  readonly host: string;
  readonly #transport: Transport;
  readonly #address: string;
  readonly #sudo: boolean;
  readonly #timeoutMs: number;

  constructor(transport: Transport, options: { readonly address: string; readonly sudo: boolean; readonly commandTimeoutMs: number }) {
    this.host = transport.host;
    this.#transport = transport;
    this.#address = options.address;
    this.#sudo = options.sudo;
    this.#timeoutMs = options.commandTimeoutMs;
  }

  #run(argv: readonly string[], timeoutMs = this.#timeoutMs) {
    return this.#transport.run(argv, { timeoutMs, sudo: this.#sudo });
  }

  async bootId(): Promise<string> {
    const result = await this.#run(['cat', '/proc/sys/kernel/random/boot_id'], 20_000);
    return result.stdout.trim();
  }

  async observe(): Promise<HostObservation> {
    const facts = await collectHostFacts(this.#transport, {
      pendingUpgrades: false,
      refresh: false,
      timeoutMs: this.#timeoutMs,
      sudo: this.#sudo,
    });
    // The facts script reads the boot id in the same invocation; a second command only when it could not.
    const bootId = facts.bootId === '' ? await this.bootId() : facts.bootId;
    return {
      os: facts.os,
      packageManager: facts.packageManager,
      packages: facts.packages,
      bootId,
      rebootRequired: facts.reboot.required,
      packageDb: {
        healthy: facts.packageDb.healthy,
        problems: facts.packageDb.problems.map((problem) => `${problem.kind}: ${problem.detail}`),
      },
    };
  }

  async available(names: readonly string[], pm: Pm): Promise<AvailableVersion[]> {
    if (names.length === 0) return [];
    if (pm === 'apt') {
      await this.#run([...APT_ENV, 'apt-get', '-q', 'update', ...APT_OPTIONS]);
      const result = await this.#run(['env', 'LC_ALL=C', 'apt-cache', 'show', '--', ...names]);
      const found: AvailableVersion[] = [];
      for (const stanza of result.stdout.split(/\n\n+/)) {
        const field = (key: string) => new RegExp(`^${key}: (.*)$`, 'm').exec(stanza)?.[1]?.trim();
        const name = field('Package');
        const version = field('Version');
        if (name === undefined || version === undefined) continue;
        const source = /^(\S+)(?: \((\S+)\))?$/.exec(field('Source') ?? '');
        found.push({
          name,
          version,
          ...(field('Architecture') === undefined ? {} : { arch: field('Architecture') as string }),
          source: source?.[1] ?? name,
          sourceVersion: source?.[2] ?? version,
        });
      }
      return found;
    }
    await this.#run(['dnf', '-q', 'makecache']);
    const result = await this.#run([
      'dnf',
      '-q',
      'repoquery',
      '--showduplicates',
      '--qf',
      '%{name}\t%{epoch}\t%{version}\t%{release}\t%{arch}',
      '--',
      ...names,
    ]);
    return result.stdout
      .split('\n')
      .map((line) => line.split('\t'))
      .filter((fields) => fields.length === 5)
      .map(([name = '', epoch = '', version = '', release = '', arch = '']) => ({
        name,
        version: `${epoch === '0' || epoch === '' || epoch === '(none)' ? '' : `${epoch}:`}${version}-${release}`,
        arch,
      }));
  }

  async installed(names: readonly string[], pm: Pm): Promise<Record<string, string>> {
    const versions: Record<string, string> = Object.fromEntries(names.map((name) => [name, '']));
    if (names.length === 0) return versions;
    if (pm === 'apt') {
      const result = await this.#run(['dpkg-query', '-W', '-f', '${Package}\\t${Version}\\t${db:Status-Abbrev}\\n', '--', ...names]);
      for (const line of result.stdout.split('\n')) {
        const [name = '', version = '', status = ''] = line.split('\t');
        if (name in versions && status.startsWith('ii')) versions[name] = version;
      }
      return versions;
    }
    const result = await this.#run(['rpm', '-q', '--qf', '%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\n', '--', ...names]);
    for (const line of result.stdout.split('\n')) {
      const [name = '', epoch = '', version = '', release = ''] = line.split('\t');
      if (name in versions && release !== '')
        versions[name] = `${epoch === '(none)' || epoch === '' ? '' : `${epoch}:`}${version}-${release}`;
    }
    return versions;
  }

  async preHook(hook: Hook): Promise<GateResult> {
    return this.#command(hook.command, seconds(hook.timeout, 600) * 1000, 'preHook');
  }

  async #command(argv: readonly string[], timeoutMs: number, label: string): Promise<GateResult> {
    try {
      const result = await this.#run(argv, timeoutMs);
      if (result.exitCode === 0) return { ok: true };
      return {
        ok: false,
        timedOut: false,
        signal: `${label} ${argv.join(' ')} exited ${result.exitCode}: ${tail(result.stderr || result.stdout, 200)}`,
      };
    } catch (error) {
      if (isPatchwardError(error) && error.code === TRANSPORT_ERROR_CODES.commandTimeout) {
        return { ok: false, timedOut: true, signal: `${label} ${argv.join(' ')} timed out after ${timeoutMs} ms` };
      }
      throw error;
    }
  }

  async simulate(targets: Readonly<Record<string, string>>, pm: Pm): Promise<SimulatedTransaction> {
    const entries = Object.entries(targets);
    if (pm === 'apt') {
      const result = await this.#run([
        ...APT_ENV,
        'apt-get',
        '-s',
        '-y',
        ...APT_OPTIONS,
        'install',
        '--',
        ...entries.map(([n, v]) => `${n}=${v}`),
      ]);
      if (result.exitCode !== 0) throw new Error(`apt-get -s exited ${result.exitCode}: ${tail(result.stderr, 300)}`);
      return parseAptTransaction(result.stdout);
    }
    const result = await this.#run(['dnf', '--assumeno', 'install', '--', ...entries.map(([n, v]) => dnfSpec(n, v))]);
    // dnf --assumeno exits 1 after printing the transaction ("Operation aborted").
    if (!/Transaction Summary|Nothing to do/.test(result.stdout))
      throw new Error(`dnf --assumeno exited ${result.exitCode}: ${tail(result.stderr || result.stdout, 300)}`);
    return parseDnfTransaction(result.stdout);
  }

  async apply(targets: Readonly<Record<string, string>>, pm: Pm): Promise<{ exitCode: number; output: string }> {
    const entries = Object.entries(targets);
    const argv =
      pm === 'apt'
        ? [
            ...APT_ENV,
            'apt-get',
            'install',
            '-y',
            '-q',
            '--no-install-recommends',
            ...APT_OPTIONS,
            '--',
            ...entries.map(([n, v]) => `${n}=${v}`),
          ]
        : ['dnf', '-y', 'install', '--', ...entries.map(([n, v]) => dnfSpec(n, v))];
    const result = await this.#run(argv);
    return { exitCode: result.exitCode, output: tail(`${result.stdout}\n${result.stderr}`) };
  }

  async downgrade(versions: Readonly<Record<string, string>>, pm: Pm): Promise<{ exitCode: number; output: string }> {
    const entries = Object.entries(versions);
    const argv =
      pm === 'apt'
        ? [
            ...APT_ENV,
            'apt-get',
            'install',
            '-y',
            '-q',
            '--allow-downgrades',
            '--no-install-recommends',
            ...APT_OPTIONS,
            '--',
            ...entries.map(([n, v]) => `${n}=${v}`),
          ]
        : ['dnf', '-y', 'downgrade', '--', ...entries.map(([n, v]) => dnfSpec(n, v))];
    const result = await this.#run(argv);
    return { exitCode: result.exitCode, output: tail(`${result.stdout}\n${result.stderr}`) };
  }

  async reboot(command: readonly string[]): Promise<void> {
    try {
      await this.#run(command, 30_000);
    } catch (error) {
      // The connection going away under the reboot command is what a reboot looks like.
      if (!isPatchwardError(error)) throw error;
    }
  }

  async health(check: HealthCheck): Promise<GateResult> {
    const timeoutMs = seconds(check.timeout, 30) * 1000;
    if (check.command !== undefined) return this.#command(check.command, timeoutMs, `health check ${check.name}:`);
    if (check.tcp !== undefined) return tcpCheck(check.name, this.#address, check.tcp.port, timeoutMs);
    if (check.http !== undefined) {
      const url = check.http.url.replaceAll('{address}', this.#address);
      return httpCheck(check.name, url, check.http.expectStatus ?? 200, timeoutMs);
    }
    return { ok: false, timedOut: false, signal: `health check ${check.name}: no kind this patchward knows` };
  }

  async close(): Promise<void> {
    await this.#transport.close();
  }
}

function tcpCheck(name: string, address: string, port: number, timeoutMs: number): Promise<GateResult> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ ok: true });
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve({ ok: false, timedOut: true, signal: `health check ${name}: tcp ${address}:${port} timed out` });
    });
    socket.once('error', (error) =>
      resolve({ ok: false, timedOut: false, signal: `health check ${name}: tcp ${address}:${port}: ${error.message}` }),
    );
  });
}

async function httpCheck(name: string, url: string, expect: number, timeoutMs: number): Promise<GateResult> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await response.body?.cancel();
    if (response.status === expect) return { ok: true };
    return { ok: false, timedOut: false, signal: `health check ${name}: GET ${url} answered ${response.status}, expected ${expect}` };
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    return { ok: false, timedOut, signal: `health check ${name}: GET ${url}: ${(error as Error).message}` };
  }
}
