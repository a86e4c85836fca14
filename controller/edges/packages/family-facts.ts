import { compareKernelReleases } from '../../core/inventory/kernel-release.js';
import type { HostFacts } from '../../ports/package-manager.js';
import type { Section } from './facts-script.js';

/** The part of `HostFacts` each package-manager family works out from its own sections. */
export type FamilyFacts = Omit<HostFacts, 'os' | 'packageManager'>;

/** A reboot reason when a newer kernel than the running one is installed. */
export function kernelReboot(running: string, newestInstalled: string | undefined): readonly string[] {
  if (newestInstalled === undefined || running === '') return [];
  return compareKernelReleases(newestInstalled, running) > 0 ? [`newer kernel installed (${newestInstalled}, running ${running})`] : [];
}

/** The first few non-empty lines of a tool's stderr, for a problem's detail. */
export function firstLines(text: string, count = 3): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.length === 0 ? 'no message' : lines.slice(0, count).join(' | ');
}

const BOOT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The boot id from its section; '' (and a warning) when it is missing or not a UUID. */
export function bootIdOf(sections: ReadonlyMap<string, Section>, warnings: string[]): string {
  const value = (sections.get('bootid')?.body ?? '').trim();
  if (BOOT_ID.test(value)) return value;
  warnings.push('boot id unreadable (/proc/sys/kernel/random/boot_id)');
  return '';
}
