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
import { proposeCommand } from './commands/propose.js';
import { validateCommand } from './commands/validate.js';
import { vercmpCommand } from './commands/vercmp.js';
import { windowsCommand } from './commands/windows.js';
import { humanStream, reportCommandFailure } from './safe-output.js';

/** The command table: one entry per sub-command, each in its own file under commands/. */
export const COMMANDS: readonly Command[] = [
  validateCommand,
  vercmpCommand,
  assessCommand,
  inventoryCommand,
  windowsCommand,
  planCommand,
  proposeCommand,
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
  lines.push(
    '',
    'global options:',
    '  --log-level LEVEL  trace, debug, info, warn (default), error, fatal or silent; stack traces only at debug',
    '',
    "Run 'patchward <command> --help' for a command's options. Input caps: docs/limits.md.",
  );
  return lines.join('\n') + '\n';
}

/**
 * Dispatches argv (without node and script) to a command; returns the exit code. Messages on
 * stderr pass through `humanText` (control characters escaped, credentials stripped); an error a
 * command did not handle is reported as a message, exit 2, never as a stack trace.
 */
export async function runCli(argv: readonly string[], rawIo: CommandIo): Promise<number> {
  const io: CommandIo = { ...rawIo, stderr: humanStream(rawIo.stderr) };
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
  try {
    return await command.run(rest, io);
  } catch (error) {
    reportCommandFailure(command, error, io);
    return EXIT.usage;
  }
}
