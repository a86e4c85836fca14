/**
 * A cheap key for a host's package list, so that hosts built from the same image are assessed
 * once. Hashing every character of 1,500 packages × 10,000 hosts costs seconds, so the hash mixes
 * only lengths and a few characters per package (the ends of versions, where builds differ) and a
 * hit is VERIFIED by exact comparison (`samePackageSet`). A collision costs one comparison, never a
 * wrong result.
 */
import type { InstalledPackage } from '../inventory/host-inventory.js';

function mixString(hash: number, value: string | undefined): number {
  if (value === undefined) return Math.imul(hash ^ 0x9e37, 0x01000193);
  const n = value.length;
  let h = Math.imul(hash ^ n, 0x01000193);
  if (n > 0) {
    h = Math.imul(h ^ value.charCodeAt(n - 1), 0x01000193);
    h = Math.imul(h ^ value.charCodeAt(n >> 1), 0x01000193);
    h = Math.imul(h ^ value.charCodeAt(0), 0x01000193);
  }
  if (n > 2) {
    h = Math.imul(h ^ value.charCodeAt(n - 2), 0x01000193);
    h = Math.imul(h ^ value.charCodeAt(n - 3), 0x01000193);
  }
  return h;
}

/** 32-bit sampled hash of the list (order-sensitive, as inventories list packages sorted). */
export function packageSetHash(packages: readonly InstalledPackage[]): number {
  let hash = Math.imul(0x811c9dc5 ^ packages.length, 0x01000193);
  for (const pkg of packages) {
    hash = mixString(hash, pkg.name);
    hash = mixString(hash, pkg.version);
    hash = Math.imul(hash ^ pkg.arch.length ^ (pkg.arch.charCodeAt(0) << 8), 0x01000193);
    hash = mixString(hash, pkg.source);
    hash = mixString(hash, pkg.sourceVersion);
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
    if (x.name !== y.name || x.version !== y.version || x.arch !== y.arch || x.source !== y.source || x.sourceVersion !== y.sourceVersion) return false;
  }
  return true;
}
