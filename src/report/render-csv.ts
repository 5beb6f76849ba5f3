// The comparison as CSV (RFC 4180): exact numbers, one row per model, fields quoted when needed.
import type { ComparisonRow } from './compare.js';
import { columnsFor } from './columns.js';

function field(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function comparisonCsv(rows: readonly ComparisonRow[]): string {
  const columns = columnsFor(rows);
  const lines = [columns.map((c) => field(c.title)), ...rows.map((r) => columns.map((c) => field(c.raw(r))))];
  return lines.map((cells) => `${cells.join(',')}\r\n`).join('');
}
