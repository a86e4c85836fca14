import { ExternalError, type PatchwardError, StalledError } from '../../../errors.js';
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
      throw new StalledError(TRANSPORT_ERROR_CODES.keyUnavailable, `KubeSecretReader reads secretRef keys only, not file ${ref.file}`);
    }
    const { name, key } = ref.secretRef;
    const namespace = ref.secretRef.namespace ?? this.#defaultNamespace;
    const context = { secret: `${namespace}/${name}`, key };
    let secret;
    try {
      secret = await this.#api.readNamespacedSecret({ name, namespace });
    } catch (cause) {
      throw classifySecretReadError(cause, `${namespace}/${name}`, context);
    }
    const value = secret.data?.[key];
    if (value === undefined || value === '') {
      throw new StalledError(TRANSPORT_ERROR_CODES.keyUnavailable, `Secret ${namespace}/${name} has no key ${key}`, { context });
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

/**
 * A failed Secret read: 404 (no such Secret) and 401/403 (may not read it) are Stalled, a person
 * must act; anything else (no answer, 5xx, 429) is the API server's trouble: External('kube'), retried.
 */
export function classifySecretReadError(cause: unknown, secret: string, context: Readonly<Record<string, string>>): PatchwardError {
  const status = (cause as { code?: unknown } | null)?.code;
  if (status === 404) {
    return new StalledError(TRANSPORT_ERROR_CODES.secretNotFound, `Secret ${secret} not found`, { cause, context });
  }
  if (status === 401 || status === 403) {
    return new StalledError(
      TRANSPORT_ERROR_CODES.secretNotFound,
      `Secret ${secret} may not be read (HTTP ${status}); check the RBAC rules`,
      {
        cause,
        context,
      },
    );
  }
  const why = typeof status === 'number' ? `HTTP ${status}` : 'no answer from the API server';
  return new ExternalError('kube', TRANSPORT_ERROR_CODES.secretStoreUnavailable, `cannot read Secret ${secret}: ${why}`, {
    cause,
    context,
  });
}
