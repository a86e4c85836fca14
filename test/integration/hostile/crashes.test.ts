/**
 * Hostile input, class "Crashes": a directory, an unreadable file or a special file as --baseline,
 * a file as --cache-dir, a file as validate's directory: a message naming the path, exit 2, never
 * a stack trace. Stack traces appear in error log lines only at --log-level debug.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { hasStackTrace, runPatchwardChild } from '../../helpers/run-patchward-child.js';
import { inventoryList, osvRecord, workdir } from './corpus.js';

const NOBODY = 65534;

/** The human lines of stderr (log lines are JSON objects). */
function said(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !line.startsWith('{'))
    .join('\n');
}

describe('hostile input: crashes become messages', { timeout: 120_000 }, () => {
  const dir = workdir();
  chmodSync(dir, 0o755);
  after(() => rmSync(dir, { recursive: true, force: true }));
  const inventory = path.join(dir, 'inventory.json');
  writeFileSync(inventory, inventoryList([{ host: 'web-1' }]));
  chmodSync(inventory, 0o644);
  const feed = path.join(dir, 'osv');
  mkdirSync(feed, { mode: 0o755 });
  writeFileSync(path.join(feed, 'DSA-1.json'), osvRecord('DSA-1'), { mode: 0o644 });
  const base = ['assess', '--inventory', inventory, '--advisories', feed];

  it('a directory, a special file or an unreadable file as --baseline', async () => {
    const directory = await runPatchwardChild([...base, '--baseline', dir], { cwd: dir });
    assert.equal(directory.code, 2);
    assert.match(said(directory.stderr), new RegExp(`^patchward assess: ${dir} is a directory, not a regular file\\n$`));
    const special = await runPatchwardChild([...base, '--baseline', '/dev/null'], { cwd: dir });
    assert.equal(special.code, 2);
    assert.match(said(special.stderr), /^patchward assess: \/dev\/null is a character device, not a regular file\n$/);
    const secret = path.join(dir, 'baseline.yaml');
    writeFileSync(secret, 'kind: PatchBaseline\n', { mode: 0o600 });
    const unreadable = await runPatchwardChild([...base, '--baseline', secret], { cwd: dir, asUid: NOBODY });
    assert.equal(unreadable.code, 2, unreadable.stderr);
    assert.match(said(unreadable.stderr), /^patchward assess: .*baseline\.yaml: permission denied\n$/);
    for (const run of [directory, special, unreadable]) assert.equal(hasStackTrace(run.stderr), false);
  });

  it('a file as --cache-dir, a file as the directory to validate', async () => {
    const file = path.join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const cache = await runPatchwardChild(
      ['assess', '--inventory', inventory, '--advisories', 'http://127.0.0.1:9/all.zip', '--cache-dir', file],
      {
        cwd: dir,
      },
    );
    assert.equal(cache.code, 2);
    assert.match(said(cache.stderr), /^patchward assess: cache directory .*not-a-dir cannot be used: it is not a writable directory\n$/);
    const validate = await runPatchwardChild(['validate', file], { cwd: dir });
    assert.equal(validate.code, 2);
    assert.match(validate.stderr, /not-a-dir: not a directory/);
    for (const run of [cache, validate]) assert.equal(hasStackTrace(run.stderr), false);
  });

  it('error log lines carry the stack only at --log-level debug', async () => {
    const args = [...base, '--baseline', dir];
    const quiet = await runPatchwardChild(args, { cwd: dir, env: { PATCHWARD_LOG_LEVEL: 'error' } });
    const line = quiet.stderr.split('\n').find((text) => text.startsWith('{'));
    assert.ok(line !== undefined, `an error log line in ${quiet.stderr}`);
    const logged = JSON.parse(line) as { level: number; err: { message: string; code: string; stack?: string } };
    assert.deepEqual([logged.level, logged.err.code, logged.err.stack], [50, 'InputNotRegularFile', undefined]);
    const debug = await runPatchwardChild([...args, '--log-level', 'debug'], { cwd: dir });
    const withStack = debug.stderr.split('\n').find((text) => text.includes('"command failed"'));
    assert.match(withStack ?? '', /"stack":"StalledError: .* is a directory, not a regular file\\n {4}at /);
    const bad = await runPatchwardChild(['--log-level', 'loud', 'vercmp', '--scheme', 'dpkg', '1', '2']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--log-level must be one of trace, debug, info, warn, error, fatal, silent, not "loud"/);
  });
});
