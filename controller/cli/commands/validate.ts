import { resolve } from 'node:path';
import { formatProblem, type Problem } from '../../core/model/problem.js';
import type { PolicySet } from '../../core/model/policy-set.js';
import { terminalSafe } from '../../core/text/terminal-safe.js';
import { isPatchwardError } from '../../errors.js';
import { createPolicyRepositoryLoader } from '../../edges/policy-repo/load.js';
import type { Command, CommandIo } from '../command.js';
import { EXIT } from '../command.js';

const USAGE = `usage: patchward validate [DIR] [--output table|json]

Validates a policy repository (every *.yaml and *.yml under DIR, default .) against the
patchward.io/v1alpha1 schemas and the checks across documents. Prints every problem as
file:line:column: severity: field.path: message, sorted by file and line.
--output table (the default; 'text' is an alias) or json.

exit status: 0 valid (warnings may be printed), 1 problems found, 2 usage error
`;

type OutputFormat = 'table' | 'json';

function parseArgs(args: readonly string[]): { dir: string; output: OutputFormat; help: boolean } | string {
  let dir: string | undefined;
  let output: OutputFormat = 'table';
  let help = false;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === '--help' || arg === '-h') help = true;
    else if (arg === '--output' || arg === '-o' || arg.startsWith('--output=')) {
      const value = arg.startsWith('--output=') ? arg.slice('--output='.length) : args[++index];
      if (value !== 'table' && value !== 'text' && value !== 'json')
        return `--output must be table or json, not ${value === undefined ? 'nothing' : JSON.stringify(value)}`;
      output = value === 'text' ? 'table' : value;
    } else if (arg.startsWith('-') && arg !== '-') return `unknown option ${arg}`;
    else if (dir === undefined) dir = arg;
    else return `only one directory may be given (got ${dir} and ${arg})`;
  }
  return { dir: dir ?? '.', output, help };
}

function counts(set: PolicySet): Record<string, number> {
  return {
    Fleet: set.fleets.length,
    MaintenanceWindow: set.maintenanceWindows.length,
    Ring: set.rings.length,
    PatchPolicy: set.patchPolicies.length,
    PatchBaseline: set.patchBaselines.length,
  };
}

function summary(set: PolicySet): string {
  const hosts = set.fleets.reduce((sum, fleet) => sum + fleet.resource.spec.hosts.length, 0);
  const parts = Object.entries(counts(set))
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind}`);
  return `${set.files.length} file${set.files.length === 1 ? '' : 's'}: ${parts.join(', ')}; ${hosts} host${hosts === 1 ? '' : 's'}`;
}

function writeText(io: CommandIo, dir: string, problems: readonly Problem[], set: PolicySet | undefined): void {
  for (const problem of problems) io.stdout.write(`${terminalSafe(formatProblem(problem))}\n`);
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  const tail = warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : '';
  if (set !== undefined) io.stdout.write(`${terminalSafe(dir)}: valid (${summary(set)}${tail})\n`);
  else io.stdout.write(`${terminalSafe(dir)}: invalid: ${errors} error${errors === 1 ? '' : 's'}${tail}\n`);
}

/** `patchward validate [DIR]`: what a policy repository's CI or pre-commit hook runs. */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'check a policy repository (schemas, references, schedules, versions)',
  usage: USAGE,
  async run(args, io) {
    const parsed = parseArgs(args);
    if (typeof parsed === 'string') {
      io.stderr.write(`patchward validate: ${parsed}\n\n${USAGE}`);
      return EXIT.usage;
    }
    if (parsed.help) {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    const directory = resolve(io.cwd, parsed.dir);
    let result;
    try {
      const loader = await createPolicyRepositoryLoader();
      result = await loader.load(directory);
    } catch (error) {
      io.logger.error({ err: error, directory }, 'policy validation could not run');
      io.stderr.write(`patchward validate: ${isPatchwardError(error) ? error.message : String(error)}\n`);
      return EXIT.usage;
    }
    const problems = result.ok ? result.warnings : result.error;
    const set = result.ok ? result.value : undefined;
    if (problems.length === 1 && problems[0]?.code === 'Unreadable' && problems[0].file === directory) {
      io.stderr.write(`patchward validate: ${parsed.dir}: not a directory\n`);
      return EXIT.usage;
    }
    if (parsed.output === 'json') {
      const body = {
        directory: parsed.dir,
        valid: result.ok,
        ...(set === undefined ? {} : { files: set.files, documents: counts(set) }),
        problems,
      };
      io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
    } else writeText(io, parsed.dir, problems, set);
    return result.ok ? EXIT.ok : EXIT.findings;
  },
};
