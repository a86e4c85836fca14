import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveStateDirectory } from '../../../controller/config/state-dir.js';

describe('resolveStateDirectory', () => {
  const cases: [string, string | undefined, Record<string, string | undefined>, string][] = [
    ['--state wins, relative to the working directory', 'st', { XDG_STATE_HOME: '/xdg', HOME: '/home/u' }, '/work/st'],
    ['--state absolute', '/var/lib/pw', { XDG_STATE_HOME: '/xdg' }, '/var/lib/pw'],
    ['XDG_STATE_HOME', undefined, { XDG_STATE_HOME: '/xdg', HOME: '/home/u' }, '/xdg/patchward'],
    [
      'a relative XDG_STATE_HOME is ignored (XDG spec)',
      undefined,
      { XDG_STATE_HOME: 'rel', HOME: '/home/u' },
      '/home/u/.local/state/patchward',
    ],
    ['an empty XDG_STATE_HOME is ignored', undefined, { XDG_STATE_HOME: '', HOME: '/home/u' }, '/home/u/.local/state/patchward'],
    ['HOME', undefined, { HOME: '/home/u' }, '/home/u/.local/state/patchward'],
    ['no HOME: the account home directory', undefined, {}, '/account/.local/state/patchward'],
  ];
  for (const [name, option, env, expected] of cases) {
    it(name, () => assert.equal(resolveStateDirectory(option, env, '/work', '/account'), expected));
  }
});
