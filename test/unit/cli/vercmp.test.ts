import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { runCliCaptured } from '../../helpers/run-cli.js';
import { fixturePath } from '../core/version/pairs-fixture.js';

describe('patchward vercmp', () => {
  const single: readonly (readonly [string, string, string, string])[] = [
    ['dpkg', '1.0~rc1', '1.0', '-1'],
    ['dpkg', '1:1.0', '2.0', '1'],
    ['dpkg', '1.0', '1.0-0', '0'],
    ['rpm', '10.0.11', '10.0.11-1.el10_2', '-1'],
    ['rpm', '1.0^1', '1.0', '1'],
    ['rpm', '0:1.2-3', '1.2-3', '0'],
  ];
  for (const [scheme, a, b, expected] of single) {
    it(`--scheme ${scheme} ${a} ${b} prints ${expected}`, async () => {
      const run = await runCliCaptured(['vercmp', '--scheme', scheme, a, b]);
      assert.deepEqual([run.code, run.stdout, run.stderr], [0, `${expected}\n`, '']);
    });
  }

  it('accepts --scheme=rpm and options after the versions', async () => {
    const run = await runCliCaptured(['vercmp', '1.0', '1.1', '--scheme=rpm']);
    assert.deepEqual([run.code, run.stdout], [0, '-1\n']);
  });

  it('exits 2 naming the invalid version and the reason', async () => {
    const run = await runCliCaptured(['vercmp', '--scheme', 'dpkg', '1.0', '1.0;id']);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /invalid dpkg version "1\.0;id": invalid character in (version|revision) number/);
  });

  const usage: readonly (readonly [string, readonly string[], RegExp])[] = [
    ['no scheme', ['1.0', '1.1'], /--scheme dpkg\|rpm is required/],
    ['unknown scheme', ['--scheme', 'apk', '1', '2'], /unknown scheme "apk"/],
    ['one version', ['--scheme', 'dpkg', '1.0'], /expected two versions, got 1/],
    ['three versions', ['--scheme', 'dpkg', '1', '2', '3'], /expected two versions, got 3/],
    ['unknown option', ['--scheme', 'dpkg', '--frob', '1', '2'], /Unknown option '--frob'/],
    ['a version that looks like an option', ['--scheme', 'dpkg', '-1', '2'], /Unknown option '-1'/],
    ['versions with --batch', ['--scheme', 'dpkg', '--batch', '1', '2'], /takes no versions/],
  ];
  for (const [what, args, message] of usage) {
    it(`exits 2 with usage on ${what}`, async () => {
      const run = await runCliCaptured(['vercmp', ...args]);
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
      assert.match(run.stderr, /usage: patchward vercmp/);
    });
  }

  it('--help prints usage and exits 0', async () => {
    const run = await runCliCaptured(['vercmp', '--help']);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /--batch/);
  });

  describe('--batch', () => {
    it('prints one result per pair, skips the header, ignores extra columns and CR', async () => {
      const stdin = 'a\tb\tcmp\n1.0\t1.1\t-1\n2:1\t1:9\tx\ty\r\n1.0\t1.0-0\n';
      const run = await runCliCaptured(['vercmp', '--scheme', 'dpkg', '--batch'], { stdin });
      assert.deepEqual([run.code, run.stdout, run.stderr], [0, '-1\n1\n0\n', '']);
    });

    it('treats only the first line as a possible header', async () => {
      const run = await runCliCaptured(['vercmp', '--scheme', 'rpm', '--batch'], { stdin: '1\t2\na\tb\n' });
      assert.deepEqual([run.code, run.stdout], [0, '-1\n-1\n']);
    });

    it('prints nothing for empty input', async () => {
      const run = await runCliCaptured(['vercmp', '--scheme', 'rpm', '--batch'], { stdin: '' });
      assert.deepEqual([run.code, run.stdout], [0, '']);
    });

    it('stops with exit 2 at an invalid line, naming its number, after the results before it', async () => {
      const run = await runCliCaptured(['vercmp', '--scheme', 'rpm', '--batch'], { stdin: '1\t2\n1.0\t$(id)\n3\t4\n' });
      assert.equal(run.code, 2);
      assert.equal(run.stdout, '-1\n');
      assert.match(run.stderr, /line 2: invalid rpm version "\$\(id\)": /);
    });

    it('stops with exit 2 at a line without a tab', async () => {
      const run = await runCliCaptured(['vercmp', '--scheme', 'dpkg', '--batch'], { stdin: '1.0 1.1\n' });
      assert.equal(run.code, 2);
      assert.match(run.stderr, /line 1: expected two tab-separated versions/);
    });

    for (const scheme of ['dpkg', 'rpm'] as const) {
      it(`agrees with the whole ${scheme}-pairs.tsv.gz fixture`, async () => {
        const text = gunzipSync(readFileSync(fixturePath(`${scheme}-pairs.tsv.gz`))).toString('utf8');
        const expected = text
          .trimEnd()
          .split('\n')
          .slice(1)
          .map((line) => line.split('\t')[2]);
        const run = await runCliCaptured(['vercmp', '--scheme', scheme, '--batch'], { stdin: text });
        assert.equal(run.code, 0, run.stderr);
        const got = run.stdout.trimEnd().split('\n');
        assert.equal(got.length, expected.length);
        const mismatches = got.flatMap((value, index) => (value === expected[index] ? [] : [index + 2]));
        assert.deepEqual(mismatches.slice(0, 10), [], `${mismatches.length} lines disagree; first file lines listed`);
      });
    }
  });
});
