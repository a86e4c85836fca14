import type { ResolvedHost } from '../../core/model/index.js';
import type { KeyRef, SshTarget } from '../../ports/transport.js';

export interface TargetMapping {
  readonly targets: readonly SshTarget[];
  /** Hosts that cannot be reached as configured (no user/key, unknown or cyclic jump host). */
  readonly problems: readonly { readonly host: string; readonly reason: string }[];
}

function keyRefOf(host: ResolvedHost): KeyRef | undefined {
  const ref = host.ssh.keyRef;
  if (ref?.file !== undefined) return { file: ref.file };
  if (ref?.secretRef !== undefined) {
    const { name, key, namespace } = ref.secretRef;
    return { secretRef: { name, key, ...(namespace === undefined ? {} : { namespace }) } };
  }
  return undefined;
}

/**
 * Fleet hosts (with `spec.defaults` applied by `resolveFleetHosts`) → SSH targets, jump hosts
 * resolved by name within the same list. Pure.
 */
export function sshTargetsOf(hosts: readonly ResolvedHost[]): TargetMapping {
  const byName = new Map(hosts.map((host) => [host.name, host]));
  const built = new Map<string, SshTarget | string>();
  const build = (host: ResolvedHost, chain: readonly string[]): SshTarget | string => {
    const done = built.get(host.name);
    if (done !== undefined) return done;
    if (chain.includes(host.name)) return `jump host cycle: ${[...chain, host.name].join(' -> ')}`;
    const key = keyRefOf(host);
    if (host.ssh.user === undefined || key === undefined) return 'ssh.user or ssh.keyRef missing';
    let jumpHost: SshTarget | undefined;
    if (host.ssh.jumpHost !== undefined) {
      const jump = byName.get(host.ssh.jumpHost);
      if (jump === undefined) return `jump host ${host.ssh.jumpHost} is not in the fleet`;
      const resolved = build(jump, [...chain, host.name]);
      if (typeof resolved === 'string') return `jump host ${jump.name}: ${resolved}`;
      jumpHost = resolved;
    }
    const target: SshTarget = {
      name: host.name,
      address: host.address,
      port: host.port,
      user: host.ssh.user,
      key,
      hostKeys: host.ssh.hostKeys,
      trustOnFirstUse: host.ssh.trustOnFirstUse,
      sudo: host.ssh.sudo,
      connectTimeoutMs: host.ssh.connectTimeoutSeconds * 1000,
      commandTimeoutMs: host.ssh.commandTimeoutSeconds * 1000,
      labels: host.labels,
      ...(jumpHost === undefined ? {} : { jumpHost }),
    };
    return target;
  };
  const targets: SshTarget[] = [];
  const problems: { host: string; reason: string }[] = [];
  for (const host of hosts) {
    const result = build(host, []);
    built.set(host.name, result);
    if (typeof result === 'string') problems.push({ host: host.name, reason: result });
    else targets.push(result);
  }
  return { targets, problems };
}
