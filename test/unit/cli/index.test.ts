import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { COMMANDS } from '../../../controller/cli/index.js';
import { runCliCaptured } from '../../helpers/run-cli.js';

describe('patchward cli dispatcher', () => {
  it('lists every command in --help and exits 0', async () => {
    const run = await runCliCaptured(['--help']);
    assert.equal(run.code, 0);
    for (const name of ['validate', 'vercmp', 'assess', 'inventory']) assert.match(run.stdout, new RegExp(`^  ${name} `, 'm'));
  });

  it('refuses an unknown command with exit 2 and names it', async () => {
    const run = await runCliCaptured(['frobnicate']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown command 'frobnicate'/);
    // Names of Object.prototype are not commands either.
    assert.equal((await runCliCaptured(['toString'])).code, 2);
  });

  it("loads each command lazily under its own name (the table's key is the command's name)", async () => {
    for (const [name, load] of Object.entries(COMMANDS)) assert.equal((await load()).name, name);
  });

  it('does not load the forge clients to run a rollout, and does for propose', () => {
    const index = new URL('../../../controller/cli/index.js', import.meta.url).href;
    const forgeModulesLoadedBy = (command: string): number => {
      // A fresh process records every module it resolves while loading one command.
      const probe = spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const { registerHooks } = await import('node:module');
           const seen = [];
           registerHooks({ resolve(specifier, context, next) { const found = next(specifier, context); seen.push(found.url); return found; } });
           await (await import(${JSON.stringify(index)})).COMMANDS[${JSON.stringify(command)}]();
           process.stdout.write(String(seen.filter((url) => /@octokit|@gitbeaker/.test(url)).length));`,
        ],
        { encoding: 'utf8' },
      );
      assert.equal(probe.status, 0, probe.stderr);
      return Number(probe.stdout);
    };
    assert.equal(forgeModulesLoadedBy('rollout'), 0);
    assert.ok(forgeModulesLoadedBy('propose') > 0);
  });
});
