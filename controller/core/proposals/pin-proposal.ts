/**
 * The pin proposal: a host key trusted on first use becomes a PR that adds it to the host's
 * `ssh.hostKeys` in its Fleet file (fleet-edit.ts), so that from then on it is pinned in Git.
 *
 * Branch `<prefix>_pins/<host>`: policy names are lowercase DNS names and cannot start with `_`,
 * so no proposal branch `<prefix><policy>/<key>` can be a pin branch. The marker records the host
 * and the key: a pin PR closed without merging declines exactly that key (a different key seen
 * later is a new proposal).
 */
import { inertCode } from './markdown-text.js';
import { DEFAULT_BRANCH_PREFIX, refComponent } from './ref-name.js';

export interface HostKeyPin {
  readonly host: string;
  /** `type base64`. */
  readonly key: string;
  /** `SHA256:…` */
  readonly fingerprint: string;
}

export interface PinMarker {
  readonly version: 1;
  readonly host: string;
  readonly key: string;
}

const PATTERN = /<!-- patchward:pin v1 ([A-Za-z0-9_-]{1,20000}) -->/;

export function pinBranch(prefix: string | undefined, host: string): string {
  return `${prefix ?? DEFAULT_BRANCH_PREFIX}_pins/${refComponent(host)}`;
}

export function renderPinMarker(marker: PinMarker): string {
  return `<!-- patchward:pin v1 ${Buffer.from(JSON.stringify(marker), 'utf8').toString('base64url')} -->`;
}

export function parsePinMarker(body: string): PinMarker | undefined {
  const match = PATTERN.exec(body);
  if (match === null) return undefined;
  try {
    const value = JSON.parse(Buffer.from(match[1] as string, 'base64url').toString('utf8')) as Record<string, unknown>;
    return value['version'] === 1 && typeof value['host'] === 'string' && typeof value['key'] === 'string'
      ? { version: 1, host: value['host'], key: value['key'] }
      : undefined;
  } catch {
    return undefined;
  }
}

export function renderPinPullRequest(pin: HostKeyPin, fleetPath: string): { title: string; body: string } {
  return {
    title: `Pin the SSH host key of ${pin.host.replace(/[\u0000-\u001f\u007f]/g, '')}`.slice(0, 250),
    body: [
      `patchward trusted the SSH host key of ${inertCode(pin.host)} on first use. This pull request pins it in ${inertCode(fleetPath)}, so that a changed key is refused from now on.`,
      '',
      '| Host | Key type | Fingerprint |',
      '|---|---|---|',
      `| ${inertCode(pin.host)} | ${inertCode(pin.key.split(' ')[0] ?? '')} | ${inertCode(pin.fingerprint)} |`,
      '',
      'Check the fingerprint out of band (the host console, `ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub`) before merging.',
      '',
      renderPinMarker({ version: 1, host: pin.host, key: pin.key }),
      '',
    ].join('\n'),
  };
}
