/**
 * One schema, two uses: the CRDs in crds/ are what the policy loader validates Git files with AND
 * what a real kube-apiserver (test/servers/kube.ts) enforces. Here, against the real server:
 * every CRD becomes Established; every document of policies/ is accepted with strict field
 * validation (and nothing in it is pruned); a Ring's and a ManagedHost's status, written through
 * the /status subresource, reads like a dashboard in `kubectl get` (columns taken from the CRDs'
 * additionalPrinterColumns); and schema-level corpus cases are refused by BOTH the loader and the
 * server, naming the same field path. The first three tests build on each other in order (CRDs,
 * then policies/, then status on those objects); the corpus cases need only the CRDs.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { createPolicyRepositoryLoader, loadPolicyRepository } from '../../../controller/edges/policy-repo/load.js';
import { TestServerError } from '../../servers/errors.js';
import { startKube, type KubeServer } from '../../servers/kube.js';
import { uniqueName, useServer } from '../../servers/use-server.js';

const ROOT = process.cwd();
const CRD_DIR = join(ROOT, 'crds');
const POLICY_DIR = join(ROOT, 'policies');
const CORPUS = join(ROOT, 'test', 'fixtures', 'policy-corpus');
/** The corpus manifest's clock (test/unit/edges/policy-repo/corpus.test.ts). */
const CORPUS_NOW = new Date('2026-11-21T12:00:00Z');

/** Schema-level corpus cases: wrong type, unknown field (needs strict field validation), missing required field. */
const SCHEMA_CASES = [
  'type-port-string',
  'unknown-field-host',
  'unknown-field-spec',
  'missing-spec',
  'required-hook-timeout',
  'value-max-attempts-zero',
  'value-prometheus-threshold-empty',
  'value-reboot-command-empty',
] as const;

interface PrinterColumn {
  readonly name: string;
  readonly type: string;
  readonly jsonPath: string;
  readonly priority?: number;
}

interface Crd {
  readonly file: string;
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string; readonly plural: string };
    readonly versions: readonly {
      readonly name: string;
      readonly served: boolean;
      readonly additionalPrinterColumns?: readonly PrinterColumn[];
    }[];
  };
}

const crds: Crd[] = readdirSync(CRD_DIR)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((file) => ({ file, ...(parse(readFileSync(join(CRD_DIR, file), 'utf8')) as Omit<Crd, 'file'>) }));

function crdOf(kind: string): Crd {
  return crds.find((crd) => crd.spec.names.kind === kind) ?? assert.fail(`no CRD for kind ${kind} in ${CRD_DIR}`);
}

/** The printer columns `kubectl get` shows by default (priority 0), or with -o wide (all). */
function printerColumns(kind: string, wide = false): PrinterColumn[] {
  const version = crdOf(kind).spec.versions.find((candidate) => candidate.served) ?? assert.fail(`${kind}: no served version`);
  return (version.additionalPrinterColumns ?? []).filter((column) => wide || (column.priority ?? 0) === 0);
}

