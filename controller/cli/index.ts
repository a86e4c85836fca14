import type { Command, CommandIo } from './command.js';
import { EXIT } from './command.js';
import { humanStream, reportCommandFailure } from './safe-output.js';

/**
 * The command table: one entry per sub-command, each in its own file under commands/, loaded only
 * when it runs (a rollout does not load the forge clients, and every start is shorter for it).
 * The order is the order of the help text; test/unit/cli/command-table.test.ts checks that each
 * key is its command's name.
 */
export const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  validate: async () => (await import('./commands/validate.js')).validateCommand,
  vercmp: async () => (await import('./commands/vercmp.js')).vercmpCommand,
  assess: async () => (await import('./commands/assess.js')).assessCommand,
  inventory: async () => (await import('./commands/inventory.js')).inventoryCommand,
  windows: async () => (await import('./commands/windows.js')).windowsCommand,
  plan: async () => (await import('./commands/plan.js')).planCommand,
  propose: async () => (await import('./commands/propose.js')).proposeCommand,
  rollout: async () => (await import('./commands/rollout.js')).rolloutCommand,
  pause: async () => (await import('./commands/pause.js')).pauseCommand,
  resume: async () => (await import('./commands/resume.js')).resumeCommand,
  cordon: async () => (await import('./commands/cordon.js')).cordonCommand,
  uncordon: async () => (await import('./commands/uncordon.js')).uncordonCommand,
  rollback: async () => (await import('./commands/rollback.js')).rollbackCommand,
  report: async () => (await import('./commands/report.js')).reportCommand,
};

async function helpText(): Promise<string> {
  const lines = ['usage: patchward <command> [options]', '', 'commands:'];
  for (const load of Object.values(COMMANDS)) {
    const command = await load();
    lines.push(`  ${command.name.padEnd(12)} ${command.summary}`);
  }
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
    io.stdout.write(await helpText());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (load === undefined) {
    io.stderr.write(`patchward: unknown command '${name}'\n\n${await helpText()}`);
    return EXIT.usage;
  }
  const command = await load();
  try {
    return await command.run(rest, io);
  } catch (error) {
    reportCommandFailure(command, error, io);
    return EXIT.usage;
  }
}
