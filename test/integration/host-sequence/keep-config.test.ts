/**
 * apply keeps a configuration file the admin changed (dpkg `--force-confold` with `--force-confdef`)
 * instead of stopping at dpkg's conffile prompt, which has no terminal to ask on. The two versions
 * of `pw-conf` (a conffile /etc/pw-conf.conf that changes between them) are built here with the
 * real dpkg-deb and served to the host from a second local apt source.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { packageManagerFor } from '../../../controller/edges/packages/host-package-manager.js';
import { runChecked } from '../../harness/os-process.js';
import { ensureSandboxImage, startHosts, type SandboxFleet } from '../../harness/sandbox.js';
import { sandboxTransports, type SandboxTransports } from '../../helpers/sandbox-transport.js';

const HOST = 'conf-apt-01';

async function buildConffilePackages(dir: string): Promise<void> {
  for (const [version, setting] of [
    ['1.0-1', 'threads = 4'],
    ['1.0-2', 'threads = 8'],
  ] as const) {
    const root = join(dir, `pw-conf-${version}`);
    mkdirSync(join(root, 'DEBIAN'), { recursive: true });
    mkdirSync(join(root, 'etc'), { recursive: true });
    writeFileSync(join(root, 'etc/pw-conf.conf'), `# shipped by pw-conf ${version}\n${setting}\n`);
    writeFileSync(join(root, 'DEBIAN/conffiles'), '/etc/pw-conf.conf\n');
    writeFileSync(
      join(root, 'DEBIAN/control'),
      `Package: pw-conf\nVersion: ${version}\nArchitecture: all\nMaintainer: patchward tests <t@patchward.invalid>\nDescription: conffile test package\n`,
    );
    await runChecked('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', root, join(dir, 'repo', `pw-conf_${version}_all.deb`)]);
  }
}

describe('apply keeps changed configuration files', { timeout: 300_000 }, () => {
  let fleet: SandboxFleet;
  let ssh: SandboxTransports;
  let dir: string;

  before(async () => {
    await ensureSandboxImage({ quiet: true });
    dir = mkdtempSync(join(tmpdir(), 'patchward-conffile-'));
    mkdirSync(join(dir, 'repo'));
    await buildConffilePackages(dir);
    const index = await runChecked('sh', ['-c', 'cd "$1" && dpkg-scanpackages --multiversion . 2>/dev/null', 'scan', join(dir, 'repo')]);
    writeFileSync(join(dir, 'repo', 'Packages'), index);
    fleet = await startHosts({ count: 1, flavour: 'apt', namePrefix: 'conf-apt' });
    for (const file of readdirSync(join(dir, 'repo'))) {
      const copied = await fleet.exec(
        HOST,
        ['sh', '-c', 'mkdir -p /var/local/pw-extra && base64 -d > "/var/local/pw-extra/$1"', 'copy', file],
        {
          input: readFileSync(join(dir, 'repo', file)).toString('base64'),
        },
      );
      assert.equal(copied.code, 0, copied.stderr);
    }
    const setup = await fleet.exec(HOST, [
      'sh',
      '-c',
      [
        'echo "deb [trusted=yes] file:/var/local/pw-extra ./" > /etc/apt/sources.list.d/pw-extra.list',
        'apt-get update -q >/dev/null',
        'DEBIAN_FRONTEND=noninteractive apt-get install -y -q pw-conf=1.0-1 >/dev/null',
        // The admin tunes the configuration.
        'echo "threads = 16  # tuned by the admin" >> /etc/pw-conf.conf',
      ].join(' && '),
    ]);
    assert.equal(setup.code, 0, setup.stderr);
    ssh = sandboxTransports(fleet);
  });

  after(async () => {
    await ssh?.close();
    await fleet?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('upgrades to the exact version without a prompt, keeps the admin file, leaves the new one beside it', async () => {
    const pm = packageManagerFor('apt', ssh.transport(HOST));
    const applied = await pm.apply([{ name: 'pw-conf', version: '1.0-2' }], { timeoutMs: 120_000, sudo: true, lockTimeoutSeconds: 30 });
    assert.ok(applied.ok, applied.ok ? '' : applied.error.output);
    const conf = await fleet.exec(HOST, ['cat', '/etc/pw-conf.conf']);
    assert.match(conf.stdout, /tuned by the admin/);
    assert.match(conf.stdout, /shipped by pw-conf 1\.0-1/);
    const shipped = await fleet.exec(HOST, ['cat', '/etc/pw-conf.conf.dpkg-dist']);
    assert.match(shipped.stdout, /shipped by pw-conf 1\.0-2/);
    const version = await fleet.exec(HOST, ['dpkg-query', '-W', '-f', '${Version} ${db:Status-Abbrev}', 'pw-conf']);
    assert.equal(version.stdout.trim(), '1.0-2 ii');
  });
});