/** Evaluates the small JSONPath subset the CRDs use: `.a.b.c` and `.list[?(@.field=="value")].x`. */
function evaluate(object: unknown, jsonPath: string): unknown {
  let current: unknown = object;
  for (const step of jsonPath.replace(/^\./, '').match(/[^.[\]]+|\[\?\(@\.[^)]*\)\]/g) ?? []) {
    if (current === undefined || current === null) return undefined;
    const filter = /^\[\?\(@\.(\w+)=="([^"]*)"\)\]$/.exec(step);
    if (filter !== null) {
      current = Array.isArray(current)
        ? current.find((item: Record<string, unknown>) => item[filter[1] as string] === filter[2])
        : undefined;
    } else {
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}

/**
 * The server's rendering of a table cell: nothing → blank; a `date` column → the age of the time
 * (`5s`, `3m10s`, `2d`). A date in the FUTURE has no age: kube-apiserver prints `<invalid>` (its
 * HumanDuration of a negative duration). Ring Soak-Until (wide) is such a column; so is
 * MaintenanceWindow Next. Spelled out here so the test shows what a person sees.
 */
function expectedCell(value: unknown, type: string, now: Date): string | RegExp {
  if (value === undefined || value === null) return '';
  if (type === 'date') return Date.parse(String(value)) > now.getTime() + 1000 ? '<invalid>' : /^(\d+[smhdy]){1,2}$/;
  return String(value);
}

/**
 * Splits `kubectl get` output into tables (blank-line separated) of rows of cells. Cells are cut at
 * the header's column starts (kubectl aligns every column under its header, and leaves empty cells
 * blank, so splitting on spaces would shift them).
 */
function parseTables(text: string): string[][][] {
  return text
    .replace(/\s+$/, '')
    .split(/\n\s*\n/)
    .map((block) => {
      const [header = '', ...rows] = block.split('\n');
      const starts = [...header.matchAll(/\S+/g)].map((match) => match.index);
      const cut = (line: string): string[] => starts.map((start, index) => line.slice(start, starts[index + 1] ?? line.length).trim());
      return [cut(header), ...rows.map(cut)];
    });
}

/** The stderr of a kubectl call that must fail (the server's message, without our own arguments). */
async function kubectlFails(kube: KubeServer, args: readonly string[]): Promise<string> {
  try {
    const result = await kube.kubectl(args);
    return assert.fail(`kubectl ${args.join(' ')} succeeded but must fail:\n${result.stdout}${result.stderr}`);
  } catch (err) {
    if (!(err instanceof TestServerError) || err.code !== 'CommandFailed') throw err;
    return String(err.context.stderr ?? '');
  }
}

/** Matches a field path as a whole token in an API server message (`spec.hosts[0].port: ...`, `"spec.soak"`). */
function namesPath(text: string, path: string): boolean {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[\\s"'(])${escaped}($|[\\s"':,)])`, 'm').test(text);
}

describe('CRDs on a real kube-apiserver: one schema, two uses', { timeout: 180_000 }, () => {
  let namespace = '';
  const { withLogs } = useServer('crds', 'etcd + kube-apiserver', startKube);

  before(() =>
    withLogs(async (k) => {
      namespace = uniqueName('crds');
      await k.kubectl(['create', 'namespace', namespace]);
    }),
  );

  test('every CRD in crds/ applies with the built kubectl and becomes Established', () =>
    withLogs(async (k) => {
      assert.ok(k.kubectlPath.startsWith('/') && k.kubectlPath !== '/usr/bin/kubectl', k.kubectlPath);
      assert.equal(crds.length, 8, `expected the eight patchward CRDs, found ${crds.map((crd) => crd.file).join(', ')}`);
      await k.kubectl(['apply', '--validate=strict', '-f', CRD_DIR]);
      const names = crds.map((crd) => `crd/${crd.metadata.name}`);
      await k.kubectl(['wait', '--for=condition=Established', '--timeout=60s', ...names]);
      const served = await k.kubectl(['api-resources', '--api-group=patchward.io', '-o', 'name']);
      assert.deepEqual(served.stdout.trim().split('\n').sort(), crds.map((crd) => `${crd.spec.names.plural}.${crd.spec.group}`).sort());
    }));

  test('every document of policies/ is accepted by the loader AND by the server with strict field validation, nothing pruned', () =>
    withLogs(async (k) => {
      const loaded = await loadPolicyRepository(POLICY_DIR);
      assert.equal(loaded.ok, true, `the loader refuses policies/: ${JSON.stringify(loaded.ok ? [] : loaded.error, null, 2)}`);

      const documents = readdirSync(POLICY_DIR)
        .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
        .sort()
        .flatMap((file) =>
          parseAllDocuments(readFileSync(join(POLICY_DIR, file), 'utf8')).map((doc) => doc.toJS() as Record<string, unknown>),
        )
        .filter((doc) => doc !== null);
      assert.ok(documents.length >= 5, `policies/ holds ${documents.length} documents`);

      const applied = await k.kubectl(['apply', '--validate=strict', '-n', namespace, '-f', POLICY_DIR]);
      const createdLines = applied.stdout.trim().split('\n');
      assert.equal(createdLines.length, documents.length, applied.stdout);
      for (const line of createdLines) assert.match(line, /\.patchward\.io\/\S+ created$/);

      for (const doc of documents) {
        const kind = doc.kind as string;
        const name = (doc.metadata as { name: string }).name;
        const plural = crdOf(kind).spec.names.plural;
        const stored = JSON.parse(
          (await k.kubectl(['get', `${plural}.patchward.io/${name}`, '-n', namespace, '-o', 'json'])).stdout,
        ) as Record<string, unknown>;
        // The server may add defaults, but every field of the Git document must be stored as written.
        const lost = missingLeaves(doc.spec, stored.spec, 'spec');
        assert.deepEqual(lost, [], `${kind}/${name}: the server pruned or changed fields`);
      }
    }));

  test('status written through /status reads like a dashboard in kubectl get rings,managedhosts', () =>
    withLogs(async (k) => {
      const rings = parseAllDocuments(readFileSync(join(POLICY_DIR, 'rings.yaml'), 'utf8')).map(
        (doc) => doc.toJS() as { metadata: { name: string }; spec: { order: number } },
      );
      const ring = rings.find((candidate) => candidate.spec.order === 0) ?? assert.fail('policies/rings.yaml has no ring with order 0');
      const ringName = ring.metadata.name;
      // Only the first ring gets a status in this test; the others of policies/ are in the namespace too.
      const hostName = 'web-canary-1';
      const now = new Date();
      const iso = (msAgo: number): string => new Date(now.getTime() - msAgo).toISOString().replace(/\.\d{3}Z$/, 'Z');

      const hostFile = join(k.runDir, 'managedhost.json');
      const managedHost = {
        apiVersion: 'patchward.io/v1alpha1',
        kind: 'ManagedHost',
        metadata: { name: hostName, namespace },
        spec: {
          fleet: 'production',
          host: hostName,
          address: '10.20.0.11',
          ring: ringName,
          labels: { ring: ringName, role: 'web', os: 'debian-12' },
        },
      };
      writeFileSync(hostFile, JSON.stringify(managedHost));
      await k.kubectl(['apply', '--validate=strict', '-f', hostFile]);

      const ringStatus = {
        status: {
          observedGeneration: 1,
          phase: 'Soaking',
          hosts: 2,
          patched: 2,
          failed: 0,
          soakUntil: new Date(now.getTime() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          lastAppliedRevision: 'b3c1f0e',
          conditions: [
            {
              type: 'Ready',
              status: 'False',
              reason: 'Soaking',
              message: 'all 2 hosts patched; soaking until the next ring may start',
              lastTransitionTime: iso(60_000),
              observedGeneration: 1,
            },
            {
              type: 'Reconciling',
              status: 'True',
              reason: 'Soaking',
              message: 'soak time running',
              lastTransitionTime: iso(60_000),
              observedGeneration: 1,
            },
          ],
        },
      };
      const hostStatus = {
        status: {
          observedGeneration: 1,
          os: { release: 'debian-12', prettyName: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0-18-amd64' },
          compliance: 'NonCompliant',
          missingFixes: 1,
          missing: [{ advisory: 'DSA-5514-1', package: 'glibc', installedVersion: '2.36-9+deb12u1', minVersion: '2.36-9+deb12u3' }],
          rebootRequired: true,
          lastSeen: iso(300_000),
          conditions: [
            {
              type: 'Ready',
              status: 'True',
              reason: 'Inventoried',
              message: '1 approved fix missing',
              lastTransitionTime: iso(300_000),
              observedGeneration: 1,
            },
          ],
        },
      };
      const patchStatus = async (resource: string, body: object): Promise<Record<string, unknown>> =>
        JSON.parse(
          (
            await k.kubectl([
              'patch',
              resource,
              '-n',
              namespace,
              '--subresource=status',
              '--type=merge',
              '-p',
              JSON.stringify(body),
              '-o',
              'json',
            ])
          ).stdout,
        ) as Record<string, unknown>;
      const patchedRing = await patchStatus(`rings.patchward.io/${ringName}`, ringStatus);
      const patchedHost = await patchStatus(`managedhosts.patchward.io/${hostName}`, hostStatus);
      assert.deepEqual(patchedRing.status, ringStatus.status);
      assert.deepEqual(patchedHost.status, hostStatus.status);
      assert.equal((patchedRing.metadata as { generation: number }).generation, 1, 'a status patch must not bump the generation');

      // The status schema is enforced on /status too.
      const refused = await kubectlFails(k, [
        'patch',
        `rings.patchward.io/${ringName}`,
        '-n',
        namespace,
        '--subresource=status',
        '--type=merge',
        '-p',
        '{"status":{"phase":"Exploded"}}',
      ]);
      assert.ok(namesPath(refused, 'status.phase'), refused);

      for (const wide of [false, true]) {
        const args = ['get', 'rings,managedhosts', '-n', namespace, ...(wide ? ['-o', 'wide'] : [])];
        const output = (await k.kubectl(args)).stdout;
        const tables = parseTables(output);
        assert.equal(tables.length, 2, `two tables expected from kubectl ${args.join(' ')}:\n${output}`);
        const [ringTable, hostTable] = tables as [string[][], string[][]];
        const checks: [string, string[][], string, Record<string, unknown>][] = [
          ['Ring', ringTable, `ring.patchward.io/${ringName}`, patchedRing],
          ['ManagedHost', hostTable, `managedhost.patchward.io/${hostName}`, patchedHost],
        ];
        for (const [kind, table, rowName, object] of checks) {
          const columns = printerColumns(kind, wide);
          const header = ['NAME', ...columns.map((column) => column.name.toUpperCase())];
          assert.deepEqual(table[0], header, `${kind} header (wide=${wide}) must follow ${crdOf(kind).file}:\n${output}`);
          const row = table.find((cells) => cells[0] === rowName) ?? assert.fail(`no row ${rowName} in:\n${output}`);
          assert.equal(row.length, header.length, `row cells:\n${output}`);
          columns.forEach((column, index) => {
            const want = expectedCell(evaluate(object, column.jsonPath), column.type, new Date());
            const got = row[index + 1] ?? '';
            if (want instanceof RegExp) assert.match(got, want, `${kind} ${column.name}`);
            else assert.equal(got, want, `${kind} ${column.name} (${column.jsonPath})`);
          });
          if (kind === 'Ring') assert.equal(table.length, 1 + rings.length, `every ring of policies/ is listed:\n${output}`);
        }
        // What a person reads, spelled out (the loop above derives the same from the CRDs).
        const cell = (table: string[][], rowName: string, column: string): string | undefined => {
          const index = (table[0] ?? []).indexOf(column);
          return table.find((cells) => cells[0] === rowName)?.[index];
        };
        const ringRow = `ring.patchward.io/${ringName}`;
        assert.equal(cell(ringTable, ringRow, 'ORDER'), '0');
        assert.equal(cell(ringTable, ringRow, 'PHASE'), 'Soaking');
        assert.equal(cell(ringTable, ringRow, 'PATCHED'), '2');
        assert.equal(cell(ringTable, ringRow, 'READY'), 'False');
        const hostRow = `managedhost.patchward.io/${hostName}`;
        assert.equal(cell(hostTable, hostRow, 'RING'), ringName);
        assert.equal(cell(hostTable, hostRow, 'OS'), 'debian-12');
        assert.equal(cell(hostTable, hostRow, 'COMPLIANCE'), 'NonCompliant');
        assert.equal(cell(hostTable, hostRow, 'MISSING'), '1');
        assert.equal(cell(hostTable, hostRow, 'REBOOT'), 'true');
        assert.equal(cell(hostTable, hostRow, 'READY'), 'True');
        if (wide) assert.equal(cell(hostTable, hostRow, 'STATUS'), '1 approved fix missing');
        // A ring without status yet shows its order and blank status columns, not an error.
        const unpatched = rings.find((candidate) => candidate.spec.order !== 0);
        if (unpatched !== undefined) {
          const row = `ring.patchward.io/${unpatched.metadata.name}`;
          assert.equal(cell(ringTable, row, 'ORDER'), String(unpatched.spec.order));
          assert.equal(cell(ringTable, row, 'PHASE'), '');
        }
      }
    }));

  for (const name of SCHEMA_CASES) {
    test(`corpus ${name}: refused by the loader and by the server, naming the same field path`, () =>
      withLogs(async (k) => {
        const manifest = parse(readFileSync(join(CORPUS, 'manifest.yaml'), 'utf8')) as { cases: Record<string, string[] | null> };
        const expected = (manifest.cases[name] ?? []).map((line) => line.split(' '));
        assert.equal(expected.length, 1, `${name}: one expected problem in the manifest`);
        const [, , path, code] = expected[0] as string[];
        assert.ok(path !== undefined && path !== '-', `${name}: the manifest names no field path`);

        const loader = await createPolicyRepositoryLoader({ now: () => CORPUS_NOW });
        const loaded = await loader.load(join(CORPUS, name));
        assert.equal(loaded.ok, false, `${name}: the loader accepted it`);
        assert.deepEqual(loaded.ok ? [] : loaded.error.map((problem) => `${problem.path} ${problem.code}`), [`${path} ${code}`]);

        const caseNamespace = uniqueName(`corpus-${name}`.slice(0, 40));
        await k.kubectl(['create', 'namespace', caseNamespace]);
        const failure = await kubectlFails(k, ['apply', '--validate=strict', '-n', caseNamespace, '-f', join(CORPUS, name)]);
        assert.match(failure, /is invalid: |Error from server/, failure);
        assert.ok(namesPath(failure, path), `${name}: the server's message does not name ${path}:\n${failure}`);
        const left = await k.kubectl(['get', 'fleets,rings,patchbaselines', '-n', caseNamespace, '-o', 'name']);
        assert.equal(left.stdout.trim(), '', `${name}: the refused object was stored anyway`);
      }));
  }
});

/** Leaves of `source` that `stored` lacks or holds with another value (paths like `spec.hosts[0].port`). */
function missingLeaves(source: unknown, stored: unknown, path: string): string[] {
  if (Array.isArray(source)) {
    if (!Array.isArray(stored)) return [path];
    return source.flatMap((item, index) => missingLeaves(item, stored[index], `${path}[${index}]`));
  }
  if (source !== null && typeof source === 'object') {
    if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return [path];
    return Object.entries(source).flatMap(([key, value]) =>
      missingLeaves(value, (stored as Record<string, unknown>)[key], `${path}.${key}`),
    );
  }
  return source === stored ? [] : [`${path}: ${JSON.stringify(source)} -> ${JSON.stringify(stored)}`];
}
