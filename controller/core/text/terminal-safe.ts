/**
 * The one function that makes untrusted text safe for a terminal (issue 9 "Terminal and CSV
 * injection"). Text from hosts (os-release, error output), inventories and advisories must not
 * move the cursor, clear the screen, retitle the window, forge rows or reorder what is shown.
 *
 * Escaped as `\xNN` / `\u{NNNN}`: C0 controls (ESC, BEL, BS, CR, LF, TAB … in a cell), DEL, C1
 * controls (U+0080–U+009F, which include the 8-bit CSI), the Unicode line and paragraph separators
 * and the bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069: "Trojan Source").
 * A backslash is left as it is: the escapes are for reading, not for parsing back.
 */

const UNSAFE_IN_CELL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const UNSAFE_IN_LINES = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

function escapeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** One cell or field: every control character escaped, newlines included (no forged rows). */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_IN_CELL, escapeChar);
}

/** Whole human output (tables, messages): like `terminalSafe`, but line feeds are kept. */
export function terminalSafeLines(text: string): string {
  return text.replace(UNSAFE_IN_LINES, escapeChar);
}

/** Leading characters a spreadsheet reads as a formula (OWASP "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field (RFC 4180) that a spreadsheet will not evaluate: a field starting with `=`, `+`,
 * `-`, `@`, TAB or CR gets a leading `'` (OWASP), other control characters are escaped as in a
 * terminal, and the field is quoted when it holds `"`, `,`, CR or LF.
 */
export function csvSafeField(value: string): string {
  const neutral = FORMULA_START.test(value) ? `'${value}` : value;
  const printable = neutral.replace(
    /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu,
    escapeChar,
  );
  return /[",\r\n\t]/.test(printable) || neutral !== value ? `"${printable.replace(/"/g, '""')}"` : printable;
}
