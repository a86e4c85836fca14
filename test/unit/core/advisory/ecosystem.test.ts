import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEcosystem } from '../../../../controller/core/advisory/ecosystem.js';

describe('parseEcosystem', () => {
  const table: [string, string | undefined, string | undefined][] = [
    ['Debian:12', 'debian-12', 'standard'],
    ['Debian:14', 'debian-14', 'standard'],
    ['Ubuntu:22.04:LTS', 'ubuntu-22.04', 'standard'],
    ['Ubuntu:25.04', 'ubuntu-25.04', 'standard'],
    ['Ubuntu:Pro:22.04:LTS', 'ubuntu-22.04', 'pro'],
    ['Ubuntu:22.04:LTS:Pro', 'ubuntu-22.04', 'pro'],
    ['Ubuntu:Pro:FIPS:20.04:LTS', 'ubuntu-20.04', 'fips'],
    ['Ubuntu:Pro:FIPS-updates:22.04:LTS', 'ubuntu-22.04', 'fips-updates'],
    ['Ubuntu:Pro:FIPS-preview:22.04:LTS', 'ubuntu-22.04', 'fips-preview'],
    ['AlmaLinux:9', 'almalinux-9', 'standard'],
    ['AlmaLinux:9.4', 'almalinux-9', 'standard'],
    ['Rocky Linux:9', 'rocky-9', 'standard'],
    ['Debian', undefined, undefined],
    ['Debian:bookworm', undefined, undefined],
    ['Ubuntu:Pro', undefined, undefined],
    ['npm', undefined, undefined],
    ['Alpine:v3.19', undefined, undefined],
  ];
  for (const [ecosystem, release, stream] of table) {
    it(`${ecosystem} → ${release ?? 'not served'}`, () => {
      const target = parseEcosystem(ecosystem);
      assert.equal(target?.release, release);
      assert.equal(target?.stream, stream);
    });
  }

  it('names source packages for dpkg releases and binary rpm names for the RHEL family', () => {
    assert.deepEqual([parseEcosystem('Debian:12')?.naming, parseEcosystem('Ubuntu:24.04:LTS')?.scheme], ['source', 'dpkg']);
    assert.deepEqual([parseEcosystem('Rocky Linux:8')?.naming, parseEcosystem('AlmaLinux:10')?.scheme], ['binary', 'rpm']);
  });
});
