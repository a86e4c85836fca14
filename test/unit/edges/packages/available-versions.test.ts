import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAptAvailable } from '../../../../controller/edges/packages/apt/apt-available.js';
import { parseRepoqueryAvailable } from '../../../../controller/edges/packages/dnf/rpm-parse.js';

const installed = (name: string, version: string) => ({ name, version, arch: 'amd64' });

describe('parseAptAvailable (records of the Packages lists, as the facts script cuts them)', () => {
  const records = [
    'Package: pw-libdemo\nSource: pw-demo-src\nVersion: 1.0-2\nArchitecture: all',
    'Package: pw-libdemo\nSource: pw-demo-src\nVersion: 1.0-1\nArchitecture: all',
    // binNMU: the binary version differs from its source's; Source carries "(version)".
    'Package: libfoo1\nSource: foo (2.1-3)\nVersion: 2.1-3+b1\nArchitecture: amd64',
    'Package: libfoo1\nSource: foo\nVersion: 2.1-2\nArchitecture: amd64',
    // The same version in a second suite (bookworm and bookworm-security), and a foreign architecture.
    'Package: libfoo1\nSource: foo\nVersion: 2.1-2\nArchitecture: amd64',
    'Package: libfoo1\nSource: foo\nVersion: 2.1-4\nArchitecture: i386',
    'Package: bash\nVersion: 5.2.15-2+b2\nArchitecture: amd64',
    '',
  ].join('\n\n');

  it('keeps offered versions with source and source version, once each, for the installed architecture', () => {
    const available = parseAptAvailable(records, [
      installed('pw-libdemo', '1.0-1'),
      installed('libfoo1', '2.1-2'),
      installed('bash', '5.2.15-2+local1'),
    ]);
    assert.deepEqual(
      available.map((entry) => [entry.name, entry.version, entry.source, entry.sourceVersion]),
      [
        ['pw-libdemo', '1.0-2', 'pw-demo-src', '1.0-2'],
        ['pw-libdemo', '1.0-1', 'pw-demo-src', '1.0-1'],
        ['libfoo1', '2.1-3+b1', 'foo', '2.1-3'],
        ['libfoo1', '2.1-2', 'foo', '2.1-2'],
        // bash: the installed local build is not in any list, the archive's version is another one.
        ['bash', '5.2.15-2+b2', 'bash', '5.2.15-2+b2'],
      ],
    );
  });

  it('leaves out a package whose only offered version is the installed one, and names not installed', () => {
    assert.deepEqual(parseAptAvailable(records, [installed('bash', '5.2.15-2+b2')]), []);
  });
});

describe('parseRepoqueryAvailable (dnf repoquery --available --qf …)', () => {
  const text = [
    'pw-libdemo\t0\t1.0\t1\tnoarch\tpw-demo-src-1.0-1.src.rpm\tpatchward-sandbox',
    'pw-libdemo\t0\t1.0\t2\tnoarch\tpw-demo-src-1.0-2.src.rpm\tpatchward-sandbox',
    'openssl\t1\t3.0.7\t27.el9\tx86_64\topenssl-3.0.7-27.el9.src.rpm\tbaseos',
    'openssl\t1\t3.0.7\t25.el9\tx86_64\topenssl-3.0.7-25.el9.src.rpm\tbaseos',
    'pw-kernel\t0\t1.1\t1\tnoarch\tpw-kernel-1.1-1.src.rpm\t@System',
    'not-installed\t0\t1\t1\tnoarch\tx-1-1.src.rpm\tbaseos',
  ].join('\n');

  it('gives EVRs with epochs, sources with the epoch, and drops @System rows and unknown names', () => {
    const available = parseRepoqueryAvailable(text, [
      installed('pw-libdemo', '1.0-1'),
      installed('openssl', '1:3.0.7-25.el9'),
      installed('pw-kernel', '1.0-1'),
    ]);
    assert.deepEqual(
      available.map((entry) => [entry.name, entry.version, entry.source, entry.sourceVersion]),
      [
        ['pw-libdemo', '1.0-1', 'pw-demo-src', '1.0-1'],
        ['pw-libdemo', '1.0-2', 'pw-demo-src', '1.0-2'],
        ['openssl', '1:3.0.7-27.el9', 'openssl', '1:3.0.7-27.el9'],
        ['openssl', '1:3.0.7-25.el9', 'openssl', '1:3.0.7-25.el9'],
      ],
    );
  });
});
