/**
 * Child process of the benchmark: an ssh2 `Server` on 127.0.0.1 answering every exec request with
 * the facts output of a Debian host with ~1,500 packages. Runs apart from the controller so that
 * the controller's CPU and memory figures are its own. Prints `READY <port> <hostKeyLine>`.
 */
import { readFileSync } from 'node:fs';
import { FakeSshServer } from '../../test/fakes/fake-ssh-server.js';
import { factsOutput } from '../../test/fakes/fake-transport.js';

export function syntheticDpkgLines(count: number): string {
  const lines: string[] = [];
  for (let index = 0; index < count; index++) {
    const source = `src${Math.floor(index / 3)}`;
    lines.push(
      `pkg${index}-lib\t${1 + (index % 7)}.${index % 13}.${index % 5}-${1 + (index % 3)}+deb12u${index % 4}\tamd64\tii \t${source}\t${1 + (index % 7)}.${index % 13}.${index % 5}-${1 + (index % 3)}`,
    );
  }
  return lines.join('\n');
}

export function syntheticFacts(packages: number): string {
  return factsOutput({
    'os-release': ['PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm', '0'],
    uname: ['6.1.0-18-amd64\nx86_64', '0'],
    pm: ['apt', '0'],
    arch: ['amd64', '0'],
    packages: [syntheticDpkgLines(packages), '0'],
    reboot: ['', '0'],
    locks: ['', '0'],
  });
}

async function main(): Promise<void> {
  const [authorizedKeyFile, packages = '1500'] = process.argv.slice(2);
  if (authorizedKeyFile === undefined) throw new Error('usage: sim-server AUTHORIZED_KEY_FILE [PACKAGES]');
  const stdout = syntheticFacts(Number(packages));
  const server = new FakeSshServer({ exec: () => ({ stdout }), authorizedKey: readFileSync(authorizedKeyFile, 'utf8').trim() });
  const port = await server.listen();
  process.stdout.write(`READY ${port} ${server.hostKeyLine}\n`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

if (process.argv[1]?.endsWith('sim-server.js') === true) void main();
