import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  parseDnfCheckUpdate,
  parseRpmQa,
  parseSourceRpm,
  rpmKernelReleases,
} from '../../../../../controller/edges/packages/dnf/rpm-parse.js';

describe('parseRpmQa', () => {
  it('builds EVRs, omits (none) epochs, derives source name and version, skips gpg-pubkey', () => {
    const text = [
      'bash\t(none)\t5.1.8\t9.el9\tx86_64\tbash-5.1.8-9.el9.src.rpm',
      'shadow-utils\t2\t4.9\t8.el9\tx86_64\tshadow-utils-4.9-8.el9.src.rpm',
      'python3-libs\t(none)\t3.9.18\t3.el9_4.1\tx86_64\tpython3.9-3.9.18-3.el9_4.1.src.rpm',
      'gpg-pubkey\t(none)\t350d275d\t6279464b\t(none)\t(none)',
      'kernel-core\t(none)\t5.14.0\t427.13.1.el9_4\tx86_64\tkernel-5.14.0-427.13.1.el9_4.src.rpm',
      'kernel-core\t(none)\t5.14.0\t362.8.1.el9_3\tx86_64\tkernel-5.14.0-362.8.1.el9_3.src.rpm',
      'broken line',
    ].join('\n');
    const parsed = parseRpmQa(text);
    assert.equal(parsed.malformedLines, 1);
    assert.deepEqual(parsed.packages.slice(0, 3), [
      { name: 'bash', version: '5.1.8-9.el9', arch: 'x86_64', source: 'bash', sourceVersion: '5.1.8-9.el9' },
      { name: 'shadow-utils', version: '2:4.9-8.el9', arch: 'x86_64', source: 'shadow-utils', sourceVersion: '2:4.9-8.el9' },
      { name: 'python3-libs', version: '3.9.18-3.el9_4.1', arch: 'x86_64', source: 'python3.9', sourceVersion: '3.9.18-3.el9_4.1' },
    ]);
    assert.deepEqual(rpmKernelReleases(parsed.packages), ['5.14.0-427.13.1.el9_4.x86_64', '5.14.0-362.8.1.el9_3.x86_64']);
  });

  it('parses source rpm names', () => {
    assert.deepEqual(parseSourceRpm('glibc-2.34-100.el9.src.rpm'), { name: 'glibc', versionRelease: '2.34-100.el9' });
    assert.equal(parseSourceRpm('(none)'), undefined);
  });
});

describe('parseDnfCheckUpdate', () => {
  it('parses updates, wrapped long names, and stops at obsoletes', () => {
    const text = [
      '',
      'bash.x86_64                         5.1.8-9.el9_4                  baseos',
      'openssl-libs.x86_64                 1:3.0.7-27.el9_4               baseos',
      'a-really-long-package-name-that-wraps.noarch',
      '                                    2.0-1.el9                      appstream',
      'Obsoleting Packages',
      'grub2-tools.x86_64                  1:2.06-80.el9                  baseos',
    ].join('\n');
    assert.deepEqual(parseDnfCheckUpdate(text), [
      { name: 'bash', arch: 'x86_64', candidateVersion: '5.1.8-9.el9_4' },
      { name: 'openssl-libs', arch: 'x86_64', candidateVersion: '1:3.0.7-27.el9_4' },
      { name: 'a-really-long-package-name-that-wraps', arch: 'noarch', candidateVersion: '2.0-1.el9' },
    ]);
  });
});
