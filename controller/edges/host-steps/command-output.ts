import type { CommandResult } from '../../ports/transport.js';

/** At most this many characters of a command's output are kept for status and audit. */
export const MAX_OUTPUT_CHARS = 4000;

/** The tail of a command's stdout and stderr, bounded, for status and audit. */
export function boundedOutput(result: Pick<CommandResult, 'stdout' | 'stderr'>): string {
  const text = [result.stdout.trimEnd(), result.stderr.trimEnd()].filter((part) => part !== '').join('\n');
  return text.length <= MAX_OUTPUT_CHARS ? text : `…${text.slice(-MAX_OUTPUT_CHARS)}`;
}
