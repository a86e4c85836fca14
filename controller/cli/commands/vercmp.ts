import type { Command } from '../command.js';
import { EXIT } from '../command.js';

/** Placeholder until this command is built; it says so plainly rather than pretending. */
export const vercmpCommand: Command = {
  name: 'vercmp',
  summary: 'not built yet',
  usage: 'patchward vercmp',
  async run(_args, io) {
    io.stderr.write('patchward vercmp: not built yet\n');
    return EXIT.usage;
  },
};
