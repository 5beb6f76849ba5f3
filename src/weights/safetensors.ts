// Reading and writing safetensors weights files: float32, little-endian, PyTorch layout.
//
// Reading validates the whole file first (see safetensors-layout.ts) and refuses anything that
// is not F32 or not finite (NaN, ±Infinity), naming the tensor. Writing is deterministic: the
// tensors in ordinal (code-unit) order of their names, their data contiguous in that order,
// the header padded with spaces so that the data section starts at an 8-byte boundary, as the
// reference writer does; the same weights always give the same bytes.
import { WeightsError, formatShape, label } from '../tensor/errors.js';
import { checkFinite } from './finite.js';
import { METADATA_KEY, parseLayout, HEADER_LENGTH_BYTES } from './safetensors-layout.js';
import type { Tensor, Weights } from '../tensor/tensor.js';

export { WeightsError };

export interface ReadOptions {
  /** Accept NaN and infinite values instead of refusing the file. */
  readonly allowNonFinite?: boolean;
}

export type WriteOptions = ReadOptions;

export function readSafetensors(bytes: Uint8Array, options: ReadOptions = {}): Weights {
  return readSafetensorsWithMetadata(bytes, options).weights;
}

/** The weights and the `__metadata__` strings of a file. */
export function readSafetensorsWithMetadata(bytes: Uint8Array, options: ReadOptions = {}): { weights: Weights; metadata: Readonly<Record<string, string>> } {
  const layout = parseLayout(bytes);
  const weights = new Map<string, Tensor>();
  for (const entry of layout.entries) {
    if (entry.dtype !== 'F32') {
      throw new WeightsError(`tensor ${label(entry.name)} has dtype ${entry.dtype}; a spinal weights file holds F32 (float32) tensors only (spinal import converts F64, F16 and BF16 checkpoints)`);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset + entry.begin, entry.end - entry.begin);
    const data = new Float32Array(view.byteLength / 4);
    for (let i = 0; i < data.length; i++) data[i] = view.getFloat32(4 * i, true);
    if (!options.allowNonFinite) checkFinite(entry.name, data);
    weights.set(entry.name, { shape: entry.shape, data });
  }
  return { weights, metadata: layout.metadata };
}

/** Float64 data is rounded to float32. */
export function writeSafetensors(weights: Weights, metadata: Readonly<Record<string, string>> = {}, options: WriteOptions = {}): Uint8Array {
  const entries: RawTensor[] = [];
  for (const [name, tensor] of weights) {
    checkWritable(name, tensor);
    if (!options.allowNonFinite) checkFinite(name, tensor.data);
    const bytes = new Uint8Array(tensor.data.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < tensor.data.length; i++) view.setFloat32(4 * i, tensor.data[i], true);
    entries.push({ name, dtype: 'F32', shape: tensor.shape, bytes });
  }
  return encodeSafetensors(entries, metadata);
}

function checkWritable(name: string, tensor: Tensor): void {
  if (name === METADATA_KEY) throw new WeightsError(`a tensor cannot be named ${label(METADATA_KEY)}, the format reserves it`);
  if (!tensor.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new WeightsError(`tensor ${label(name)}: shape ${formatShape(tensor.shape)} is not a list of non-negative integers`);
  }
  const count = tensor.shape.reduce((a, d) => a * d, 1);
  if (count !== tensor.data.length) {
    throw new WeightsError(`tensor ${label(name)}: shape ${formatShape(tensor.shape)} needs ${count} values, but it holds ${tensor.data.length}`);
  }
}

/** A tensor already encoded to bytes, in any safetensors dtype. */
export interface RawTensor {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

/** The file for already-encoded tensors, in the deterministic layout described above. */
export function encodeSafetensors(tensors: readonly RawTensor[], metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const sorted = [...tensors].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].name === sorted[i - 1].name) throw new WeightsError(`tensor ${label(sorted[i].name)} is given twice`);
  }
  const fields: string[] = [];
  if (Object.keys(metadata).length > 0) {
    const keys = Object.keys(metadata).sort();
    const pairs = keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(String(metadata[k]))}`);
    fields.push(`${JSON.stringify(METADATA_KEY)}:{${pairs.join(',')}}`);
  }
  let offset = 0;
  for (const t of sorted) {
    const info = `{"dtype":${JSON.stringify(t.dtype)},"shape":[${t.shape.join(',')}],"data_offsets":[${offset},${offset + t.bytes.length}]}`;
    fields.push(`${JSON.stringify(t.name)}:${info}`);
    offset += t.bytes.length;
  }
  const json = new TextEncoder().encode(`{${fields.join(',')}}`);
  const headerLength = json.length + ((8 - ((HEADER_LENGTH_BYTES + json.length) % 8)) % 8);
  const file = new Uint8Array(HEADER_LENGTH_BYTES + headerLength + offset);
  new DataView(file.buffer).setBigUint64(0, BigInt(headerLength), true);
  file.set(json, HEADER_LENGTH_BYTES);
  file.fill(0x20, HEADER_LENGTH_BYTES + json.length, HEADER_LENGTH_BYTES + headerLength);
  let at = HEADER_LENGTH_BYTES + headerLength;
  for (const t of sorted) {
    file.set(t.bytes, at);
    at += t.bytes.length;
  }
  return file;
}
