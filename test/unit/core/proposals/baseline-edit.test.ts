import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse, parseAllDocuments } from 'yaml';
import { editBaseline, type ApprovalEntry } from '../../../../controller/core/proposals/baseline-edit.js';
import { pinHostKey } from '../../../../controller/core/proposals/fleet-edit.js';

const POLICIES = new URL('../../../../../policies/', import.meta.url).pathname;

const NEW: ApprovalEntry = {
  advisory: 'ALSA-2024:9999',
  aliases: ['CVE-2024-9999'],
  severity: 'high',
  reason: 'Proposed by patchward (PatchPolicy security).',
  packages: [
    { release: 'almalinux-9', name: 'openssl', minVersion: '1:3.0.7-27.el9' },
    { release: 'debian-12', name: 'openssl', minVersion: '3.0.15-1~deb12u1' },
  ],
};

/** `after` is `before` with exactly `block` inserted somewhere: every other byte is unchanged. */
function assertOnlyInserted(before: string, after: string, block: string): void {
  const at = after.indexOf(block);
  assert.notEqual(at, -1, `inserted text not found in:\n${after}`);
  assert.equal(after.slice(0, at) + after.slice(at + block.length), before);
}

const NEW_BLOCK = `    - advisory: ALSA-2024:9999
      aliases: [ CVE-2024-9999 ]
      severity: high
      reason: Proposed by patchward (PatchPolicy security).
      packages:
        - { release: almalinux-9, name: openssl, minVersion: 1:3.0.7-27.el9 }
        - { release: debian-12, name: openssl, minVersion: 3.0.15-1~deb12u1 }
`;

function approvals(text: string, documentIndex = 0): unknown {
  return (parseAllDocuments(text)[documentIndex]?.toJS() as { spec?: { approvals?: unknown } } | undefined)?.spec?.approvals;
}

describe('editBaseline on the example repository', () => {
  const before = readFileSync(`${POLICIES}baseline.yaml`, 'utf8');

  it('adds one approval; every other byte (comments, flow maps, holds) is unchanged', () => {
    const result = editBaseline(before, 'production', [NEW]);
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.value.changed, true);
    // The existing approvals write packages as flow maps and are spaced by blank lines; so is the new one.
    assertOnlyInserted(before, result.value.text, `\n${NEW_BLOCK}`);
    assert.match(result.value.text, /minVersion: 1\.9\.15p5-3ubuntu5\.24\.04\.1 \}\n\n {4}- advisory: ALSA-2024:9999\n/);
    const list = approvals(result.value.text) as { advisory: string; packages: unknown[] }[];
    assert.equal(list.length, 7);
    assert.deepEqual(list.at(-1), { ...NEW, aliases: [...(NEW.aliases ?? [])], packages: NEW.packages.map((p) => ({ ...p })) });
    // The holds after the approvals are still there, with their comment.
    assert.match(result.value.text, /holds:\n {4}- package: "linux-image-\*" {6}# binary package glob/);
  });

  it('a second edit with the same approvals changes nothing', () => {
    const once = editBaseline(before, 'production', [NEW]);
    assert.ok(once.ok);
    const twice = editBaseline(once.value.text, 'production', [NEW]);
    assert.ok(twice.ok);
    assert.equal(twice.value.changed, false);
    assert.equal(twice.value.text, once.value.text);
  });

  it('raises the minVersion of an already approved advisory in place, keeping its quotes and comment', () => {
    const result = editBaseline(before, 'production', [
      {
        advisory: 'DEBIAN-CVE-2024-6387',
        packages: [{ release: 'debian-12', name: 'openssh', minVersion: '1:9.2p1-2+deb12u4' }],
      },
    ]);
    assert.ok(result.ok, JSON.stringify(result));
    const expected = before.replace('minVersion: "1:9.2p1-2+deb12u3" }', 'minVersion: "1:9.2p1-2+deb12u4" }');
    assert.notEqual(expected, before);
    assert.equal(result.value.text, expected);
  });

  it('refuses a baseline name that is not in the file, and the text is not touched', () => {
    const result = editBaseline(before, 'staging', [NEW]);
    assert.equal(result.ok, false);
  });
});

