// The comparison as a GitHub-flavoured markdown table, ready to paste into a README.
import type { ComparisonRow } from './compare.js';
import { columnsFor } from './columns.js';

/** A pipe or backslash in a cell would end or break it. */
function cell(text: string): string {
  return text.replace(/[\\|]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

export function comparisonMarkdown(rows: readonly ComparisonRow[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  const columns = columnsFor(rows);
  return [
    line(columns.map((c) => cell(c.title))),
    line(columns.map((c) => (c.align === 'right' ? '---:' : ':---'))),
    ...rows.map((r) => line(columns.map((c) => cell(c.text(r))))),
  ].join('\n') + '\n';
}
