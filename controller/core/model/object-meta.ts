/**
 * The part of Kubernetes `ObjectMeta` a policy file may carry. The CRD schemas leave `metadata`
 * to the API server (structural-schema rule); the loader validates Git files against this schema
 * instead, so a policy file is refused for the same names the API server would refuse.
 */
export interface ObjectMeta {
  /** DNS-1123 subdomain, unique per kind. */
  name: string;
  namespace?: string;
  labels?: { [key: string]: string };
  annotations?: { [key: string]: string };
  /** Set by the API server; read only. */
  generation?: number;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
}

export const OBJECT_META_SCHEMA = {
  type: 'object',
  description: 'Standard object metadata; name is required.',
  required: ['name'],
  properties: {
    name: {
      type: 'string',
      description: 'Object name, a DNS-1123 subdomain: lower-case letters, digits, - and ., at most 253 characters.',
      minLength: 1,
      maxLength: 253,
      pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
    },
    namespace: {
      type: 'string',
      description: 'Namespace, a DNS-1123 label.',
      minLength: 1,
      maxLength: 63,
      pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
    },
    labels: { type: 'object', description: 'Object labels.', additionalProperties: { type: 'string', maxLength: 63 } },
    annotations: { type: 'object', description: 'Object annotations.', additionalProperties: { type: 'string' } },
    generation: { type: 'integer', description: 'Set by the API server.' },
    uid: { type: 'string', description: 'Set by the API server.' },
    resourceVersion: { type: 'string', description: 'Set by the API server.' },
    creationTimestamp: { type: 'string', description: 'Set by the API server.' },
  },
} as const;
