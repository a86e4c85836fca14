/**
 * A cheap key for a host's package list, so that hosts built from the same image are assessed
 * once. Hashing every character of 1,500 packages × 10,000 hosts costs seconds (measured: ~5 s
 * for 15M packages), so the hash mixes only lengths and the last characters of each version (where
 * builds differ) and a hit is VERIFIED by exact comparison (`samePackageSet`). A collision costs
 * one comparison, never a wrong result.
 */
import type { InstalledPackage } from '../inventory/host-inventory.js';

/**
 * 32-bit sampled hash of the list (order-sensitive, as inventories list packages sorted): per
 * package the lengths of name and version and the last two and the middle characters of the version. Lists that
 * differ only elsewhere collide and are told apart by `samePackageSet`.
 */
export function packageSetHash(packages: readonly InstalledPackage[]): number {
  let hash = Math.imul(0x811c9dc5 ^ packages.length, 0x01000193);
  for (let i = 0; i < packages.length; i += 1) {
    const pkg = packages[i] as InstalledPackage;
    const version = pkg.version;
    const n = version.length;
    hash = Math.imul(hash ^ (pkg.name.length << 8) ^ n, 0x01000193);
    hash = Math.imul(hash ^ (version.charCodeAt(n - 1) << 16) ^ (version.charCodeAt(n - 2) << 8) ^ version.charCodeAt(n >> 1), 0x01000193);
  }
  return hash >>> 0;
}

/** Exact comparison of two package lists (same order). */
export function samePackageSet(a: readonly InstalledPackage[], b: readonly InstalledPackage[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] as InstalledPackage;
    const y = b[i] as InstalledPackage;
    if (x === y) continue;
    if (x.name !== y.name || x.version !== y.version || x.arch !== y.arch || x.source !== y.source || x.sourceVersion !== y.sourceVersion)
      return false;
  }
  return true;
}
