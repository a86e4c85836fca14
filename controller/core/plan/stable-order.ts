/** A stable hashed order of hosts (FNV-1a, 32 bit, with MurmurHash3's finaliser): the same for every run of one rollout, spread across rollouts. */

export function orderKey(seed: string, host: string): number {
  let hash = 0x811c9dc5;
  const text = `${seed}\u0000${host}`;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // MurmurHash3's finaliser: names that differ in their last character must not stay in name order.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Sorts host names by their order key, then by name. */
export function stableOrder(seed: string, hosts: readonly string[]): string[] {
  const keyed = hosts.map((host) => ({ host, key: orderKey(seed, host) }));
  keyed.sort((a, b) => a.key - b.key || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  return keyed.map((entry) => entry.host);
}
