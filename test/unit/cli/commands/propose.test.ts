import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openLocalStateStore } from '../../../../controller/edges/state/local/local-state-store.js';
import { TRUSTED_HOST_KEY } from '../../../../controller/edges/transport/ssh/state-host-key-trust.js';
import { runCliCaptured } from '../../../helpers/run-cli.js';
import { advisoryDir, inventory, writePolicyRepo } from '../../../helpers/proposal-repo.js';

const work = mkdtempSync(join(tmpdir(), 'pw-propose-cli-'));
after(() => rmSync(work, { recursive: true, force: true }));
const repo = join(work, 'repo');
writePolicyRepo(repo, { reviewer: 'alice', team: 'platform' });
const inventoryFile = join(work, 'inventory.json');
writeFileSync(
  inventoryFile,
  JSON.stringify({ apiVersion: 'patchward.io/v1alpha1', kind: 'HostInventoryList', items: inventory(['web-1', 'web-2', 'db-1']) }),
);
const advisories = advisoryDir(join(work, 'advisories'));

interface JsonReport {
  proposals: {
    policy: string;
    key: string;
    branch: string;
    title: string;
    body: string;
    files: { path: string; before: string; after: string }[];
    advisories: string[];
    hosts: string[];
  }[];
}

/** `patchward propose --dry-run` on the test repository and inventory at a fixed time. */
function dryRun(extra: readonly string[], source = advisories) {
  return runCliCaptured([
    'propose',
    '-f',
    repo,
    '--inventory',
    inventoryFile,
    '--advisories',
    source,
    '--dry-run',
    '--now',
    '2026-12-02T12:00:00Z',
    ...extra,
  ]);
}

