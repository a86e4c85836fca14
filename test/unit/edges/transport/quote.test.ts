import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isPatchwardError } from '../../../../controller/errors.js';
import { isSudoPasswordPrompt, quoteArg, quoteArgv, withSudo } from '../../../../controller/edges/transport/quote.js';

/** Runs the quoted line in a real POSIX shell and returns the argv it saw, NUL-separated. */
function roundTrip(argv: readonly string[], shell = 'sh'): string[] {
  const line = `printf '%s\\0' ${quoteArgv(argv)}`;
  const out = execFileSync(shell, ['-c', line], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const NASTY = [
  "it's",
  "''",
  '"double"',
  '$(touch /tmp/patchward-pwned)',
  '`touch /tmp/patchward-pwned`',
  '${HOME}',
  '$HOME',
  'a\nb',
  '\n',
  '*',
  '/etc/*',
  '?',
  '[a-z]',
  '-rf',
  '--',
  '-n',
  '',
  ' ',
  '\t',
  'a;b',
  'a|b',
  'a&b',
  '>x',
  '<x',
  '~',
  '~root',
  '=ls',
  '!',
  '#comment',
  '\\',
  "\\'",
  'ünïcödé',
  "'\\''",
];

describe('quoteArgv', () => {
  it('round-trips nasty arguments through sh -c unchanged', () => {
    assert.deepEqual(roundTrip(NASTY), NASTY);
  });

  it('round-trips through bash too (the usual login shell)', () => {
    assert.deepEqual(roundTrip(NASTY, 'bash'), NASTY);
  });

  it('round-trips arbitrary strings without NUL (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'binary' }).filter((s) => !s.includes('\0')),
          { minLength: 1, maxLength: 6 },
        ),
        (argv) => {
          assert.deepEqual(roundTrip(argv), argv);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('leaves safe words bare and single-quotes the rest', () => {
    assert.equal(quoteArgv(['dpkg-query', '-W', '--showformat=x']), 'dpkg-query -W --showformat=x');
    assert.equal(quoteArg("it's"), "'it'\\''s'");
    assert.equal(quoteArg(''), "''");
    assert.equal(quoteArg('=ls'), "'=ls'");
  });

  it('rejects NUL and empty argv with InvalidCommand', () => {
    for (const argv of [['a\0b'], []]) {
      assert.throws(
        () => quoteArgv(argv),
        (error: unknown) => isPatchwardError(error) && error.code === 'InvalidCommand',
      );
    }
  });

  it('prefixes sudo non-interactively and recognises its password prompt', () => {
    assert.deepEqual(withSudo(['id']), ['sudo', '-n', '--', 'id']);
    assert.equal(isSudoPasswordPrompt(1, 'sudo: a password is required\n'), true);
    assert.equal(isSudoPasswordPrompt(1, 'id: bad\n'), false);
    assert.equal(isSudoPasswordPrompt(0, 'sudo: a password is required\n'), false);
  });
});
