/** Lays rows out as left-aligned columns under an upper-case header, two spaces apart. */
export function formatTable(header: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [header.map((h) => h.toUpperCase()), ...rows.map((row) => row.map((c) => (c === null || c === undefined || c === '' ? '-' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  return (
    cells
      .map((row) =>
        row
          .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i])))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
