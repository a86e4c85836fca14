import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpretAptSections } from '../../../../controller/edges/packages/apt/apt-facts.js';
import { interpretDnfSections } from '../../../../controller/edges/packages/dnf/dnf-facts.js';
import { interpretNeedsRestarting } from '../../../../controller/edges/packages/dnf/needs-restarting.js';
import type { Section } from '../../../../controller/edges/packages/facts-script.js';
import {
  ALMA9_KERNEL_ROWS,
  DEBIAN_KERNEL_ROWS,
  NEEDS_RESTARTING_NOT_NEEDED,
  NEEDS_RESTARTING_REQUIRED,
} from '../../../fixtures/reboot/recorded-outputs.js';

const BOOT_ID = '0f8e5c7a-3b7d-4a64-9c55-2f6f2d0c3a11';
const sections = (entries: Record<string, Section>): ReadonlyMap<string, Section> =>
  new Map(Object.entries({ bootid: { body: BOOT_ID, rc: '0' }, locks: { body: '', rc: '0' }, ...entries }));

describe('needs-restarting -r on recorded outputs', () => {
  it('exit 1 with the verdict asks for a reboot and names the packages', () => {
    assert.deepEqual(interpretNeedsRestarting({ body: NEEDS_RESTARTING_REQUIRED, rc: '1' }), {
      reason: 'needs-restarting -r (dbus, dbus-broker, dbus-daemon, glibc, kernel, linux-firmware, systemd)',
    });
  });

  it('exit 0 with "Reboot should not be necessary." does not', () => {
    assert.deepEqual(interpretNeedsRestarting({ body: NEEDS_RESTARTING_NOT_NEEDED, rc: '0' }), {});
  });

  it('exit 1 without a verdict (dnf failed) is a warning, not a reboot', () => {
    const verdict = interpretNeedsRestarting({ body: '', rc: '1' });
    assert.equal(verdict.reason, undefined);
    assert.match(verdict.warning ?? '', /no verdict \(exit 1\)/);
  });

  it('a missing tool says nothing', () => {
    assert.deepEqual(interpretNeedsRestarting({ body: '', rc: 'absent' }), {});
  });
});

describe('newer installed kernel than the running one, on recorded package lists', () => {
  it('dpkg: running 6.1.0-47-amd64 with 6.1.0-50-amd64 installed asks for a reboot', () => {
    const facts = interpretAptSections(
      sections({ packages: { body: DEBIAN_KERNEL_ROWS, rc: '0' }, reboot: { body: '', rc: '0' } }),
      '',
      '6.1.0-47-amd64',
      false,
    );
    assert.deepEqual(facts.kernel, { running: '6.1.0-47-amd64', newestInstalled: '6.1.0-50-amd64' });
    assert.deepEqual(facts.reboot, { required: true, reasons: ['newer kernel installed (6.1.0-50-amd64, running 6.1.0-47-amd64)'] });
    assert.equal(facts.bootId, BOOT_ID);
  });

  it('dpkg: running the newest installed kernel does not', () => {
    const facts = interpretAptSections(
      sections({ packages: { body: DEBIAN_KERNEL_ROWS, rc: '0' }, reboot: { body: '', rc: '0' } }),
      '',
      '6.1.0-50-amd64',
      false,
    );
    assert.deepEqual(facts.reboot, { required: false, reasons: [] });
  });

  it('rpm: running 5.14.0-162.6.1.el9_1 with 162.12.1 installed asks for a reboot, together with needs-restarting', () => {
    const facts = interpretDnfSections(
      sections({ packages: { body: ALMA9_KERNEL_ROWS, rc: '0' }, reboot: { body: NEEDS_RESTARTING_REQUIRED, rc: '1' } }),
      '',
      '5.14.0-162.6.1.el9_1.x86_64',
      false,
    );
    assert.equal(facts.kernel.newestInstalled, '5.14.0-162.12.1.el9_1.x86_64');
    assert.equal(facts.reboot.required, true);
    assert.deepEqual(facts.reboot.reasons, [
      'needs-restarting -r (dbus, dbus-broker, dbus-daemon, glibc, kernel, linux-firmware, systemd)',
      'newer kernel installed (5.14.0-162.12.1.el9_1.x86_64, running 5.14.0-162.6.1.el9_1.x86_64)',
    ]);
  });

  it('rpm: the newest kernel running and needs-restarting content: no reboot', () => {
    const facts = interpretDnfSections(
      sections({ packages: { body: ALMA9_KERNEL_ROWS, rc: '0' }, reboot: { body: NEEDS_RESTARTING_NOT_NEEDED, rc: '0' } }),
      '',
      '5.14.0-162.12.1.el9_1.x86_64',
      false,
    );
    assert.deepEqual(facts.reboot, { required: false, reasons: [] });
    assert.deepEqual(facts.warnings, []);
  });
});
