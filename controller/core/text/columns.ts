/**
 * Aligned columns for human tables: each column as wide as its widest cell (in code points), two
 * spaces apart, the last column not padded and trailing spaces trimmed. Cells must already be
 * terminal-safe (`terminalSafe`): this only lays them out.
 */
export function formatColumns(rows: readonly (readonly string[])[], indent = ''): string[] {
  const widths: number[] = [];
  for (const cells of rows) {
    for (const [index, cell] of cells.entries()) widths[index] = Math.max(widths[index] ?? 0, [...cell].length);
  }
  return rows.map((cells) =>
    `${indent}${cells
      .map((cell, index) => (index === cells.length - 1 ? cell : cell + ' '.repeat(Math.max(0, (widths[index] ?? 0) - [...cell].length))))
      .join('  ')}`.trimEnd(),
  );
}