describe('editBaseline on other shapes', () => {
  it('a multi-document file with anchors and aliases: only the named baseline changes', () => {
    const text = `# two baselines in one file
apiVersion: patchward.io/v1alpha1
kind: PatchBaseline
metadata: { name: staging }
spec:
  approvals:
    - advisory: DSA-1-1
      packages: &pkgs
        - release: debian-12   # a comment
          name: glibc
          minVersion: '2.36-9'
---
apiVersion: patchward.io/v1alpha1
kind: PatchBaseline
metadata:
  name: production
spec:
  approvals:
    - advisory: DSA-2-1
      packages: *pkgs
  holds: [] # none yet
`;
    const result = editBaseline(text, 'production', [NEW]);
    assert.equal(result.ok, false, 'an alias to another document does not resolve; the file must be refused, not mangled');
    const single = text.replace(
      '    - advisory: DSA-2-1\n      packages: *pkgs',
      '    - advisory: DSA-2-1\n      packages: &own\n        - { release: debian-12, name: zlib, minVersion: 1.2.13 }\n    - advisory: DSA-3-1\n      packages: *own',
    );
    assert.notEqual(single, text);
    const edited = editBaseline(single, 'production', [NEW]);
    assert.ok(edited.ok, JSON.stringify(edited));
    assertOnlyInserted(single, edited.value.text, NEW_BLOCK);
    assert.equal((approvals(edited.value.text, 0) as unknown[]).length, 1);
    assert.equal((approvals(edited.value.text, 1) as unknown[]).length, 3);
    assert.match(edited.value.text, /packages: \*own\n {4}- advisory: ALSA-2024:9999/);
  });

  it('flow-style approvals: the entry is appended inside the brackets', () => {
    const text =
      'apiVersion: patchward.io/v1alpha1\nkind: PatchBaseline\nmetadata: {name: production}\nspec: {approvals: [{advisory: DSA-1-1, packages: [{release: debian-12, name: a, minVersion: "1"}]}]}\n';
    const result = editBaseline(text, 'production', [NEW]);
    assert.ok(result.ok, JSON.stringify(result));
    assert.ok(result.value.text.startsWith(text.slice(0, text.lastIndexOf(']}'))));
    assert.ok(result.value.text.endsWith(']}\n'));
    assert.match(result.value.text, /"1"\}\]\}, \{ advisory: ALSA-2024:9999,/);
    assert.equal((approvals(result.value.text) as unknown[]).length, 2);
  });

  it('no approvals key yet (holds only, no trailing newline): the key is added to spec', () => {
    const text =
      'apiVersion: patchward.io/v1alpha1\nkind: PatchBaseline\nmetadata:\n  name: production\nspec:\n  holds:\n    - package: x\n      reason: "y"   # why';
    const result = editBaseline(text, 'production', [NEW]);
    assert.ok(result.ok, JSON.stringify(result));
    assert.ok(result.value.text.startsWith(text));
    assert.equal((parse(result.value.text) as { spec: { approvals: unknown[] } }).spec.approvals.length, 1);
  });

  it('an empty `approvals:` (null) is refused rather than guessed at; the text is untouched', () => {
    const text = 'kind: PatchBaseline\nmetadata:\n  name: production\nspec:\n  approvals:\n  holds: []\n';
    const result = editBaseline(text, 'production', [NEW]);
    assert.equal(result.ok, false);
  });

  it('empty flow list `approvals: []` gets the entry inside the brackets', () => {
    const text = 'kind: PatchBaseline\nmetadata:\n  name: production\nspec:\n  approvals: []  # nothing approved yet\n';
    const result = editBaseline(text, 'production', [NEW]);
    assert.ok(result.ok, JSON.stringify(result));
    assert.match(result.value.text, /approvals: \[\{ advisory: ALSA-2024:9999, .*\] {2}# nothing approved yet\n$/);
  });
});

describe('pinHostKey', () => {
  const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake';

  it('adds a hostKeys list to a TOFU host of the example fleet; the rest is byte-identical', () => {
    const before = readFileSync(`${POLICIES}fleet.yaml`, 'utf8');
    const result = pinHostKey(before, 'build-1', key);
    assert.ok(result.ok, JSON.stringify(result));
    assertOnlyInserted(before, result.value.text, `        hostKeys:\n          - ${key}\n`);
    const again = pinHostKey(result.value.text, 'build-1', key);
    assert.ok(again.ok);
    assert.equal(again.value.changed, false);
  });

  it('appends to an existing flow list', () => {
    const before = readFileSync(`${POLICIES}fleet.yaml`, 'utf8');
    const result = pinHostKey(before, 'web-1', key);
    assert.ok(result.ok, JSON.stringify(result));
    assertOnlyInserted(before, result.value.text, `, ${key}`);
    assert.match(
      result.value.text,
      new RegExp(`hostKeys: \\[ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIN272ZTtuH3M3xterhgVwUKnhTFtuv2gDNGP4\\+MlsIdf, ${key}\\]`),
    );
  });

  it('a host whose ssh settings are a flow map, or a block map without hostKeys, or absent', () => {
    const flow = 'kind: Fleet\nspec:\n  hosts:\n    - name: a\n      address: x\n      ssh: { jumpHost: b }   # via b\n';
    const one = pinHostKey(flow, 'a', key);
    assert.ok(one.ok, JSON.stringify(one));
    assert.equal(one.value.text, flow.replace('ssh: { jumpHost: b }', `ssh: { jumpHost: b, hostKeys: [ ${key} ] }`));
    const block = 'kind: Fleet\nspec:\n  hosts:\n    - name: a\n      ssh:\n        trustOnFirstUse: true\n    - name: b\n';
    const two = pinHostKey(block, 'a', key);
    assert.ok(two.ok, JSON.stringify(two));
    assertOnlyInserted(block, two.value.text, `        hostKeys:\n          - ${key}\n`);
    const none = 'kind: Fleet\nspec:\n  hosts:\n    - name: a\n      address: x\n';
    const three = pinHostKey(none, 'a', key);
    assert.ok(three.ok, JSON.stringify(three));
    assertOnlyInserted(none, three.value.text, `      ssh:\n        hostKeys:\n          - ${key}\n`);
  });

  it('a host inheriting default keys keeps them when its own list is created (its list replaces the defaults)', () => {
    const text = 'kind: Fleet\nspec:\n  defaults:\n    ssh: { hostKeys: [ssh-ed25519 AAAAold] }\n  hosts:\n    - name: a\n';
    const result = pinHostKey(text, 'a', key);
    assert.ok(result.ok, JSON.stringify(result));
    assertOnlyInserted(text, result.value.text, `      ssh:\n        hostKeys:\n          - ssh-ed25519 AAAAold\n          - ${key}\n`);
  });

  it('a host not in the file is an error', () => {
    assert.equal(pinHostKey('kind: Fleet\nspec:\n  hosts: []\n', 'nope', key).ok, false);
  });
});
