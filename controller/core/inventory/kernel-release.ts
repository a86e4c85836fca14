/**
 * Loose ordering of kernel release strings (`6.1.0-18-amd64`, `5.14.0-427.13.1.el9_4.x86_64`):
 * digit runs compare as numbers, other runs as text, the longer string wins a tie. Good enough to
 * pick the newest installed kernel; package versions use the proper `VersionScheme`. Pure.
 */
export function compareKernelReleases(a: string, b: string): -1 | 0 | 1 {
  const left = a.match(/\d+|[^\d]+/g) ?? [];
  const right = b.match(/\d+|[^\d]+/g) ?? [];
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const x = left[index] ?? '';
    const y = right[index] ?? '';
    if (x === y) continue;
    const xNum = /^\d/.test(x);
    const yNum = /^\d/.test(y);
    if (xNum && yNum) {
      const diff = BigInt(x) - BigInt(y);
      if (diff !== 0n) return diff < 0n ? -1 : 1;
      continue;
    }
    if (xNum !== yNum) return xNum ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return left.length === right.length ? 0 : left.length < right.length ? -1 : 1;
}

/** The newest release of a list, or undefined for an empty list. */
export function newestKernelRelease(releases: readonly string[]): string | undefined {
  let newest: string | undefined;
  for (const release of releases) if (newest === undefined || compareKernelReleases(release, newest) > 0) newest = release;
  return newest;
}
