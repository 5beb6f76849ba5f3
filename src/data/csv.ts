// CSV datasets, parsed by csv-parse: comma-separated, one sample a line, an optional header.
// The first row is a header when any of its cells is not a number. The labels are the last
// column (the last T columns for T regression targets) unless `labelColumn` names one, by
// header name or by 0-based index; every other column is a feature. Cells are converted as they
// are parsed, so a large file never exists as millions of strings. Places in messages are
// 1-based lines and columns, as an editor shows them.
import { parse } from 'csv-parse/sync';
import { DataError, quote } from './errors.js';
import type { Table } from './table.js';

export interface CsvOptions {
  readonly labelColumn?: string;
  /** Label columns per sample: 1 for class labels, T for T regression targets. */
  readonly labelWidth: number;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^([+-]?)(nan|inf|infinity)$/i;

/** The number a cell holds, or undefined. NaN and infinities are numbers here, refused later with their place. */
export function parseCell(cell: string): number | undefined {
  if (DECIMAL.test(cell)) return Number(cell);
  const special = SPECIAL.exec(cell);
  if (!special) return undefined;
  if (special[2].toLowerCase() === 'nan') return NaN;
  return special[1] === '-' ? -Infinity : Infinity;
}

export function readCsvTables(path: string, bytes: Uint8Array, options: CsvOptions): { features: Table; labels: Table } {
  const file = quote(path);
  let layout: Layout | undefined;
  let header: readonly string[] | undefined;
  const features = new Growable();
  const labels = new Growable();
  const lines: number[] = [];

  const onRecord = (record: string[], line: number): null => {
    if (layout === undefined) {
      if (record.some((cell) => parseCell(cell) === undefined)) {
        header = record;
        layout = resolveLayout(file, record.length, header, options);
        return null;
      }
      layout = resolveLayout(file, record.length, undefined, options);
    }
    const column = (i: number) => `column ${i + 1}${header ? ` (${quote(header[i])})` : ''}`;
    for (let i = 0; i < record.length; i++) {
      const value = parseCell(record[i]);
      if (value === undefined) {
        const shown = record[i] === '' ? 'is empty' : `holds ${quote(record[i])}, not a number`;
        throw new DataError(`${file}, line ${line}, ${column(i)} ${shown}`);
      }
      (layout.isLabel[i] ? labels : features).push(value);
    }
    lines.push(line);
    return null;
  };

  try {
    parse(bytes, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      on_record: (record: string[], context) => onRecord(record, context.lines),
    });
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`${file} is not a valid CSV file: ${csvProblem(e, layout)}`);
  }

  const rows = lines.length;
  const found = layout ?? { featureColumns: [], labelColumns: [], isLabel: [] };
  const place = (columns: readonly number[]) => (row: number, col: number) =>
    `${file}, line ${lines[row]}, column ${columns[col] + 1}${header ? ` (${quote(header[columns[col]])})` : ''}`;
  return {
    features: { rows, cols: found.featureColumns.length, values: features.values(), origin: file, at: place(found.featureColumns) },
    labels: { rows, cols: found.labelColumns.length, values: labels.values(), origin: `the label column${found.labelColumns.length === 1 ? '' : 's'} of ${file}`, at: place(found.labelColumns) },
  };
}

interface Layout {
  readonly featureColumns: readonly number[];
  readonly labelColumns: readonly number[];
  readonly isLabel: readonly boolean[];
}

function resolveLayout(file: string, columns: number, header: readonly string[] | undefined, options: CsvOptions): Layout {
  const width = options.labelWidth;
  let labelColumns: number[];
  if (options.labelColumn === undefined) {
    if (columns <= width) {
      throw new DataError(`${file} has ${columns} column${columns === 1 ? '' : 's'}; it needs at least ${width + 1}: features, then ${width === 1 ? 'the label' : `${width} targets`} last`);
    }
    labelColumns = Array.from({ length: width }, (_, i) => columns - width + i);
  } else {
    if (width !== 1) {
      throw new DataError(`${file}: a label column names one column, but the model predicts ${width} targets; without a label column name, the last ${width} columns are the targets`);
    }
    labelColumns = [findColumn(file, columns, header, options.labelColumn)];
  }
  const isLabel = Array.from({ length: columns }, (_, i) => labelColumns.includes(i));
  const featureColumns = isLabel.flatMap((label, i) => (label ? [] : [i]));
  return { featureColumns, labelColumns, isLabel };
}

/** A column by header name, else by 0-based index. */
function findColumn(file: string, columns: number, header: readonly string[] | undefined, name: string): number {
  if (header) {
    const matches = header.flatMap((h, i) => (h === name ? [i] : []));
    if (matches.length > 1) throw new DataError(`${file} has ${matches.length} columns named ${quote(name)} (columns ${matches.map((i) => i + 1).join(', ')}); name the label column by 0-based index instead`);
    if (matches.length === 1) return matches[0];
  }
  if (/^\d+$/.test(name)) {
    const index = Number(name);
    if (index < columns) return index;
    throw new DataError(`${file} has ${columns} columns, so label column index ${name} (0-based) is not one of them`);
  }
  const names = header ? `its header names ${header.slice(0, 12).map(quote).join(', ')}${header.length > 12 ? ', ...' : ''}` : 'it has no header row, so name the label column by 0-based index';
  throw new DataError(`${file} has no column named ${quote(name)}: ${names}`);
}

function csvProblem(e: unknown, layout: Layout | undefined): string {
  const error = e as { code?: string; message?: string; lines?: number; record?: unknown[] };
  if (error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && Array.isArray(error.record) && layout) {
    return `line ${error.lines} has ${error.record.length} columns, but the first row has ${layout.isLabel.length}`;
  }
  return error.message ?? String(e);
}

/** A float64 array that grows as values arrive. */
class Growable {
  private data = new Float64Array(1024);
  private length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  values(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}
