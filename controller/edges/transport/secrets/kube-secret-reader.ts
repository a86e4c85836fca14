import { ExternalError } from '../../../errors.js';
import type { KeyRef, SecretReader } from '../../../ports/transport.js';
import { TRANSPORT_ERROR_CODES } from '../../../ports/transport.js';

/** The slice of `@kubernetes/client-node`'s `CoreV1Api` this reader uses (injected; fakes in tests). */
export interface SecretsApi {
  readNamespacedSecret(param: { name: string; namespace: string }): Promise<{ data?: Record<string, string> }>;
}

/** Reads `{ secretRef }` key references with `CoreV1Api.readNamespacedSecret` (`data` is base64). */
export class KubeSecretReader implements SecretReader {
  readonly #api: SecretsApi;
  readonly #defaultNamespace: string;

  constructor(api: SecretsApi, defaultNamespace: string) {
    this.#api = api;
    this.#defaultNamespace = defaultNamespace;
  }

  async read(ref: KeyRef): Promise<Buffer> {
    if (!('secretRef' in ref)) {
      throw new ExternalError(
        'kube',
        TRANSPORT_ERROR_CODES.keyUnavailable,
        `KubeSecretReader reads secretRef keys only, not file ${ref.file}`,
      );
    }
    const { name, key } = ref.secretRef;
    const namespace = ref.secretRef.namespace ?? this.#defaultNamespace;
    const context = { secret: `${namespace}/${name}`, key };
    let secret;
    try {
      secret = await this.#api.readNamespacedSecret({ name, namespace });
    } catch (cause) {
      throw new ExternalError('kube', TRANSPORT_ERROR_CODES.keyUnavailable, `cannot read Secret ${namespace}/${name}`, { cause, context });
    }
    const value = secret.data?.[key];
    if (value === undefined || value === '') {
      throw new ExternalError('kube', TRANSPORT_ERROR_CODES.keyUnavailable, `Secret ${namespace}/${name} has no key ${key}`, { context });
    }
    return Buffer.from(value, 'base64');
  }
}

/** Builds the reader on a real cluster API from the default kubeconfig (in-cluster or ~/.kube/config). */
export async function createKubeSecretReader(defaultNamespace: string): Promise<KubeSecretReader> {
  const k8s = await import('@kubernetes/client-node');
  const config = new k8s.KubeConfig();
  config.loadFromDefault();
  return new KubeSecretReader(config.makeApiClient(k8s.CoreV1Api), defaultNamespace);
}
