/**
 * What the rollout engine asks of one host. The engine's own narrow port; `ssh-host-agent.ts`
 * implements it over the `Transport` until the `hostseq` branch's PackageManager apply/verify/
 * reboot and health checks are merged behind it.
 */
import type { AvailableVersion, InstalledPackage, OsInfo } from '../../core/inventory/host-inventory.js';
import type { HealthCheck, Hook } from '../../core/model/generated/kinds.js';

export interface HostObservation {
  readonly os: OsInfo;
  readonly packageManager: 'apt' | 'dnf';
  readonly packages: readonly InstalledPackage[];
  readonly bootId: string;
  readonly rebootRequired: boolean;
  readonly packageDb: { readonly healthy: boolean; readonly problems: readonly string[] };
}

export interface SimulatedTransaction {
  /** Packages the transaction would install or upgrade, with the version. */
  readonly installs: readonly { readonly name: string; readonly version: string; readonly isNew: boolean }[];
  readonly removes: readonly string[];
}

export type GateResult = { readonly ok: true } | { readonly ok: false; readonly timedOut: boolean; readonly signal: string };

export interface HostAgent {
  readonly host: string;
  observe(): Promise<HostObservation>;
  /** Versions the host's repositories offer for these packages (metadata refreshed first). */
  available(names: readonly string[], packageManager: 'apt' | 'dnf'): Promise<AvailableVersion[]>;
  /** Exact installed versions of these packages ('' when not installed). */
  installed(names: readonly string[], packageManager: 'apt' | 'dnf'): Promise<Record<string, string>>;
  preHook(hook: Hook): Promise<GateResult>;
  simulate(targets: Readonly<Record<string, string>>, packageManager: 'apt' | 'dnf'): Promise<SimulatedTransaction>;
  /** Installs exactly these versions; returns the tool's exit code and the tail of its output. */
  apply(
    targets: Readonly<Record<string, string>>,
    packageManager: 'apt' | 'dnf',
  ): Promise<{ readonly exitCode: number; readonly output: string }>;
  /** Installs exactly these (older) versions, downgrading: the rollback of a patch. */
  downgrade(
    versions: Readonly<Record<string, string>>,
    packageManager: 'apt' | 'dnf',
  ): Promise<{ readonly exitCode: number; readonly output: string }>;
  bootId(): Promise<string>;
  /** Runs the reboot command; the connection dropping is expected. */
  reboot(command: readonly string[]): Promise<void>;
  health(check: HealthCheck): Promise<GateResult>;
  close(): Promise<void>;
}
