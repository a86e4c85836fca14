import {
  ApiException,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  V1MicroTime,
  type V1Lease,
} from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startKube } from '../../servers/kube.js';
import { serverVersions } from '../../servers/versions.js';
import { uniqueName, useServer } from '../../servers/use-server.js';

const GROUP = 'smoke.patchward.io';
const PLURAL = 'widgets';

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${PLURAL}.${GROUP}
spec:
  group: ${GROUP}
  scope: Namespaced
  names: {plural: ${PLURAL}, singular: widget, kind: Widget}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns:
    - {name: Size, type: integer, jsonPath: .spec.size}
    - {name: Channel, type: string, jsonPath: .spec.channel}
    - {name: Phase, type: string, jsonPath: .status.phase}
    - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
              channel: {type: string}
          status:
            type: object
            properties:
              phase: {type: string}
              observedGeneration: {type: integer}
`;

interface Widget {
  metadata: { name: string; generation?: number; resourceVersion?: string };
  spec: { size: number; channel: string };
  status?: { phase?: string; observedGeneration?: number };
}

/** Splits `kubectl get` table output into rows of cells (columns are separated by 2+ spaces). */
function parseTable(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));
}

describe('test server: etcd + kube-apiserver', () => {
  const { withLogs } = useServer('servers', 'etcd + kube-apiserver', startKube);

  test('the built kubectl and kube-apiserver both report the pinned version', () =>
    withLogs(async (k) => {
      const want = serverVersions().k8s;
      assert.notEqual(k.kubectlPath, '/usr/bin/kubectl');
      const { stdout } = await k.kubectl(['version', '-o', 'json']);
      const version = JSON.parse(stdout) as { clientVersion: { gitVersion: string }; serverVersion: { gitVersion: string } };
      assert.equal(version.clientVersion.gitVersion, want);
      assert.equal(version.serverVersion.gitVersion, want);
    }));

  test('a CRD with a status subresource and printer columns, read back with kubectl get', () =>
    withLogs(async (k) => {
      const kc = k.kubeConfig();
      const core = kc.makeApiClient(CoreV1Api);
      const custom = kc.makeApiClient(CustomObjectsApi);
      const namespace = uniqueName('smoke-crd');
      await core.createNamespace({ body: { metadata: { name: namespace } } });

      const crdFile = join(k.runDir, 'widgets-crd.yaml');
      writeFileSync(crdFile, CRD);
      await k.kubectl(['apply', '-f', crdFile]);
      await k.kubectl(['wait', '--for', 'condition=Established', `crd/${PLURAL}.${GROUP}`, '--timeout=60s']);

      const name = uniqueName('w');
      const created = (await custom.createNamespacedCustomObject({
        group: GROUP,
        version: 'v1',
        namespace,
        plural: PLURAL,
        body: {
          apiVersion: `${GROUP}/v1`,
          kind: 'Widget',
          metadata: { name },
          spec: { size: 3, channel: 'stable' },
          status: { phase: 'SetOnCreate' },
        },
      })) as Widget;
      // With the status subresource, status in a create request is dropped.
      assert.equal(created.status?.phase, undefined);
      assert.equal(created.metadata.generation, 1);

      const patched = (await custom.patchNamespacedCustomObjectStatus(
        {
          group: GROUP,
          version: 'v1',
          namespace,
          plural: PLURAL,
          name,
          // spec in a /status patch must be ignored by the server
          body: { spec: { size: 99 }, status: { phase: 'Ready', observedGeneration: 1 } },
          fieldManager: 'patchward-smoke',
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )) as Widget;
      assert.equal(patched.status?.phase, 'Ready');
      assert.equal(patched.spec.size, 3);
      assert.equal(patched.metadata.generation, 1, 'a status patch must not bump the generation');

      const table = parseTable((await k.kubectl(['get', PLURAL, '-n', namespace])).stdout);
      assert.deepEqual(table[0], ['NAME', 'SIZE', 'CHANNEL', 'PHASE', 'AGE']);
      assert.equal(table.length, 2, `one widget expected, got:\n${table.map((r) => r.join(' | ')).join('\n')}`);
      assert.deepEqual(table[1]?.slice(0, 4), [name, '3', 'stable', 'Ready']);
      assert.match(table[1]?.[4] ?? '', /^\d+s$/);

      const phase = await k.kubectl(['get', `widget/${name}`, '-n', namespace, '-o', 'jsonpath={.status.phase}']);
      assert.equal(phase.stdout, 'Ready');
    }));

  test('a coordination.k8s.io Lease is taken, renewed, and guarded against stale writers', () =>
    withLogs(async (k) => {
      const kc = k.kubeConfig();
      const core = kc.makeApiClient(CoreV1Api);
      const leases = kc.makeApiClient(CoordinationV1Api);
      const namespace = uniqueName('smoke-lease');
      await core.createNamespace({ body: { metadata: { name: namespace } } });
      const name = 'patchward-leader';

      const acquired = new V1MicroTime(Date.now() - 1_000);
      const taken = await leases.createNamespacedLease({
        namespace,
        body: {
          metadata: { name },
          spec: {
            holderIdentity: 'replica-a',
            leaseDurationSeconds: 15,
            acquireTime: acquired,
            renewTime: acquired,
            leaseTransitions: 0,
          },
        },
      });
      assert.equal(taken.spec?.holderIdentity, 'replica-a');
      const firstVersion = taken.metadata?.resourceVersion;
      assert.ok(firstVersion);

      const renewal: V1Lease = {
        ...taken,
        spec: { ...taken.spec, renewTime: new V1MicroTime(Date.now()) },
      };
      const renewed = await leases.replaceNamespacedLease({ name, namespace, body: renewal });
      assert.notEqual(renewed.metadata?.resourceVersion, firstVersion);
      // client-node types MicroTime as a Date but may hand back the wire string: compare instants.
      const instant = (t: unknown): number => new Date(t as string | Date).getTime();
      const before = instant(taken.spec?.renewTime);
      const after = instant(renewed.spec?.renewTime);
      assert.ok(Number.isFinite(before) && Number.isFinite(after), `renewTime unreadable: ${String(taken.spec?.renewTime)}`);
      assert.ok(after > before, `renewTime must move forward (${before} -> ${after})`);

      // A second candidate still holding the first resourceVersion must lose (optimistic concurrency).
      const stale: V1Lease = {
        ...taken,
        spec: { ...taken.spec, holderIdentity: 'replica-b', leaseTransitions: 1 },
      };
      await assert.rejects(
        leases.replaceNamespacedLease({ name, namespace, body: stale }),
        (err: unknown) => err instanceof ApiException && err.code === 409,
      );
      const current = await leases.readNamespacedLease({ name, namespace });
      assert.equal(current.spec?.holderIdentity, 'replica-a');
      assert.equal(current.metadata?.resourceVersion, renewed.metadata?.resourceVersion);
    }));
});
