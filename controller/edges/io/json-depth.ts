/**
 * A linear scan for JSON nesting deeper than `maxDepth` (brackets outside strings), run before
 * `JSON.parse`: a few megabytes of `[[[[…` cost seconds and hundreds of MiB to parse, and no
 * inventory, catalogue or OSV record nests anywhere near the default of 64 levels.
 */

export const MAX_JSON_DEPTH = 64;

/** The offset where the nesting first exceeds `maxDepth`, or undefined. */
export function excessJsonDepth(text: string, maxDepth: number = MAX_JSON_DEPTH): number | undefined {
  let depth = 0;
  let inString = false;
  for (let offset = 0; offset < text.length; offset++) {
    const char = text.charCodeAt(offset);
    if (inString) {
      if (char === 0x5c) offset++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) {
      depth++;
      if (depth > maxDepth) return offset;
    } else if (char === 0x5d || char === 0x7d) depth--;
  }
  return undefined;
}
