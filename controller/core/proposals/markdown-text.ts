/**
 * Text from advisory feeds (summaries, ids, package names) is untrusted: it must reach a PR body
 * as inert text, never as markup. `inertText` makes any string render as itself on GitHub, GitLab
 * and Gitea: no HTML (`<`, `>`, `&` become entities), no Markdown (emphasis, links, images, code,
 * tables, headings: their characters are backslash-escaped), no @mentions or #references (a
 * zero-width space after `@` and `#`), no autolinks (`://` broken the same way), no control
 * characters or line breaks (a summary cannot start a new block), and a bounded length.
 */

const ZWSP = '&#8203;';

// Control characters (C0 except nothing, DEL, C1) and the bidi/zero-width formatting characters.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const MARKDOWN = /[\\`*_{}[\]()#+!|~^=-]/g;

export function inertText(text: string, maxLength = 300): string {
  let flat = text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(CONTROL, '')
    .trim();
  if (flat.length > maxLength) flat = `${flat.slice(0, maxLength - 1)}…`;
  return flat
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MARKDOWN, '\\$&')
    .replace(/@/g, `@${ZWSP}`)
    .replace(/:\/\//g, `:${ZWSP}//`)
    .replace(/\\#/g, `\\#${ZWSP}`);
}

/**
 * A package name or version as inline code: backticks and control characters are removed, `|`
 * escaped for tables, and the whole kept short. Inside a code span nothing else is markup.
 */
export function inertCode(text: string, maxLength = 120): string {
  let flat = text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(CONTROL, '')
    .replace(/`/g, "'")
    .trim();
  if (flat.length > maxLength) flat = `${flat.slice(0, maxLength - 1)}…`;
  return `\`${flat.replace(/\|/g, '\\|')}\``;
}

/** A link to a CVE record, only for ids that look like CVE ids; anything else as inert text. */
export function cveLink(id: string): string {
  return /^CVE-\d{4}-\d{4,}$/.test(id) ? `[${id}](https://www.cve.org/CVERecord?id=${id})` : inertText(id, 64);
}
