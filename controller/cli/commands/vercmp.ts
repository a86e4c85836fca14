import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { isVersionSchemeId, versionProblem, versionSchemeFor } from '../../core/version/index.js';
import { boundedLines, isInputError, type ReadLimit, readLimitsFrom } from '../../edges/io/bounded-read.js';
import type { VersionScheme, VersionSchemeId } from '../../ports/version-scheme.js';
import type { Command, CommandIo } from '../command.js';
import { EXIT } from '../command.js';

const USAGE = `usage: patchward vercmp --scheme dpkg|rpm A B
       patchward vercmp --scheme dpkg|rpm --batch < pairs.tsv

Compares two package versions and prints -1 (A < B), 0 (equal) or 1 (A > B).
  --scheme dpkg|rpm  dpkg: Debian/Ubuntu order (dpkg --compare-versions);
                     rpm: EVR order of rpm 4.18 (rpm.vercmp), a missing epoch is 0.
  --batch            read tab-separated pairs "A<TAB>B[<TAB>...]" from stdin, one per line,
                     and print one result per line; a first line "a<TAB>b..." is a header
                     and skipped; extra columns are ignored. A line may be at most 64 KiB
                     (--limit line=SIZE).
  -h, --help         show this help.
Exit 0 on success, 2 on an invalid version or wrong usage.
`;

/** Lines of output gathered before one write, so a batch of millions stays fast. */
const OUTPUT_BLOCK = 8192;

function usageError(io: CommandIo, message: string): number {
  io.stderr.write(`patchward vercmp: ${message}\n\n${USAGE}`);
  return EXIT.usage;
}

/** A printable, bounded rendering of untrusted input for error messages. */
function shown(text: string): string {
  return JSON.stringify(text.length <= 80 ? text : `${text.slice(0, 77)}...`);
}

/** Checks both versions; returns the message for the first invalid one. */
function invalidPair(schemeId: VersionSchemeId, a: string, b: string): string | undefined {
  for (const version of [a, b]) {
    const problem = versionProblem(schemeId, version);
    if (problem !== undefined) return `invalid ${schemeId} version ${shown(version)}: ${problem}`;
  }
  return undefined;
}

async function write(io: CommandIo, text: string): Promise<void> {
  if (!io.stdout.write(text)) await once(io.stdout, 'drain');
}

async function runBatch(scheme: VersionScheme, io: CommandIo, lineLimit: ReadLimit): Promise<number> {
  const lines = boundedLines(io.stdin as AsyncIterable<Uint8Array | string>, { input: 'stdin', limit: lineLimit });
  let lineNumber = 0;
  let block: string[] = [];
  try {
    for await (const line of lines) {
      lineNumber++;
      const firstTab = line.indexOf('\t');
      const secondTab = firstTab < 0 ? -1 : line.indexOf('\t', firstTab + 1);
      if (firstTab < 0) {
        await write(io, block.join(''));
        io.stderr.write(`patchward vercmp: line ${lineNumber}: expected two tab-separated versions, got ${shown(line)}\n`);
        return EXIT.usage;
      }
      const a = line.slice(0, firstTab);
      const b = secondTab < 0 ? line.slice(firstTab + 1) : line.slice(firstTab + 1, secondTab);
      if (lineNumber === 1 && a === 'a' && b === 'b') continue;
      const invalid = invalidPair(scheme.id, a, b);
      if (invalid !== undefined) {
        await write(io, block.join(''));
        io.stderr.write(`patchward vercmp: line ${lineNumber}: ${invalid}\n`);
        return EXIT.usage;
      }
      block.push(`${scheme.compare(a, b)}\n`);
      if (block.length >= OUTPUT_BLOCK) {
        await write(io, block.join(''));
        block = [];
      }
    }
  } catch (error) {
    if (!isInputError(error)) throw error;
    await write(io, block.join(''));
    io.stderr.write(`patchward vercmp: ${error.message}\n`);
    return EXIT.usage;
  }
  if (block.length > 0) await write(io, block.join(''));
  io.logger.debug({ scheme: scheme.id, lines: lineNumber }, 'vercmp batch done');
  return EXIT.ok;
}

/** `patchward vercmp`: compare versions with a scheme, one pair or a batch from stdin. */
export const vercmpCommand: Command = {
  name: 'vercmp',
  summary: 'compare package versions (dpkg or rpm order)',
  usage: USAGE,
  async run(args, io) {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...args],
        allowPositionals: true,
        strict: true,
        options: {
          scheme: { type: 'string' },
          batch: { type: 'boolean', default: false },
          limit: { type: 'string', multiple: true },
          help: { type: 'boolean', short: 'h', default: false },
        },
      });
    } catch (error) {
      return usageError(io, error instanceof Error ? error.message : String(error));
    }
    const { values, positionals } = parsed;
    if (values.help === true) {
      io.stdout.write(USAGE);
      return EXIT.ok;
    }
    const schemeId = values.scheme;
    if (schemeId === undefined) return usageError(io, '--scheme dpkg|rpm is required');
    if (!isVersionSchemeId(schemeId)) return usageError(io, `unknown scheme ${shown(schemeId)}; use dpkg or rpm`);
    const scheme = versionSchemeFor(schemeId);
    if (values.batch === true) {
      if (positionals.length > 0) return usageError(io, '--batch reads pairs from stdin and takes no versions');
      const limits = readLimitsFrom(values.limit);
      if (typeof limits === 'string') return usageError(io, limits);
      return runBatch(scheme, io, limits.line);
    }
    const [a, b] = positionals;
    if (positionals.length !== 2 || a === undefined || b === undefined) {
      return usageError(io, `expected two versions, got ${positionals.length}`);
    }
    const invalid = invalidPair(schemeId, a, b);
    if (invalid !== undefined) {
      io.stderr.write(`patchward vercmp: ${invalid}\n`);
      return EXIT.usage;
    }
    io.stdout.write(`${scheme.compare(a, b)}\n`);
    return EXIT.ok;
  },
};
