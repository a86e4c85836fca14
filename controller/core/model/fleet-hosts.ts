/** A Fleet's hosts with `spec.defaults` applied: what transport and inventory work with. */
import type { Fleet, FleetHost, SshKeyRef, SshSettings } from './generated/kinds.js';

export const DEFAULT_SSH_PORT = 22;
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 15;
export const DEFAULT_COMMAND_TIMEOUT_SECONDS = 1800;

export interface ResolvedSsh {
  /** Undefined only in a fleet that failed validation (`SshIncomplete`). */
  readonly user: string | undefined;
  readonly keyRef: SshKeyRef | undefined;
  readonly hostKeys: readonly string[];
  readonly trustOnFirstUse: boolean;
  readonly jumpHost: string | undefined;
  readonly sudo: boolean;
  readonly connectTimeoutSeconds: number;
  readonly commandTimeoutSeconds: number;
}

export interface ResolvedHost {
  readonly fleet: string;
  readonly name: string;
  readonly address: string;
  readonly port: number;
  /** Fleet default labels overlaid with the host's own. */
  readonly labels: Readonly<Record<string, string>>;
  readonly ssh: ResolvedSsh;
  /** Index in `spec.hosts`, for error locations. */
  readonly index: number;
}

function mergeSsh(defaults: SshSettings | undefined, own: SshSettings | undefined): ResolvedSsh {
  const pick = <K extends keyof SshSettings>(key: K): SshSettings[K] => (own?.[key] !== undefined ? own[key] : defaults?.[key]);
  return {
    user: pick('user'),
    keyRef: pick('keyRef'),
    hostKeys: pick('hostKeys') ?? [],
    trustOnFirstUse: pick('trustOnFirstUse') ?? false,
    jumpHost: pick('jumpHost'),
    sudo: pick('sudo') ?? false,
    connectTimeoutSeconds: pick('connectTimeoutSeconds') ?? DEFAULT_CONNECT_TIMEOUT_SECONDS,
    commandTimeoutSeconds: pick('commandTimeoutSeconds') ?? DEFAULT_COMMAND_TIMEOUT_SECONDS,
  };
}

/** Applies `spec.defaults`: host fields win, labels merge per key, ssh merges per field (hostKeys as a whole). */
export function resolveFleetHost(fleet: Fleet, host: FleetHost, index: number): ResolvedHost {
  const defaults = fleet.spec.defaults;
  return {
    fleet: fleet.metadata.name,
    name: host.name,
    address: host.address,
    port: host.port ?? defaults?.port ?? DEFAULT_SSH_PORT,
    labels: { ...(defaults?.labels ?? {}), ...(host.labels ?? {}) },
    ssh: mergeSsh(defaults?.ssh, host.ssh),
    index,
  };
}

export function resolveFleetHosts(fleet: Fleet): ResolvedHost[] {
  return fleet.spec.hosts.map((host, index) => resolveFleetHost(fleet, host, index));
}
