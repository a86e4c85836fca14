import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LabelSelector } from '../../../../controller/core/model/index.js';
import { matchesSelector } from '../../../../controller/core/model/index.js';

const labels = { ring: 'canary', os: 'debian-12', role: 'web' };

describe('matchesSelector', () => {
  const table: [string, LabelSelector | undefined, boolean][] = [
    ['no selector', undefined, true],
    ['empty selector', {}, true],
    ['matchLabels equal', { matchLabels: { ring: 'canary' } }, true],
    ['matchLabels differ', { matchLabels: { ring: 'broad' } }, false],
    ['matchLabels missing key', { matchLabels: { zone: 'a' } }, false],
    ['In', { matchExpressions: [{ key: 'os', operator: 'In', values: ['debian-12', 'ubuntu-24.04'] }] }, true],
    ['In without match', { matchExpressions: [{ key: 'os', operator: 'In', values: ['rocky-9'] }] }, false],
    ['NotIn', { matchExpressions: [{ key: 'os', operator: 'NotIn', values: ['rocky-9'] }] }, true],
    ['NotIn on an absent label', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    ['Exists', { matchExpressions: [{ key: 'role', operator: 'Exists' }] }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'role', operator: 'DoesNotExist' }] }, false],
    [
      'both parts must hold',
      { matchLabels: { ring: 'canary' }, matchExpressions: [{ key: 'role', operator: 'In', values: ['db'] }] },
      false,
    ],
    ['inherited keys are not labels', { matchExpressions: [{ key: 'toString', operator: 'Exists' }] }, false],
  ];
  for (const [name, selector, expected] of table) {
    it(name, () => assert.equal(matchesSelector(selector, labels), expected));
  }
});
