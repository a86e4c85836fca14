import type { Command } from '../command.js';
import { EXIT } from '../command.js';

/** Placeholder until this command is built; it says so plainly rather than pretending. */
export const inventoryCommand: Command = {
  name: 'inventory',
  summary: 'not built yet',
  usage: 'patchward inventory',
  async run(_args, io) {
    io.stderr.write('patchward inventory: not built yet\n');
    return EXIT.usage;
  },
};
