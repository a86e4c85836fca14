/**
 * Strings that must never pass a version or package-name grammar: they could change the meaning of
 * a command line (shell metacharacters, whitespace, option-looking words) or of a file (newlines).
 * Each is tested alone and appended to a valid value.
 */
export const HOSTILE_STRINGS: readonly string[] = [
  ' ',
  '\t',
  '\n',
  '\r',
  '\0',
  ';',
  '&',
  '|',
  '$',
  '`',
  '"',
  "'",
  '\\',
  '(',
  ')',
  '<',
  '>',
  '*',
  '?',
  '[',
  ']',
  '{',
  '}',
  '!',
  '#',
  '=',
  ',',
  '/',
  '%',
  '@',
  ' --force',
  '; rm -rf /',
  '$(id)',
  '`id`',
  '\n1.0',
  '\u00e9',
  '\u00a0',
  '\u2028',
];

/** Option-looking strings: a leading `-` must be refused even when the rest is well formed. */
export const LEADING_DASH: readonly string[] = ['-1.0', '--1.0', '-libc6', '--version', '-'];
