// A dataset in one safetensors file: tensor `x` [N, F] (further dims are flattened into F) and
// tensor `y` [N] or [N, T]; for a model with several inputs, one tensor per input, named as the
// input, in place of `x`. The layout is checked by the weights reader's parseLayout; the
// elements may be floats (F32, F64, F16, BF16) or integers (I8..I64, U8..U64). Other tensors
// in the file are ignored.
import { FLOAT_DTYPES, INTEGER_DTYPES, toFloat32, toIntegers } from '../weights/dtype.js';
import { WeightsError } from '../tensor/errors.js';
import { parseLayout, type TensorEntry } from '../weights/safetensors-layout.js';
import { DataError, quote } from './errors.js';
import type { Table } from './table.js';

export const FEATURES_TENSOR = 'x';
export const LABELS_TENSOR = 'y';

/** The tables of `features` (default: `x`, in that order) and of the labels `y`. */
export function readSafetensorsTables(path: string, bytes: Uint8Array, features: readonly string[] = [FEATURES_TENSOR]): { features: Table[]; labels: Table } {
  let entries: readonly TensorEntry[];
  try {
    entries = parseLayout(bytes).entries;
  } catch (e) {
    if (e instanceof WeightsError) throw new DataError(`${quote(path)} is not a valid safetensors file: ${e.message}`);
    throw e;
  }
  const find = (name: string): TensorEntry => {
    const entry = entries.find((e) => e.name === name);
    if (entry) return entry;
    const held = entries.length === 0 ? 'none' : entries.slice(0, 8).map((e) => quote(e.name)).join(', ') + (entries.length > 8 ? ', ...' : '');
    const holds = features.length === 1 ? `features in ${quote(features[0])}` : `each input's features in the tensor of its name (${features.map(quote).join(', ')})`;
    throw new DataError(`${quote(path)} has no tensor ${quote(name)}; a dataset file holds ${holds} and labels in ${quote(LABELS_TENSOR)} (tensors found: ${held})`);
  };
  return { features: features.map((name) => table(path, bytes, find(name))), labels: table(path, bytes, find(LABELS_TENSOR)) };
}

function table(path: string, bytes: Uint8Array, entry: TensorEntry): Table {
  const origin = `tensor ${quote(entry.name)} in ${quote(path)}`;
  if (entry.shape.length === 0) throw new DataError(`${origin} is a single number (shape []); expected one row per sample`);
  const raw = bytes.subarray(entry.begin, entry.end);
  let values: ArrayLike<number> | ArrayLike<bigint>;
  if (entry.dtype === 'F64') values = float64(raw);
  else if (FLOAT_DTYPES.has(entry.dtype)) values = toFloat32(entry.name, entry.dtype, raw);
  else if (INTEGER_DTYPES.has(entry.dtype)) values = toIntegers(entry.name, entry.dtype, raw);
  else throw new DataError(`${origin} has dtype ${entry.dtype}, which is not supported (floats F16, BF16, F32, F64 and integers I8..I64, U8..U64 are)`);
  const rows = entry.shape[0];
  const cols = entry.shape.slice(1).reduce((a, d) => a * d, 1);
  const at = entry.shape.length === 1
    ? (row: number) => `${origin}, row ${row}`
    : (row: number, col: number) => `${origin}, row ${row}, column ${col}`;
  return { rows, cols, values, origin, at };
}

/** F64 kept as float64, so a value beyond float32's range is reported as it is in the file. */
function float64(raw: Uint8Array): Float64Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float64Array(raw.byteLength / 8);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}
