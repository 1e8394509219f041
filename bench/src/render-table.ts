/** One benchmark's line in the report. `ok` is null for informational rows and skipped ones. */
export interface BenchRow {
  benchmark: string;
  measured: string;
  target: string;
  ok: boolean | null;
}

/** A row for a benchmark that could not run; the reason goes where the measurement would. */
export function skippedRow(benchmark: string, target: string, why: string): BenchRow {
  return { benchmark, measured: `skipped: ${why}`, target, ok: null };
}

/** Escapes a cell so that `|` and newlines cannot break the markdown table. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Renders rows as a markdown table with columns benchmark | measured | target | ok. */
export function renderTable(rows: readonly BenchRow[]): string {
  const header = ['benchmark', 'measured', 'target', 'ok'];
  const body = rows.map((r) => [r.benchmark, r.measured, r.target, r.ok === null ? '—' : r.ok ? 'yes' : 'NO'].map(cell));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cols) => cols[i].length)));
  const line = (cols: string[]) => `| ${cols.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}
