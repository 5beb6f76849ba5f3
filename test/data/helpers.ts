// Building dataset files for the data tests: .npy through npyjs's own writer or byte by byte,
// safetensors through the project's encoder, and catching the DataError a load must raise.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dump, type TypedArray } from 'npyjs';
import { expect } from 'vitest';
import { DataError } from '../../src/data/errors.js';
import { loadDataset, type DataRequest } from '../../src/data/load.js';
import type { Dataset, Expectation } from '../../src/data/dataset.js';
import { encodeSafetensors, type RawTensor } from '../../src/weights/safetensors.js';

export const classify = (features: number, classes: number, model?: string): Expectation => ({ features, task: { kind: 'classification', classes }, model });
export const regress = (features: number, targets: number, model?: string): Expectation => ({ features, task: { kind: 'regression', targets }, model });

/** Writes `bytes` (or text) as `name` in `dir` and returns its path. */
export function put(dir: string, name: string, contents: Uint8Array | ArrayBuffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, typeof contents === 'string' ? contents : new Uint8Array(contents));
  return path;
}

/** A .npy file as numpy writes it, through npyjs's writer. */
export function npy(array: TypedArray, shape: number[]): Uint8Array {
  return new Uint8Array(dump(array, shape));
}

/** A .npy file with this exact header dict text and data bytes, the header padded to 64 as numpy does. */
export function npyWith(dict: string, data: Uint8Array, version: 1 | 2 = 1): Uint8Array {
  const prefix = version === 1 ? 10 : 12;
  const padded = dict + ' '.repeat((64 - ((prefix + dict.length + 1) % 64)) % 64) + '\n';
  const file = new Uint8Array(prefix + padded.length + data.length);
  file.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(file.buffer);
  if (version === 1) view.setUint16(8, padded.length, true);
  else view.setUint32(8, padded.length, true);
  for (let i = 0; i < padded.length; i++) file[prefix + i] = padded.charCodeAt(i);
  file.set(data, prefix + padded.length);
  return file;
}

export function bytesOf(array: TypedArray): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** A safetensors dataset file holding these tensors (little-endian hosts: the typed arrays' own bytes). */
export function safetensors(tensors: Record<string, { dtype: string; shape: number[]; data: TypedArray }>): Uint8Array {
  const raw: RawTensor[] = Object.entries(tensors).map(([name, t]) => ({ name, dtype: t.dtype, shape: t.shape, bytes: bytesOf(t.data) }));
  return encodeSafetensors(raw);
}

/** The message of the DataError that loading must raise. */
export function refusal(request: DataRequest, expectation: Expectation): string {
  return errorOf(() => loadDataset(request, expectation));
}

export function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(DataError);
    return (e as Error).message;
  }
  throw new Error('no DataError was raised');
}

/** Rows of a dataset's features, as plain numbers. */
export function rows(ds: Dataset): number[][] {
  return Array.from({ length: ds.n }, (_, i) => Array.from(ds.x.subarray(i * ds.features, (i + 1) * ds.features)));
}
