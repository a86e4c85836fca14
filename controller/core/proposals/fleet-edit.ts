/**
 * The pin proposal: a host key trusted on first use is added to the host's `ssh.hostKeys` in its
 * Fleet file, edited in place (yaml-splice.ts). Note the Fleet's merge rule: a host's `hostKeys`
 * replace the defaults' list, so pinning a key on a host that inherited keys from
 * `spec.defaults.ssh.hostKeys` copies those inherited keys in front of the new one.
 */
import { err, ok, type Result } from '../../errors.js';
import { appendItemsAt, parseDocuments, verifyEdit, type YamlEditProblem } from './yaml-splice.js';

interface FleetData {
  kind?: unknown;
  spec?: {
    defaults?: { ssh?: { hostKeys?: string[] } };
    hosts?: { name?: unknown; ssh?: { hostKeys?: string[]; trustOnFirstUse?: unknown } }[];
  };
}

export interface FleetEdit {
  readonly text: string;
  readonly changed: boolean;
}

/** Adds `hostKey` (`type base64`) to host `host`'s pinned keys in the Fleet file `text`. */
export function pinHostKey(text: string, host: string, hostKey: string): Result<FleetEdit, YamlEditProblem> {
  const parsed = parseDocuments(text);
  if (!parsed.ok) return parsed;
  for (let index = 0; index < parsed.value.length; index++) {
    const data = parsed.value[index]?.toJS() as FleetData | null;
    if (data?.kind !== 'Fleet') continue;
    const hostIndex = (data.spec?.hosts ?? []).findIndex((entry) => entry.name === host);
    if (hostIndex === -1) continue;
    const entry = data.spec?.hosts?.[hostIndex] as NonNullable<NonNullable<FleetData['spec']>['hosts']>[number];
    const own = entry.ssh?.hostKeys;
    if ((own ?? data.spec?.defaults?.ssh?.hostKeys ?? []).includes(hostKey)) return ok({ text, changed: false });
    const keys = own === undefined ? [...(data.spec?.defaults?.ssh?.hostKeys ?? []), hostKey] : [hostKey];
    const expected = structuredClone(data);
    const target = expected.spec?.hosts?.[hostIndex] as typeof entry;
    target.ssh ??= {};
    target.ssh.hostKeys = [...(own ?? []), ...keys];
    const edited = appendItemsAt(text, index, ['spec', 'hosts', hostIndex, 'ssh', 'hostKeys'], keys);
    if (!edited.ok) return edited;
    const verified = verifyEdit(text, edited.value, index, expected);
    if (!verified.ok) return verified;
    return ok({ text: edited.value, changed: true });
  }
  return err({ code: 'YamlTargetMissing', message: `no Fleet host named ${host} in the file` });
}
