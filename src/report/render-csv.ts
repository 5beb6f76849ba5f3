// The comparison as CSV (RFC 4180): exact numbers, one row per model, fields quoted when needed.
import type { ComparisonRow } from './compare.js';
import { COLUMNS } from './columns.js';

function field(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function comparisonCsv(rows: readonly ComparisonRow[]): string {
  const lines = [COLUMNS.map((c) => field(c.title)), ...rows.map((r) => COLUMNS.map((c) => field(c.raw(r))))];
  return lines.map((cells) => `${cells.join(',')}\r\n`).join('');
}
