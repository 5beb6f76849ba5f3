// Numbers as a reader found them, before they are checked against the model: a row-major
// [rows, cols] block in the file's own element type, and how to name a place in it.
import { DataError, quote } from './errors.js';
import { expectedInputs, type DataInput, type Expectation } from './dataset.js';

export interface Table {
  readonly rows: number;
  readonly cols: number;
  /** Row-major; 64-bit integer files arrive as bigints. */
  readonly values: ArrayLike<number> | ArrayLike<bigint>;
  /** The file (and tensor) it came from: "'x.npy'", "tensor 'x' in 'd.safetensors'". */
  readonly origin: string;
  /** A place in it, for a message: "'x.npy', row 12, column 3". */
  at(row: number, col: number): string;
}

/** A table read as one input of a model with several: its origin names the input too. */
export function asInput(table: Table, input: DataInput): Table {
  return { ...table, origin: `${table.origin} (input ${quote(input.name)})` };
}

/**
 * The features as float32, one table per input of the model in its order, packed: each row holds
 * the inputs' features side by side. Refuses a width other than the input's and any value
 * float32 cannot hold.
 */
export function toFeatures(tables: readonly Table[], expect: Expectation): Float32Array {
  const inputs = expectedInputs(expect);
  if (tables.length !== inputs.length) throw new Error(`toFeatures: ${tables.length} tables for ${inputs.length} inputs`);
  tables.forEach((table, k) => {
    if (table.cols === inputs[k].size) return;
    const reads = inputs.length === 1 ? `reads ${expect.features}` : `reads ${inputs[k].size} in input ${quote(inputs[k].name)}`;
    throw new DataError(`${table.origin} has ${table.cols} feature${table.cols === 1 ? '' : 's'} per sample; ${model(expect)} ${reads}`);
  });
  const parts = tables.map((table) => toFiniteFloat32(table, 'features'));
  if (parts.length === 1) return parts[0];
  const rows = tables[0].rows;
  const out = new Float32Array(rows * expect.features);
  for (let row = 0, at = 0; row < rows; row++) {
    parts.forEach((part, k) => {
      const size = inputs[k].size;
      out.set(part.subarray(row * size, (row + 1) * size), at);
      at += size;
    });
  }
  return out;
}

/** Regression targets as float32, [rows, targets]. */
export function toTargets(table: Table, expect: Expectation & { task: { kind: 'regression' } }): Float32Array {
  const targets = expect.task.targets;
  if (table.cols !== targets) {
    throw new DataError(`${table.origin} has ${table.cols} target${table.cols === 1 ? '' : 's'} per sample; ${model(expect)} predicts ${targets}`);
  }
  return toFiniteFloat32(table, 'regression targets');
}

/** Class indices, each an integer in [0, classes). */
export function toClassLabels(table: Table, expect: Expectation & { task: { kind: 'classification' } }): Int32Array {
  const classes = expect.task.classes;
  if (table.cols !== 1) {
    throw new DataError(`${table.origin} has ${table.cols} values per sample; class labels are one integer per sample`);
  }
  const out = new Int32Array(table.rows);
  const { values } = table;
  for (let row = 0; row < table.rows; row++) {
    const v = values[row];
    const ok = typeof v === 'bigint' ? v >= 0n && v < BigInt(classes) : Number.isInteger(v) && v >= 0 && v < classes;
    if (!ok) {
      const what = typeof v === 'number' && !Number.isInteger(v) ? 'not an integer' : `outside [0, ${classes})`;
      throw new DataError(`${table.at(row, 0)}: label ${String(v)} is ${what}; ${model(expect)} has ${classes} classes, so labels are integers 0 to ${classes - 1}`);
    }
    out[row] = Number(v);
  }
  return out;
}

/** Every input's features and the labels must describe the same samples, and at least one. */
export function checkSampleCounts(features: readonly Table[], labels: Table): void {
  const [first, ...others] = features;
  if (first.rows === 0) throw new DataError(`${first.origin} holds no samples`);
  const other = others.find((t) => t.rows !== first.rows);
  if (other) throw new DataError(`${first.origin} has ${first.rows} samples but ${other.origin} has ${other.rows}`);
  if (labels.rows !== first.rows) {
    throw new DataError(`${first.origin} has ${first.rows} samples but ${labels.origin} has ${labels.rows} labels`);
  }
}

function toFiniteFloat32(table: Table, what: string): Float32Array {
  const out = new Float32Array(table.rows * table.cols);
  const { values } = table;
  for (let i = 0; i < out.length; i++) {
    const v = values[i];
    const f = Math.fround(Number(v));
    if (!Number.isFinite(f)) {
      const shown = Number.isFinite(Number(v)) ? `${String(v)}, beyond float32's range` : String(v);
      throw new DataError(`${table.at(Math.floor(i / table.cols), i % table.cols)} is ${shown}; ${what} must be finite numbers`);
    }
    out[i] = f;
  }
  return out;
}

function model(expect: Expectation): string {
  return expect.model === undefined ? 'the model' : `model ${quote(expect.model)}`;
}
