import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { CrdSchema } from '../../../../controller/core/model/crd-schema.js';
import { formatProblem } from '../../../../controller/core/model/index.js';
import { createPolicyValidator, type PolicyValidator } from '../../../../controller/core/model/validate-policy-set.js';
import { readCrdSchemas } from '../../../../controller/edges/policy-repo/read-crds.js';

const NOW = new Date('2026-11-21T12:00:00Z');

describe('createPolicyValidator (pure: files and clock in, result out)', () => {
  let crds: CrdSchema[];
  let validator: PolicyValidator;
  before(async () => {
    crds = await readCrdSchemas();
    validator = createPolicyValidator(crds);
  });

  it('locates problems in any document of a multi-document file, with quoted keys in paths', () => {
    const text = [
      'apiVersion: patchward.io/v1alpha1',
      'kind: MaintenanceWindow',
      'metadata: { name: w, labels: { "app.kubernetes.io/name": 7 } }',
      'spec:',
      '  timeZone: UTC',
      '  schedules: [{ cron: "0 2 * * *", duration: 2h }]',
      '---',
      '# a comment before the second document',
      'apiVersion: patchward.io/v1alpha1',
      'kind: MaintenanceWindow',
      'metadata:',
      '  name: v',
      'spec:',
      '  timeZone: UTC',
      '  schedules:',
      '    - { cron: "0 2 * * *", duration: 2h, durration: 3h }',
    ].join('\n');
    const result = validator.validate([{ path: 'dir/w.yaml', text }], { now: NOW });
    assert.ok(!result.ok);
    assert.deepEqual(result.error.map(formatProblem), [
      'dir/w.yaml:3:58: error: metadata.labels["app.kubernetes.io/name"]: must be a string, not an integer',
      'dir/w.yaml:16:42: error: spec.schedules[0].durration: unknown field "durration" (did you mean "duration"?)',
    ]);
  });

  it('judges "ended" against the clock it is given, as a warning only', () => {
    const text =
      'apiVersion: patchward.io/v1alpha1\nkind: MaintenanceWindow\nmetadata: { name: w }\nspec:\n  timeZone: UTC\n  schedules:\n    - rrule: "FREQ=DAILY;BYHOUR=1;BYMINUTE=0;UNTIL=20270101T000000Z"\n      duration: 1h\n';
    assert.equal(validator.validate([{ path: 'w.yaml', text }], { now: NOW }).ok, true);
    const later = validator.validate([{ path: 'w.yaml', text }], { now: new Date('2027-06-01T00:00:00Z') });
    assert.ok(later.ok);
    assert.deepEqual(
      later.warnings.map((problem) => `${problem.severity} ${problem.code}`),
      ['warning ScheduleEnded'],
    );
  });

  it('keeps source locations of every loaded document', () => {
    const text =
      'apiVersion: patchward.io/v1alpha1\nkind: PatchBaseline\nmetadata: { name: b }\nspec: {}\n---\napiVersion: patchward.io/v1alpha1\nkind: PatchBaseline\nmetadata: { name: c }\nspec: {}\n';
    const result = validator.validate([{ path: 'b.yaml', text }], { now: NOW });
    assert.ok(result.ok);
    assert.deepEqual(
      result.value.patchBaselines.map((entry) => entry.source),
      [
        { file: 'b.yaml', line: 1, column: 1 },
        { file: 'b.yaml', line: 6, column: 1 },
      ],
    );
  });
});

describe('createPolicyValidator: a first look at some kinds only (onlyKinds)', () => {
  it('checks the Fleet alone and skips other kinds and the checks across documents; the whole check still refuses', async () => {
    const validator = createPolicyValidator(await readCrdSchemas());
    const fleet = readFileSync(join(process.cwd(), 'policies', 'fleet.yaml'), 'utf8');
    const brokenRing = ['apiVersion: patchward.io/v1alpha1', 'kind: Ring', 'metadata: { name: canary }', 'spec: { order: "first" }'].join(
      '\n',
    );
    const files = [
      { path: 'fleet.yaml', text: fleet },
      { path: 'rings.yaml', text: brokenRing },
    ];
    const first = validator.validate(files, { now: NOW, onlyKinds: ['Fleet'] });
    assert.ok(first.ok, first.ok ? '' : first.error.map(formatProblem).join('\n'));
    assert.equal(first.value.fleets.length, 1);
    assert.equal(first.value.rings.length, 0);
    const whole = validator.validate(files, { now: NOW });
    assert.ok(!whole.ok);
    assert.ok(whole.error.some((problem) => problem.file === 'rings.yaml' && problem.path.startsWith('spec')));
    // A broken Fleet fails the first look too.
    const brokenFleet = validator.validate([{ path: 'fleet.yaml', text: fleet.replace('port: 22', 'port: twenty-two') }], {
      now: NOW,
      onlyKinds: ['Fleet'],
    });
    assert.ok(!brokenFleet.ok);
  });
});
