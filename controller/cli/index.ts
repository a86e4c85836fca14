import type { Command, CommandIo } from './command.js';
import { EXIT } from './command.js';
import { assessCommand } from './commands/assess.js';
import { cordonCommand } from './commands/cordon.js';
import { pauseCommand } from './commands/pause.js';
import { reportCommand } from './commands/report.js';
import { resumeCommand } from './commands/resume.js';
import { rollbackCommand } from './commands/rollback.js';
import { rolloutCommand } from './commands/rollout.js';
import { uncordonCommand } from './commands/uncordon.js';
import { inventoryCommand } from './commands/inventory.js';
import { planCommand } from './commands/plan.js';
import { validateCommand } from './commands/validate.js';
import { vercmpCommand } from './commands/vercmp.js';
import { windowsCommand } from './commands/windows.js';

/** The command table: one entry per sub-command, each in its own file under commands/. */
export const COMMANDS: readonly Command[] = [
  validateCommand,
  vercmpCommand,
  assessCommand,
  inventoryCommand,
  windowsCommand,
  planCommand,
  rolloutCommand,
  pauseCommand,
  resumeCommand,
  cordonCommand,
  uncordonCommand,
  rollbackCommand,
  reportCommand,
];

function helpText(): string {
  const lines = ['usage: patchward <command> [options]', '', 'commands:'];
  for (const command of COMMANDS) lines.push(`  ${command.name.padEnd(12)} ${command.summary}`);
  lines.push('', "Run 'patchward <command> --help' for a command's options.");
  return lines.join('\n') + '\n';
}

/** Dispatches argv (without node and script) to a command; returns the exit code. */
export async function runCli(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(helpText());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.stderr.write(`patchward: unknown command '${name}'\n\n${helpText()}`);
    return EXIT.usage;
  }
  return command.run(rest, io);
}
