// The same table as aligned plain text (stdout) and as Markdown (docs/performance.md).

export type Align = 'left' | 'right';

export interface Column {
  readonly title: string;
  readonly align: Align;
}

function widths(columns: readonly Column[], rows: readonly (readonly string[])[]): number[] {
  return columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
}

function pad(text: string, width: number, align: Align): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

export function textTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const w = widths(columns, rows);
  const line = (cells: readonly string[]): string =>
    columns
      .map((c, i) => pad(cells[i] ?? '', w[i] as number, c.align))
      .join('  ')
      .trimEnd();
  const rule = w.map((n) => '-'.repeat(n)).join('  ');
  return [
    line(columns.map((c) => c.title)),
    rule,
    ...rows.map((r) => (r.length === 1 ? (r[0] as string) : line(r))),
  ].join('\n');
}

/** Cells are escaped for `|`; a row of one cell is a group heading spanning the table (bold). */
export function markdownTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const body = rows.map((r) =>
    r.length === 1 ? [`**${r[0] as string}**`, ...columns.slice(1).map(() => '')] : r.map(esc),
  );
  const w = widths(columns, body);
  const line = (cells: readonly string[]): string =>
    `| ${columns.map((c, i) => pad(cells[i] ?? '', w[i] as number, c.align)).join(' | ')} |`;
  const rule = `| ${columns.map((c, i) => (c.align === 'right' ? `${'-'.repeat((w[i] as number) - 1)}:` : '-'.repeat(w[i] as number))).join(' | ')} |`;
  return [line(columns.map((c) => c.title)), rule, ...body.map(line)].join('\n');
}
