import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { dpkgKernelReleases, parseAptSimulate, parseDpkgQuery } from '../../../../../controller/edges/packages/apt/dpkg-parse.js';

const FORMAT = '${Package}\\t${Version}\\t${Architecture}\\t${db:Status-Abbrev}\\t${source:Package}\\t${source:Version}\\n';

describe('parseDpkgQuery', () => {
  it('parses the real dpkg-query output of this machine, matching dpkg-query -W', () => {
    const text = execFileSync('dpkg-query', ['-W', `-f=${FORMAT}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const plain = execFileSync('dpkg-query', ['-W', '-f=${Package}\\t${Version}\\t${db:Status-Abbrev}\\n'], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    const expected = plain
      .split('\n')
      .filter((line) => /\t.i.?$/.test(line.trimEnd()) || /\t[a-z]i $/.test(line))
      .map((line) => line.split('\t').slice(0, 2).join(' '));
    const parsed = parseDpkgQuery(text);
    assert.equal(parsed.malformedLines, 0);
    assert.ok(parsed.packages.length > 50);
    assert.deepEqual(parsed.packages.map((p) => `${p.name} ${p.version}`).sort(), expected.sort());
    const bash = parsed.packages.find((p) => p.name === 'bash');
    assert.equal(bash?.source, 'bash');
  });

  it('reports broken states and skips removed packages', () => {
    const text = [
      'libfoo1\t1.0-1\tamd64\tii \tfoo\t1.0-1',
      'libfoo-dev\t1.0-1\tamd64\tiU \tfoo\t1.0-1',
      'bar\t2:3.4-5\tall\tiF \tbar\t2:3.4-5',
      'baz\t1\tamd64\tiH \tbaz-src\t1',
      'qux\t1\tamd64\tit \tqux\t1',
      'quux\t1\tamd64\tiW \tquux\t1',
      'gone\t0.9\tamd64\trc \tgone\t0.9',
      'never\t\t\tun \tnever\t',
      'reinst\t1\tamd64\tiiR\treinst\t1',
      'short\tline',
    ].join('\n');
    const parsed = parseDpkgQuery(text);
    assert.deepEqual(
      parsed.problems.map((p) => [p.kind, p.package]),
      [
        ['unpacked', 'libfoo-dev'],
        ['half-configured', 'bar'],
        ['half-installed', 'baz'],
        ['triggers-pending', 'qux'],
        ['triggers-pending', 'quux'],
        ['other', 'reinst'],
      ],
    );
    assert.deepEqual(
      parsed.packages.map((p) => p.name),
      ['libfoo1', 'libfoo-dev', 'bar', 'baz', 'qux', 'quux', 'reinst'],
    );
    assert.deepEqual(parsed.packages[2], { name: 'bar', version: '2:3.4-5', arch: 'all', source: 'bar', sourceVersion: '2:3.4-5' });
    assert.equal(parsed.malformedLines, 1);
  });

  it('finds installed kernel releases, not the meta packages', () => {
    const { packages } = parseDpkgQuery(
      'linux-image-amd64\t6.1.76-1\tamd64\tii \tlinux-signed-amd64\t6.1.76+1\nlinux-image-6.1.0-18-amd64\t6.1.76-1\tamd64\tii \tlinux-signed-amd64\t6.1.76+1\nlinux-image-6.1.0-9-amd64\t6.1.27-1\tamd64\tii \tlinux\t6.1.27-1',
    );
    assert.deepEqual(dpkgKernelReleases(packages), ['6.1.0-18-amd64', '6.1.0-9-amd64']);
  });
});

describe('parseAptSimulate', () => {
  it('parses Inst lines: upgrades, epochs, new packages, arch qualifiers', () => {
    const text = [
      'NOTE: This is only a simulation!',
      'Reading package lists...',
      'The following packages will be upgraded:',
      '  bash login',
      'Inst bash [5.2.15-2+b8] (5.2.15-2+b13 Debian:12.13/oldstable [amd64])',
      'Inst login [1:4.13+dfsg1-1+deb12u1] (1:4.13+dfsg1-1+deb12u2 Debian:12.13/oldstable, Debian-Security:12/oldstable-security [amd64]) []',
      'Inst linux-image-6.1.0-40-amd64 (6.1.153-1 Debian-Security:12/oldstable-security [amd64])',
      'Inst libc6:i386 [2.36-9] (2.36-9+deb12u7 Debian:12.6/stable [i386])',
      'Conf bash (5.2.15-2+b13 Debian:12.13/oldstable [amd64])',
    ].join('\n');
    assert.deepEqual(parseAptSimulate(text), [
      { name: 'bash', installedVersion: '5.2.15-2+b8', candidateVersion: '5.2.15-2+b13', arch: 'amd64' },
      { name: 'login', installedVersion: '1:4.13+dfsg1-1+deb12u1', candidateVersion: '1:4.13+dfsg1-1+deb12u2', arch: 'amd64' },
      { name: 'linux-image-6.1.0-40-amd64', candidateVersion: '6.1.153-1', arch: 'amd64' },
      { name: 'libc6', installedVersion: '2.36-9', candidateVersion: '2.36-9+deb12u7', arch: 'i386' },
    ]);
  });
});
