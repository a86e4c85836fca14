import type { Command } from '../command.js';
import { EXIT } from '../command.js';

/** Placeholder until this command is built; it says so plainly rather than pretending. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'not built yet',
  usage: 'patchward validate',
  async run(_args, io) {
    io.stderr.write('patchward validate: not built yet\n');
    return EXIT.usage;
  },
};
