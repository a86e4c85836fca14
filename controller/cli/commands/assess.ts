import type { Command } from '../command.js';
import { EXIT } from '../command.js';

/** Placeholder until this command is built; it says so plainly rather than pretending. */
export const assessCommand: Command = {
  name: 'assess',
  summary: 'not built yet',
  usage: 'patchward assess',
  async run(_args, io) {
    io.stderr.write('patchward assess: not built yet\n');
    return EXIT.usage;
  },
};
