import { pino } from 'pino';
import { resolveFleetHosts } from '../../controller/core/model/index.js';
import { sshTargetsOf } from '../../controller/edges/inventory/fleet-targets.js';
import { SshConnectionPool } from '../../controller/edges/transport/ssh/ssh-connection-pool.js';
import { SshTransport } from '../../controller/edges/transport/ssh/ssh-transport.js';
import { FileSecretReader } from '../../controller/edges/transport/secrets/file-secret-reader.js';
import type { SshTarget, Transport } from '../../controller/ports/transport.js';
import { buildFleet } from '../harness/fleet-yaml.js';
import type { SandboxFleet } from '../harness/sandbox.js';

/** Real SSH transports to sandbox hosts (pinned keys, one pooled connection per host). */
export interface SandboxTransports {
  transport(name: string): Transport;
  target(name: string): SshTarget;
  close(): Promise<void>;
}

export function sandboxTransports(fleet: SandboxFleet, options: { user?: 'root' | 'patchward' } = {}): SandboxTransports {
  const logger = pino({ level: 'silent' });
  const doc = buildFleet(fleet.hosts, fleet.clientKeyPath, { user: options.user ?? 'patchward' });
  const mapping = sshTargetsOf(resolveFleetHosts(doc));
  const targets = new Map(mapping.targets.map((target) => [target.name, target]));
  const pool = new SshConnectionPool({ secrets: new FileSecretReader({ baseDir: '/' }), logger });
  const target = (name: string): SshTarget => {
    const found = targets.get(name);
    if (found === undefined) throw new Error(`no SSH target for ${name}`);
    return found;
  };
  return {
    target,
    transport: (name: string) => new SshTransport(target(name), pool, { logger }),
    close: () => pool.closeAll(),
  };
}
