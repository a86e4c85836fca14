/**
 * Shares equal strings (package names, versions, architectures) between the hosts of one
 * inventory collection. A fleet built from a few images repeats the same few thousand strings on
 * every host; without sharing, each host's snapshot keeps its own copies and, through V8's sliced
 * strings, the whole text of its package listing.
 */
export class StringPool {
  readonly #strings = new Map<string, string>();

  intern(value: string): string {
    const known = this.#strings.get(value);
    if (known !== undefined) return known;
    // A flat copy, so that the pool never keeps a host's whole listing alive through a slice of it.
    const copy = Buffer.from(value, 'utf8').toString('utf8');
    this.#strings.set(copy, copy);
    return copy;
  }

  get size(): number {
    return this.#strings.size;
  }
}

/** Interning that keeps strings as they are: the default when no pool is given. */
export const keepStrings = (value: string): string => value;
