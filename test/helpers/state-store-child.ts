/**
 * A separate process for the state store tests (real contention and real crashes).
 * `node state-store-child.js DIR hold`: opens DIR for writing, prints `{"event":"locked","pid"}` and
 * waits to be killed; on a refusal prints `{"event":"refused","code","message"}` and exits 3.
 * `node state-store-child.js DIR crash-before-rename VALUE`: writes VALUE to `note/one` and prints
 * `{"event":"before-rename","temporary"}` once the new file is written and fsynced but not yet
 * renamed, then waits there to be killed.
 */
import { isPatchwardError } from '../../controller/errors.js';
import { openLocalStateStore } from '../../controller/edges/state/local/local-state-store.js';
import { NOTE } from './state-documents.js';

const [directory, mode, value] = process.argv.slice(2);
if (directory === undefined || mode === undefined) throw new Error('usage: state-store-child DIR hold|crash-before-rename [VALUE]');

const waitForever = (): Promise<never> => new Promise(() => setInterval(() => undefined, 60_000));
const say = (line: object): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

try {
  const store = await openLocalStateStore({
    directory,
    now: new Date(),
    faults: {
      beforeRename: async (temporary) => {
        say({ event: 'before-rename', temporary });
        await waitForever();
      },
    },
  });
  if (mode === 'hold') {
    say({ event: 'locked', pid: process.pid });
    await waitForever();
  }
  await store.put(NOTE, 'one', { text: value ?? '' });
  say({ event: 'written' });
} catch (error) {
  if (!isPatchwardError(error)) throw error;
  say({ event: 'refused', code: error.code, kind: error.kind, message: error.message });
  process.exitCode = 3;
}
