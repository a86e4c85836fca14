import type { Section } from '../facts-script.js';

export interface NeedsRestartingVerdict {
  /** Set when the host asks for a reboot: `needs-restarting -r` and the packages it names. */
  readonly reason?: string;
  /** Set when the tool's answer cannot be read as a verdict. */
  readonly warning?: string;
}

const REQUIRED = /Reboot is required/;
const NOT_NEEDED = /Reboot should not be necessary/;

/**
 * Reads `needs-restarting -r` (dnf-plugins-core): exit 1 with "Core libraries or services have been
 * updated since boot-up:", a `  * name` list and "Reboot is required to fully utilize these
 * updates." asks for a reboot; exit 0 with "Reboot should not be necessary." does not. Exit 1
 * WITHOUT the verdict text is an error of dnf itself (no writable HOME, broken metadata), not a
 * reboot request: it becomes a warning. Section rc `absent`: the tool is not installed.
 */
export function interpretNeedsRestarting(section: Section | undefined): NeedsRestartingVerdict {
  if (section === undefined || section.rc === 'absent') return {};
  const text = section.body;
  if (section.rc === '1' && REQUIRED.test(text)) {
    const names = [...text.matchAll(/^\s+\*\s+(\S+)\s*$/gm)].map((match) => match[1]);
    return { reason: names.length === 0 ? 'needs-restarting -r' : `needs-restarting -r (${names.join(', ')})` };
  }
  if (section.rc === '0' && (NOT_NEEDED.test(text) || text.trim() === '')) return {};
  return { warning: `needs-restarting -r gave no verdict (exit ${section.rc ?? 'none'}); reboot need unknown` };
}
