import type { FactsOptions, HostFacts, PackageManager } from '../../../ports/package-manager.js';
import type { Transport } from '../../../ports/transport.js';
import { collectHostFacts } from '../collect-facts.js';

/** apt/dpkg hosts (Debian, Ubuntu). */
export class AptPackageManager implements PackageManager {
  readonly id = 'apt' as const;
  readonly #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  collectFacts(options: FactsOptions): Promise<HostFacts> {
    return collectHostFacts(this.#transport, { ...options, packageManager: 'apt' });
  }
}
