import type { FactsOptions, HostFacts, PackageManager } from '../../../ports/package-manager.js';
import type { Transport } from '../../../ports/transport.js';
import { collectHostFacts } from '../collect-facts.js';

/** dnf/rpm hosts (RHEL, Rocky, AlmaLinux, Fedora). */
export class DnfPackageManager implements PackageManager {
  readonly id = 'dnf' as const;
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  collectFacts(options: FactsOptions): Promise<HostFacts> {
    return collectHostFacts(this.#transport, { ...options, packageManager: 'dnf' });
  }
}
