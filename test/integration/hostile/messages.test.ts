/**
 * Hostile input, class "Messages": the unknown field is named; an error inside items[N] names
 * that path; every file error names the path; numeric options are range-checked; validate refuses
 * host keys that are not valid keys of their type; files skipped because they are symbolic links,
 * FIFOs or directories are reported. Also the one --output vocabulary (table|json|csv).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { generateKeyPairSync } from 'node:crypto';
import { hasStackTrace, runPatchwardChild } from '../../helpers/run-patchward-child.js';
import { inventoryList, osvRecord, workdir } from './corpus.js';

const POLICIES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'policies');
const ED25519 = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE6Ks3v3x8K2+ekNUqwC6DOoExNxEwKrTvjwwhKNgjkE';

/** An OpenSSH public key line of a fresh RSA key (`ssh-rsa base64`). */
function rsaKeyBase64(): string {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const field = (bytes: Buffer): Buffer =>
    Buffer.concat([Buffer.from([0, 0, 0, 0].map((_, i) => (bytes.length >>> (24 - 8 * i)) & 255)), bytes]);
  const mpint = (b64url: string): Buffer => {
    const raw = Buffer.from(b64url, 'base64url');
    return (raw[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw;
  };
  return Buffer.concat([field(Buffer.from('ssh-rsa')), field(mpint(jwk.e)), field(mpint(jwk.n))]).toString('base64');
}

describe('hostile input: messages', { timeout: 120_000 }, () => {
  const dir = workdir();
  after(() => rmSync(dir, { recursive: true, force: true }));
  const feed = path.join(dir, 'osv');
  mkdirSync(feed);
  writeFileSync(path.join(feed, 'DSA-1.json'), osvRecord('DSA-1'));
  const inventory = path.join(dir, 'inventory.json');
  writeFileSync(inventory, inventoryList([{ host: 'web-1' }]));

  it('inventory errors name the unknown field and the items[N] path, not the other oneOf branch', async () => {
    const list = JSON.parse(inventoryList([{ host: 'a' }, { host: 'b' }, { host: 'c' }])) as { items: Record<string, unknown>[] };
    (list.items[1] as Record<string, unknown>)['hots'] = 'typo';
    ((list.items[2] as { packages: Record<string, unknown>[] }).packages[0] as Record<string, unknown>)['version'] = 42;
    const file = path.join(dir, 'bad-inventory.json');
    writeFileSync(file, JSON.stringify(list));
    const run = await runPatchwardChild(['assess', '--inventory', file, '--advisories', feed], { cwd: dir });
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /bad-inventory\.json: not a HostInventory or HostInventoryList: items\[1\]: unknown field "hots"; items\[2\]\.packages\[0\]\.version: must be string/,
    );
    assert.ok(!/must have required property|must match exactly one schema/.test(run.stderr), run.stderr);
  });

  it('every file error names the path', async () => {
    const missing = path.join(dir, 'missing');
    const cases: [string[], RegExp][] = [
      [['assess', '--inventory', `${missing}.json`, '--advisories', feed], /missing\.json: no such file/],
      [['assess', '--inventory', inventory, '--advisories', feed, '--kev', `${missing}-kev.json`], /missing-kev\.json: no such file/],
      [['assess', '--inventory', inventory, '--advisories', feed, '--baseline', `${missing}.yaml`], /missing\.yaml: no such file/],
      [['assess', '--inventory', inventory, '--advisories', `${missing}-dir`], /advisory directory .*missing-dir cannot be listed/],
      [['assess', '--inventory', inventory, '--advisories', `${missing}.zip`], /missing\.zip: no such file/],
      [['inventory', '--fleet', `${missing}-fleet.yaml`], /missing-fleet\.yaml: no such file/],
    ];
    for (const [args, message] of cases) {
      const run = await runPatchwardChild(args, { cwd: dir });
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(hasStackTrace(run.stderr), false);
    }
  });

  it('numeric options are range-checked (a timer beyond 2^31-1 ms would overflow)', async () => {
    const cases: [string[], RegExp][] = [
      [['inventory', '-f', POLICIES, '--timeout', '9999999'], /--timeout must be a number from 0\.001 to 86400, not "9999999"/],
      [['inventory', '-f', POLICIES, '--concurrency', '0'], /--concurrency must be a whole number from 1 to 10000, not "0"/],
      [
        ['assess', '-f', POLICIES, '--advisories', feed, '--timeout', '9999999'],
        /--timeout must be a number from 0\.001 to 86400, not "9999999"/,
      ],
      [
        ['assess', '--inventory', inventory, '--advisories', feed, '--feed-timeout', 'soon'],
        /--feed-timeout must be a number from 0\.001 to 86400, not "soon"/,
      ],
      [
        ['assess', '--inventory', inventory, '--advisories', feed, '--limit', 'record=lots'],
        /--limit record: size must be a positive number of bytes/,
      ],
      [
        ['assess', '--inventory', inventory, '--advisories', feed, '--limit', 'everything=1G'],
        /--limit "everything": unknown limit; known: inventory-file, policy-file/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await runPatchwardChild(args, { cwd: dir });
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
  });

  it('validate refuses host keys that are not valid keys of their type', async () => {
    const repo = path.join(dir, 'keys');
    cpSync(POLICIES, repo, { recursive: true });
    const fleet = path.join(repo, 'fleet.yaml');
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(fleet, 'utf8');
    const base64 = ED25519.split(' ')[1] as string;
    writeFileSync(
      fleet,
      text
        .replace(ED25519, `ssh-ed25519 ${rsaKeyBase64()}`)
        .replace(/hostKeys:(\s+#[^\n]*)?\n(\s+)- ssh-ed25519 [^\n]+/, (all) => `${all}\n          - ssh-ed25519 ${base64.slice(0, 40)}`),
    );
    const run = await runPatchwardChild(['validate', repo], { cwd: dir });
    assert.equal(run.code, 1, run.stdout);
    assert.match(
      run.stdout,
      /fleet\.yaml:[0-9]+:[0-9]+: error: spec\.hosts\[0\]\.ssh\.hostKeys\[0\]: host key of bastion-1 is not a valid key: is declared ssh-ed25519 but its key data is a "ssh-rsa" key/,
    );
    assert.match(
      run.stdout,
      /hostKeys\[1\]: host key of bastion-1 is not a valid key: its (key data is not an SSH public key|ed25519 public key is not 32 bytes)/,
    );
    const good = await runPatchwardChild(['validate', POLICIES], { cwd: dir });
    assert.equal(good.code, 0, good.stdout);
  });

  it('a symbolic-linked Fleet file, a linked directory and a directory named like a policy file are reported', async () => {
    const repo = path.join(dir, 'linked');
    cpSync(POLICIES, repo, { recursive: true });
    const outside = path.join(dir, 'outside');
    mkdirSync(outside);
    cpSync(path.join(repo, 'fleet.yaml'), path.join(outside, 'fleet.yaml'));
    rmSync(path.join(repo, 'fleet.yaml'));
    symlinkSync(path.join(outside, 'fleet.yaml'), path.join(repo, 'fleet.yaml'));
    symlinkSync(outside, path.join(repo, 'more'));
    mkdirSync(path.join(repo, 'odd.yaml'));
    const run = await runPatchwardChild(['validate', repo], { cwd: dir });
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, /^fleet\.yaml:1:1: error: is a symbolic link, not a regular file: not read/m);
    assert.match(run.stdout, /^more:1:1: error: is a symbolic link, not a regular file: not read/m);
    assert.match(run.stdout, /^odd\.yaml:1:1: error: is a directory named like a policy file; rename it/m);
    assert.doesNotMatch(run.stdout, /: valid/);
    const inventoryDir = path.join(dir, 'inventories');
    mkdirSync(inventoryDir);
    writeFileSync(path.join(inventoryDir, 'a.json'), inventoryList([{ host: 'a' }]));
    symlinkSync(inventory, path.join(inventoryDir, 'b.json'));
    const assess = await runPatchwardChild(['assess', '--inventory', inventoryDir, '--advisories', feed], { cwd: dir });
    assert.equal(assess.code, 2);
    assert.match(assess.stderr, /inventories\/b\.json is a symbolic link; an inventory directory holds regular files only/);
  });

  it('one --output vocabulary: table (validate keeps text as an alias), json, csv only for rows', async () => {
    const table = await runPatchwardChild(['validate', POLICIES, '--output', 'table'], { cwd: dir });
    const text = await runPatchwardChild(['validate', POLICIES, '--output', 'text'], { cwd: dir });
    assert.equal(table.code, 0);
    assert.equal(text.stdout, table.stdout);
    assert.match(table.stdout, /: valid \(/);
    const json = await runPatchwardChild(['validate', POLICIES, '--output', 'json'], { cwd: dir });
    assert.equal((JSON.parse(json.stdout) as { valid: boolean }).valid, true);
    const cases: [string[], RegExp][] = [
      [['validate', POLICIES, '--output', 'csv'], /--output must be table or json, not "csv"/],
      [['inventory', '-f', POLICIES, '--output', 'csv'], /--output must be table or json, not "csv"/],
      [
        ['assess', '--inventory', inventory, '--advisories', feed, '--output', 'markdown'],
        /--output must be table, json or csv, not 'markdown'/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await runPatchwardChild(args, { cwd: dir });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, message);
    }
  });
});
