import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cvssBaseScore,
  severityOfDebianUrgency,
  severityOfScore,
  severityOfUbuntuPriority,
  severityOfVendorImpact,
} from '../../../../controller/core/advisory/severity.js';

describe('cvssBaseScore', () => {
  // Expected values from the FIRST calculators (v3.1 and v4.0).
  const table: [string, string, number | undefined][] = [
    ['CVSS_V3', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS_V3', 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8],
    ['CVSS_V3', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
    ['CVSS_V3', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5],
    ['CVSS_V3', 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H', 8.1],
    ['CVSS_V3', 'CVSS:3.1/AV:L/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:H', 7.3],
    ['CVSS_V3', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS_V3', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0],
    ['CVSS_V3', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS_V4', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3],
    ['CVSS_V4', 'CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.5],
    ['CVSS_V4', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N', 8.7],
    ['CVSS_V3', 'CVSS:3.1/AV:N/AC:L/PR:N', undefined],
    ['CVSS_V3', 'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', undefined],
    ['CVSS_V4', 'CVSS:4.0/AV:N', undefined],
    ['CVSS_V3', 'not a vector', undefined],
  ];
  for (const [type, vector, expected] of table) {
    it(`${vector} → ${expected ?? 'rejected'}`, () => assert.equal(cvssBaseScore(type, vector), expected));
  }
});

describe('severity scale', () => {
  it('maps scores on the FIRST qualitative bands', () => {
    assert.deepEqual([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(severityOfScore), [
      'none',
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
  });
  it('maps distribution words', () => {
    assert.deepEqual(['negligible', 'low', 'medium', 'high', 'critical', 'untriaged'].map(severityOfUbuntuPriority), [
      'none',
      'low',
      'medium',
      'high',
      'critical',
      undefined,
    ]);
    assert.deepEqual(['unimportant', 'low**', 'medium', 'high', 'not yet assigned', 'end-of-life'].map(severityOfDebianUrgency), [
      'none',
      'low',
      'medium',
      'high',
      undefined,
      undefined,
    ]);
    assert.deepEqual(
      ['Critical: kernel', 'Important: openssl security update', 'Moderate: x', 'Low: y', 'qatzip bug fix'].map(severityOfVendorImpact),
      ['critical', 'high', 'medium', 'low', undefined],
    );
  });
});
