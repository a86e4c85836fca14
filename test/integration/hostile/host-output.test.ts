/**
 * Hostile input, class "Memory", a host that sends gigabytes on stdout: a real sandbox host whose
 * dpkg-query prints 3 GiB. `patchward inventory` (the real CLI, a child process) fails that host
 * with OutputTooLarge at the host-output cap and keeps its memory bounded.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureSandboxImage, type SandboxFleet, startHosts } from '../../harness/sandbox.js';
import { hasStackTrace, runPatchwardChild } from '../../helpers/run-patchward-child.js';

const FLOOD = `#!/bin/sh
exec head -c 3221225472 /dev/zero
`;

describe('hostile input: a host that floods stdout', { timeout: 300_000 }, () => {
  let fleet: SandboxFleet;
  let dir: string;

  before(async () => {
    await ensureSandboxImage({ quiet: true });
    fleet = await startHosts({ count: 1, flavour: 'apt', namePrefix: 'flood' });
    dir = mkdtempSync(path.join(tmpdir(), 'patchward-flood-'));
    fleet.writeFleetYaml(path.join(dir, 'fleet.yaml'));
    const host = fleet.hosts[0]?.name as string;
    const swapped = await fleet.exec(
      host,
      ['sh', '-c', 'p=$(command -v dpkg-query) && mv "$p" "$p.pw-real" && cat > "$p" && chmod 755 "$p"'],
      { input: FLOOD },
    );
    assert.equal(swapped.code, 0, swapped.stderr);
  });

  after(async () => {
    await fleet?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('fails the host at the host-output cap, with bounded memory', async () => {
    const run = await runPatchwardChild(['inventory', '--fleet', path.join(dir, 'fleet.yaml'), '--timeout', '120'], { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    assert.match(
      run.stdout,
      /flood-01\s+error\s.*command on flood-01 printed more than 67108864 bytes on stdout \(the host-output limit\) and was killed/,
    );
    assert.ok(run.peakMiB < 400, `peak memory ${run.peakMiB.toFixed(0)} MiB must stay below 400 MiB (64 MiB cap)`);
    assert.equal(hasStackTrace(run.stderr), false);
  });
});
