/**
 * The host sequence's edge steps on real sandbox hosts over SSH: preHook outcomes, a reboot that
 * comes back with a new boot id (the harness's in-host `systemctl reboot`), a reboot that never
 * happens, rollback to exact previous versions, and command/TCP/HTTP health checks against services
 * bound to one host's own loopback address (so the same check fails on the other host).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { packageManagerFor } from '../../../controller/edges/packages/host-package-manager.js';
import { reinstallPrevious, rebootHost, runPreHook } from '../../../controller/edges/host-steps/index.js';
import { runHealthChecks } from '../../../controller/edges/health/index.js';
import { ensureSandboxImage, startHosts, type SandboxFleet } from '../../harness/sandbox.js';
import { sandboxTransports, type SandboxTransports } from '../../helpers/sandbox-transport.js';

const APPLY = { timeoutMs: 120_000, sudo: true, lockTimeoutSeconds: 30 } as const;
const SERVICE_PORT = 18080;

describe('host steps on sandbox hosts', { timeout: 600_000 }, () => {
  let fleet: SandboxFleet;
  let ssh: SandboxTransports;
  const [a, b, rpm] = ['hs-apt-01', 'hs-apt-02', 'hs-rpm-01'] as const;

  before(async () => {
    await ensureSandboxImage({ quiet: true });
    fleet = await startHosts({
      groups: [
        { count: 2, flavour: 'apt', namePrefix: 'hs-apt' },
        { count: 1, flavour: 'rpm', namePrefix: 'hs-rpm' },
      ],
    });
    ssh = sandboxTransports(fleet);
  });

  after(async () => {
    await ssh?.close();
    await fleet?.stop();
  });

  describe('preHook', () => {
    it('ok: exit 0 with its output', async () => {
      const outcome = await runPreHook(ssh.transport(a), {
        command: ['sh', '-c', 'echo draining; exit 0'],
        timeoutMs: 20_000,
        sudo: false,
      });
      assert.equal(outcome.outcome, 'ok');
      assert.equal(outcome.outcome === 'ok' ? outcome.output : '', 'draining');
    });

    it('failed: the exit code and output', async () => {
      const outcome = await runPreHook(ssh.transport(a), {
        command: ['sh', '-c', 'echo "not now" >&2; exit 3'],
        timeoutMs: 20_000,
        sudo: false,
      });
      assert.deepEqual(outcome.outcome === 'failed' ? [outcome.exitCode, outcome.output] : outcome, [3, 'not now']);
    });

    it('timed-out: a hook that runs past its timeout', async () => {
      const outcome = await runPreHook(ssh.transport(a), { command: ['sleep', '30'], timeoutMs: 1000, sudo: false });
      assert.deepEqual(outcome, { outcome: 'timed-out', timeoutMs: 1000 });
    });

    it('passes its argv through the quoting function: shell characters stay data', async () => {
      const outcome = await runPreHook(ssh.transport(a), { command: ['echo', '$(touch /tmp/pwned); `id`'], timeoutMs: 20_000, sudo: true });
      assert.equal(outcome.outcome === 'ok' ? outcome.output : outcome.outcome, '$(touch /tmp/pwned); `id`');
      assert.equal((await fleet.exec(a, ['test', '-e', '/tmp/pwned'])).code, 1);
    });
  });

  describe('reboot', () => {
    it('rebooted: systemctl reboot through sudo, then a NEW boot id within the timeout', async () => {
      const previousBootId = fleet.bootId(b);
      const outcome = await rebootHost(ssh.transport(b), { sudo: true, previousBootId, timeoutMs: 60_000, pollIntervalMs: 200 });
      assert.equal(outcome.outcome, 'rebooted', JSON.stringify(outcome));
      assert.equal(outcome.outcome === 'rebooted' ? outcome.bootId : '', fleet.bootId(b));
      assert.notEqual(fleet.bootId(b), previousBootId);
    });

    it('timed-out: a command that does not reboot leaves the same boot id past the timeout', async () => {
      const outcome = await rebootHost(ssh.transport(b), {
        command: ['true'],
        sudo: false,
        previousBootId: fleet.bootId(b),
        timeoutMs: 1500,
        pollIntervalMs: 200,
      });
      assert.equal(outcome.outcome, 'timed-out');
      assert.match(outcome.outcome === 'timed-out' ? (outcome.lastError ?? '') : '', /same boot id/);
    });

    it('command-failed: a reboot command that fails (no sudo: not on the user PATH) with the host still up', async () => {
      const outcome = await rebootHost(ssh.transport(b), {
        sudo: false,
        previousBootId: fleet.bootId(b),
        timeoutMs: 10_000,
        pollIntervalMs: 200,
      });
      assert.equal(outcome.outcome, 'command-failed');
      assert.deepEqual(outcome.outcome === 'command-failed' ? [outcome.exitCode, outcome.output] : [], [
        127,
        'bash: line 1: systemctl: command not found',
      ]);
    });
  });

  for (const [host, id, version] of [
    [a, 'apt', (h: string) => fleet.exec(h, ['dpkg-query', '-W', '-f', '${Version}', 'pw-libdemo'])],
    [rpm, 'dnf', (h: string) => fleet.exec(h, ['rpm', '-q', '--qf', '%{VERSION}-%{RELEASE}', 'pw-libdemo'])],
  ] as const) {
    it(`rollback (${id}): reinstalls the exact previous versions and names those no longer offered`, async () => {
      const pm = packageManagerFor(id, ssh.transport(host));
      const applied = await pm.apply(
        [
          { name: 'pw-libdemo', version: '1.0-2' },
          { name: 'pw-demo-utils', version: '1.0-2' },
        ],
        APPLY,
      );
      assert.ok(applied.ok, applied.ok ? '' : applied.error.output);
      assert.equal((await version(host)).stdout, '1.0-2');
      const outcome = await reinstallPrevious(
        pm,
        [
          { name: 'pw-libdemo', version: '1.0-1' },
          { name: 'pw-demo-utils', version: '1.0-1' },
          { name: 'pw-kernel', version: '0.9-1' },
        ],
        APPLY,
      );
      assert.equal(outcome.outcome, 'reinstalled', JSON.stringify(outcome));
      assert.deepEqual(outcome.notOffered, [{ name: 'pw-kernel', version: '0.9-1' }]);
      assert.equal((await version(host)).stdout, '1.0-1');
    });
  }

  describe('health checks', () => {
    let stopService: () => Promise<void>;
    before(async () => {
      // A real service INSIDE host a, bound to a's own address only.
      stopService = await fleet.serveHttp(a, SERVICE_PORT);
      const page = await fleet.exec(a, ['sh', '-c', 'echo ok > /srv/www/health']);
      assert.equal(page.code, 0, page.stderr);
    });
    after(async () => {
      await stopService?.();
    });

    const checks = [
      { name: 'sshd-config', command: ['sshd', '-t'], timeoutMs: 10_000 },
      { name: 'web-port', tcp: { port: SERVICE_PORT }, timeoutMs: 3000 },
      { name: 'web-health', http: { url: `http://{address}:${SERVICE_PORT}/health` }, timeoutMs: 3000 },
    ];

    it('pass on the host whose service runs on its own address', async () => {
      const outcomes = await runHealthChecks(checks, { name: a, address: fleet.host(a).address, transport: ssh.transport(a), sudo: true });
      assert.deepEqual(
        outcomes.map((o) => `${o.check}:${o.outcome}`),
        ['sshd-config:passed', 'web-port:passed', 'web-health:passed'],
      );
    });

    it('fail on the other host, the same port on its address, each naming its signal', async () => {
      const target = { name: b, address: fleet.host(b).address, transport: ssh.transport(b), sudo: true };
      const outcomes = await runHealthChecks(
        [...checks, { name: 'marker', command: ['test', '-e', '/etc/patchward-ready'], timeoutMs: 10_000, retries: 1, intervalMs: 10 }],
        target,
      );
      assert.deepEqual(
        outcomes.map((o) => `${o.check}:${o.outcome}`),
        ['sshd-config:passed', 'web-port:failed', 'web-health:failed', 'marker:failed'],
      );
      assert.match(
        outcomes[1]?.message ?? '',
        new RegExp(`check web-port: TCP connect to ${target.address.replaceAll('.', '\\.')}:${SERVICE_PORT} failed: ECONNREFUSED`),
      );
      assert.match(outcomes[2]?.message ?? '', /GET http:\/\/127\.[0-9.]+:18080\/health failed: ECONNREFUSED/);
      assert.equal(outcomes[3]?.attempts, 2);
      assert.match(outcomes[3]?.message ?? '', /test -e \/etc\/patchward-ready exited 1/);
    });

    it('HTTP: the health page removed on the host fails the check (another status than expected, both named)', async () => {
      await fleet.exec(a, ['rm', '-f', '/srv/www/health']);
      const [broken] = await runHealthChecks([checks[2] as (typeof checks)[number]], { name: a, address: fleet.host(a).address });
      assert.match(broken?.message ?? '', /GET http:\/\/127\.[0-9.]+:18080\/health answered 404, expected 200/);
      await fleet.exec(a, ['sh', '-c', 'echo ok > /srv/www/health']);
    });

    it('HTTP: another status than expected fails, naming both', async () => {
      const [outcome] = await runHealthChecks(
        [{ name: 'missing', http: { url: `http://{address}:${SERVICE_PORT}/nope`, expectStatus: 200 }, timeoutMs: 3000 }],
        { name: a, address: fleet.host(a).address },
      );
      assert.match(outcome?.message ?? '', /answered 404, expected 200/);
    });
  });
});
