/** Plain-text tables with right-aligned columns, and CSV lines, for the commands' output. */

/** The header and rows as lines, each column right-aligned to its widest cell, two spaces apart. */
export function alignedTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, c) => Math.max([...h].length, ...rows.map((r) => [...(r[c] ?? "")].length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => " ".repeat(widths[c]! - [...cell].length) + cell).join("  ");
  return [line(header), ...rows.map(line)];
}

/** One CSV line (RFC 4180 quoting where a cell needs it). */
export function csvLine(cells: readonly string[]): string {
  return cells.map((cell) => (/[",\n\r]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)).join(",");
}