describe('patchward propose --dry-run', () => {
  it('--output json gives the proposals with branch, body, file before/after, advisories and hosts; nothing on disk changes', async () => {
    const before = readFileSync(join(repo, 'baseline.yaml'), 'utf8');
    const run = await dryRun(['--output', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as JsonReport;
    assert.equal(report.proposals.length, 1);
    const [p] = report.proposals;
    assert.deepEqual(
      [p?.policy, p?.key, p?.branch, p?.advisories, p?.hosts],
      ['security', 'PWSA-2026-0001', 'patchward/security/PWSA-2026-0001', ['PWSA-2026-0001'], ['db-1', 'web-1', 'web-2']],
    );
    assert.equal(p?.files[0]?.path, 'baseline.yaml');
    assert.equal(p?.files[0]?.before, before);
    assert.match(p?.files[0]?.after ?? '', /- advisory: PWSA-2026-0001\n/);
    assert.match(p?.files[0]?.after ?? '', /\{ release: rocky-9, name: pw-demo-utils, minVersion: 1\.0-2 \}/);
    assert.match(p?.body ?? '', /### Rollout plan/);
    assert.equal(readFileSync(join(repo, 'baseline.yaml'), 'utf8'), before);
  });

  it('the table form prints the branch, a unified diff and the body', async () => {
    const run = await dryRun([]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^=== security PWSA-2026-0001: create on branch patchward\/security\/PWSA-2026-0001$/m);
    assert.match(run.stdout, /^--- a\/baseline\.yaml\n\+\+\+ b\/baseline\.yaml\n@@ /m);
    assert.match(run.stdout, /^\+ {4}- advisory: PWSA-2026-0001$/m);
    assert.match(run.stdout, /<!-- patchward:proposal v1 /);
  });

  it('a hostile advisory: markup in the summary is inert, a package name with shell characters never gets in', async () => {
    const dir = join(work, 'hostile');
    advisoryDir(dir);
    const record = JSON.parse(readFileSync(join(dir, 'PWSA-2026-0001.json'), 'utf8')) as {
      summary: string;
      affected: { package: { name: string } }[];
    };
    record.summary = '<img src=x onerror=alert(1)> **urgent** [click](https://evil.example) @admin please merge #1';
    record.affected.push({
      ...(record.affected[0] as object),
      package: { name: 'pw-demo-src;touch${IFS}/tmp/pwned', ecosystem: 'Debian:12' },
    } as never);
    writeFileSync(join(dir, 'PWSA-2026-0001.json'), JSON.stringify(record));
    const run = await dryRun(['--output', 'json'], dir);
    assert.equal(run.code, 0, run.stderr);
    const [p] = (JSON.parse(run.stdout) as JsonReport).proposals;
    const body = p?.body ?? '';
    assert.ok(!body.includes('<img'));
    assert.ok(!body.includes('@admin'));
    assert.ok(!body.includes('[click]('));
    assert.match(
      body,
      /&lt;img src\\=x onerror\\=alert\\\(1\\\)&gt; \\\*\\\*urgent\\\*\\\* \\\[click\\\]\\\(https:&#8203;\/\/evil\.example\\\) @&#8203;admin/,
    );
    assert.ok(!JSON.stringify(p).includes('touch'), 'the shell-named package is refused by the advisory index, nowhere in the proposal');
  });
});

describe('patchward propose --state: keys trusted on first use become pin proposals', () => {
  it('a recorded key for a TOFU host is proposed as an in-place Fleet edit', async () => {
    const tofuRepo = join(work, 'tofu-repo');
    writePolicyRepo(tofuRepo, { reviewer: 'alice', team: 'platform' });
    const fleetPath = join(tofuRepo, 'fleet.yaml');
    const fleet = readFileSync(fleetPath, 'utf8');
    const tofu = fleet.replace(/(- name: web-3\n(?: {6}.*\n)*? {6}ssh:\n) {8}hostKeys: \[[^\]]*\]\n/, '$1        trustOnFirstUse: true\n');
    assert.notEqual(tofu, fleet);
    writeFileSync(fleetPath, tofu);
    const stateDir = join(work, 'state');
    const store = await openLocalStateStore({ directory: stateDir, now: new Date('2026-12-02T12:00:00Z') });
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHoFF5k9oXOCSWwGVdjTmkUbWLDvCg+qihshaPrwceNh';
    const put = await store.put(TRUSTED_HOST_KEY, 'web-3', {
      host: 'web-3',
      key,
      fingerprint: `SHA256:${createHash('sha256')
        .update(Buffer.from(key.split(' ')[1] as string, 'base64'))
        .digest('base64')
        .replace(/=+$/, '')}`,
      address: '127.0.0.12:22',
      recordedAt: '2026-12-01T00:00:00Z',
    });
    assert.ok(put.ok);
    await store.close();
    const run = await runCliCaptured([
      'propose',
      '-f',
      tofuRepo,
      '--inventory',
      inventoryFile,
      '--advisories',
      advisories,
      '--state',
      stateDir,
      '--dry-run',
      '--output',
      'json',
    ]);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as {
      pins: { host: string; branch: string; files: { path: string; before: string; after: string }[] }[];
    };
    assert.deepEqual(
      report.pins.map((p) => [p.host, p.branch]),
      [['web-3', 'patchward/_pins/web-3']],
    );
    assert.equal(
      report.pins[0]?.files[0]?.after,
      tofu.replace('        trustOnFirstUse: true\n', `        trustOnFirstUse: true\n        hostKeys:\n          - ${key}\n`),
    );
  });
});

describe('patchward propose: usage', () => {
  const table: [string[], RegExp][] = [
    [['propose', '--advisories', 'x', '--dry-run'], /-f DIR is required/],
    [['propose', '-f', repo, '--dry-run'], /--advisories is required/],
    [['propose', '-f', repo, '--advisories', 'x'], /give --forge/],
    [['propose', '-f', repo, '--advisories', 'x', '--dry-run', '--output', 'csv'], /--output must be table or json/],
    [['propose', '-f', repo, '--advisories', 'x', '--forge', 'svn'], /--forge must be gitea, github, gitlab or git/],
  ];
  for (const [args, message] of table)
    it(args.slice(1).join(' '), async () => {
      const run = await runCliCaptured(args);
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
    });

  it('a forge without a token is refused, naming where a token comes from', async () => {
    const run = await runCliCaptured(
      [
        'propose',
        '-f',
        repo,
        '--inventory',
        inventoryFile,
        '--advisories',
        advisories,
        '--forge',
        'gitea',
        '--repository',
        'o/r',
        '--api-url',
        'http://127.0.0.1:9',
      ],
      { env: {} },
    );
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--token-file FILE or PATCHWARD_FORGE_TOKEN/);
  });
});
