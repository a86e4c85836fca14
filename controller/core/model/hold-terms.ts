/**
 * The two terms holds and exclusions share (PatchBaseline and PatchPolicy `holds[]`,
 * PatchPolicy `exclusions[]`): a package name glob and an `until`. One reading for the loader,
 * `assess`, the planner and the proposals.
 */

/** A package glob (`*` any run, `?` one character, nothing else special) as an anchored RegExp. */
export function packageGlob(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/**
 * End (ms since the epoch) of an `until`: a date (`YYYY-MM-DD`) covers the whole UTC day, an
 * instant ends there; absent means for ever (+Infinity); NaN when the text is not a time (each
 * caller decides what an unreadable `until` means for it).
 */
export function untilEnd(until: string | undefined): number {
  if (until === undefined) return Number.POSITIVE_INFINITY;
  return /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(until) ? Date.parse(`${until}T23:59:59.999Z`) : Date.parse(until);
}
