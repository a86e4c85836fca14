/** Inline HostInventory builders for the assess tests and bench/assess. */
import type { HostInventory, InstalledPackage } from '../../controller/core/inventory/host-inventory.js';

export function host(
  name: string,
  release: string,
  packages: readonly InstalledPackage[],
  extra: Partial<HostInventory> = {},
): HostInventory {
  const [id = 'debian', versionId = '12'] = release.split('-');
  const family = id === 'debian' || id === 'ubuntu' ? 'debian' : 'rhel';
  return {
    apiVersion: 'patchward.io/v1alpha1',
    kind: 'HostInventory',
    host: name,
    collectedAt: '2026-11-21T12:00:00Z',
    status: 'ok',
    os: { id, versionId, family, release },
    packages,
    reboot: { required: false, reasons: [] },
    ...extra,
  };
}

export function pkg(name: string, version: string, source?: string, sourceVersion?: string, arch = 'amd64'): InstalledPackage {
  return { name, version, arch, ...(source === undefined ? {} : { source }), ...(sourceVersion === undefined ? {} : { sourceVersion }) };
}
