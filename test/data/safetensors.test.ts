// safetensors datasets: tensors x and y in one file, float or integer dtypes, refusals naming
// the file and the tensor.
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/load.js';
import { toIntegers } from '../../src/weights/dtype.js';
import { scratch } from '../support/scratch.js';
import { classify, put, refusal, regress, rows, safetensors } from './helpers.js';

const dir = scratch('data-safetensors');
const xs = Float32Array.of(1, 2, 3, 4, 5, 6);

describe('reading', () => {
  it('reads float32 x and int64 y', () => {
    const path = put(dir, 'd.safetensors', safetensors({
      x: { dtype: 'F32', shape: [3, 2], data: xs },
      y: { dtype: 'I64', shape: [3], data: BigInt64Array.of(1n, 0n, 1n) },
      mean: { dtype: 'F32', shape: [2], data: Float32Array.of(0, 0) },
    }));
    const ds = loadDataset({ data: path }, classify(2, 2));
    expect(ds.source).toBe(path);
    expect(rows(ds)).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(Array.from(ds.y)).toEqual([1, 0, 1]);
  });

  it.each([
    ['I8', Int8Array.of(1, 0, 1)], ['U8', Uint8Array.of(1, 0, 1)], ['I16', Int16Array.of(1, 0, 1)], ['U16', Uint16Array.of(1, 0, 1)],
    ['I32', Int32Array.of(1, 0, 1)], ['U32', Uint32Array.of(1, 0, 1)], ['U64', BigUint64Array.of(1n, 0n, 1n)], ['F64', Float64Array.of(1, 0, 1)],
  ])('reads %s labels', (dtype, data) => {
    const path = put(dir, `labels-${dtype}.safetensors`, safetensors({ x: { dtype: 'F32', shape: [3, 2], data: xs }, y: { dtype, shape: [3], data } }));
    expect(Array.from(loadDataset({ data: path }, classify(2, 2)).y)).toEqual([1, 0, 1]);
  });

  it('reads uint8, float16 and float64 features, and flattens [N, 2, 2] images', () => {
    const y = { dtype: 'U8', shape: [1], data: Uint8Array.of(0) };
    const u8 = put(dir, 'u8.safetensors', safetensors({ x: { dtype: 'U8', shape: [1, 2, 2], data: Uint8Array.of(0, 255, 9, 1) }, y }));
    expect(Array.from(loadDataset({ data: u8 }, classify(4, 2)).x)).toEqual([0, 255, 9, 1]);
    const f16 = put(dir, 'f16.safetensors', safetensors({ x: { dtype: 'F16', shape: [1, 2], data: Uint16Array.of(0x3c00, 0xc000) }, y }));
    expect(Array.from(loadDataset({ data: f16 }, classify(2, 2)).x)).toEqual([1, -2]);
    const f64 = put(dir, 'f64.safetensors', safetensors({ x: { dtype: 'F64', shape: [1, 2], data: Float64Array.of(0.1, 2) }, y }));
    expect(Array.from(loadDataset({ data: f64 }, classify(2, 2)).x)).toEqual([Math.fround(0.1), 2]);
  });

  it('reads regression targets [N, T]', () => {
    const path = put(dir, 'reg.safetensors', safetensors({ x: { dtype: 'F32', shape: [3, 2], data: xs }, y: { dtype: 'F32', shape: [3, 2], data: Float32Array.of(0, 1, 2, 3, 4, 5) } }));
    const ds = loadDataset({ data: path }, regress(2, 2));
    expect(ds.y).toBeInstanceOf(Float32Array);
    expect(Array.from(ds.y)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('decodes every integer dtype exactly, little-endian', () => {
    const ints = (dtype: string, values: number[]) => Array.from(toIntegers('t', dtype, Uint8Array.from(values)) as ArrayLike<number | bigint>);
    expect(ints('I8', [0xff, 0x7f])).toEqual([-1, 127]);
    expect(ints('U16', [0x01, 0x02])).toEqual([0x0201]);
    expect(ints('I32', [0xfe, 0xff, 0xff, 0xff])).toEqual([-2]);
    expect(ints('U32', [0xff, 0xff, 0xff, 0xff])).toEqual([4294967295]);
    expect(ints('I64', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).toEqual([-1n]);
    expect(ints('U64', [0, 0, 0, 0, 0, 0, 0, 0x80])).toEqual([1n << 63n]);
    expect(() => toIntegers('labels', 'F32', new Uint8Array(4))).toThrow(/tensor 'labels' has dtype F32; expected an integer dtype/);
  });
});

describe('refusals', () => {
  it('names the file and the missing tensor, listing what it holds', () => {
    const path = put(dir, 'weights.safetensors', safetensors({ 'output.weight': { dtype: 'F32', shape: [1, 2], data: Float32Array.of(1, 2) } }));
    expect(refusal({ data: path }, classify(2, 2))).toBe(`'${path}' has no tensor 'x'; a dataset file holds features in 'x' and labels in 'y' (tensors found: 'output.weight')`);
    const noY = put(dir, 'no-y.safetensors', safetensors({ x: { dtype: 'F32', shape: [3, 2], data: xs } }));
    expect(refusal({ data: noY }, classify(2, 2))).toMatch(/no-y\.safetensors' has no tensor 'y'/);
  });

  it('names the tensor of an unsupported dtype', () => {
    const path = put(dir, 'bool.safetensors', safetensors({ x: { dtype: 'F32', shape: [3, 2], data: xs }, y: { dtype: 'BOOL', shape: [3], data: Uint8Array.of(1, 0, 1) } }));
    expect(refusal({ data: path }, classify(2, 2))).toBe(`tensor 'y' in '${path}' has dtype BOOL, which is not supported (floats F16, BF16, F32, F64 and integers I8..I64, U8..U64 are)`);
  });

  it('names the tensor, row and value of a bad label', () => {
    const path = put(dir, 'bad-label.safetensors', safetensors({ x: { dtype: 'F32', shape: [3, 2], data: xs }, y: { dtype: 'I32', shape: [3], data: Int32Array.of(0, 1, 7) } }));
    expect(refusal({ data: path }, classify(2, 2))).toMatch(new RegExp(`^tensor 'y' in '${path.replace(/[.]/g, '\\.')}', row 2: label 7 is outside \\[0, 2\\)`));
  });

  it('names the tensor, row and column of a NaN feature, and a width other than the model\'s', () => {
    const path = put(dir, 'nan.safetensors', safetensors({ x: { dtype: 'F32', shape: [3, 2], data: Float32Array.of(1, 2, 3, 4, 5, NaN) }, y: { dtype: 'U8', shape: [3], data: Uint8Array.of(0, 0, 0) } }));
    expect(refusal({ data: path }, classify(2, 2))).toBe(`tensor 'x' in '${path}', row 2, column 1 is NaN; features must be finite numbers`);
    expect(refusal({ data: path }, classify(3, 2, 'm'))).toBe(`tensor 'x' in '${path}' has 2 features per sample; model 'm' reads 3`);
  });

  it('refuses x and y of different sample counts, and an empty set', () => {
    const path = put(dir, 'counts.safetensors', safetensors({ x: { dtype: 'F32', shape: [3, 2], data: xs }, y: { dtype: 'U8', shape: [2], data: Uint8Array.of(0, 0) } }));
    expect(refusal({ data: path }, classify(2, 2))).toBe(`tensor 'x' in '${path}' has 3 samples but tensor 'y' in '${path}' has 2 labels`);
    const empty = put(dir, 'empty.safetensors', safetensors({ x: { dtype: 'F32', shape: [0, 2], data: new Float32Array(0) }, y: { dtype: 'U8', shape: [0], data: new Uint8Array(0) } }));
    expect(refusal({ data: empty }, classify(2, 2))).toBe(`tensor 'x' in '${empty}' holds no samples`);
  });

  it('refuses a truncated or corrupt file, naming it', () => {
    const good = safetensors({ x: { dtype: 'F32', shape: [3, 2], data: xs }, y: { dtype: 'U8', shape: [3], data: Uint8Array.of(0, 1, 0) } });
    const truncated = put(dir, 'truncated.safetensors', good.subarray(0, good.length - 2));
    expect(refusal({ data: truncated }, classify(2, 2))).toMatch(new RegExp(`^'${truncated.replace(/[.]/g, '\\.')}' is not a valid safetensors file: tensor '[xy]': data_offsets `));
    const garbage = put(dir, 'garbage.safetensors', new TextEncoder().encode('not a safetensors file at all'));
    expect(refusal({ data: garbage }, classify(2, 2))).toMatch(/garbage\.safetensors' is not a valid safetensors file: the header length \d+ /);
    for (let end = 0; end < good.length; end += 3) {
      const cut = put(dir, 'cut.safetensors', good.subarray(0, end));
      expect(refusal({ data: cut }, classify(2, 2))).toContain(`'${cut}'`);
    }
  });

  it('refuses a separate labels file and a label column', () => {
    const path = put(dir, 'single.safetensors', safetensors({ x: { dtype: 'F32', shape: [3, 2], data: xs }, y: { dtype: 'U8', shape: [3], data: Uint8Array.of(0, 1, 0) } }));
    expect(refusal({ data: path, labels: 'y.npy' }, classify(2, 2))).toBe(`'${path}' holds its labels itself (tensor 'y'); a separate labels file goes with .npy features only`);
    expect(refusal({ data: path, labelColumn: 'y' }, classify(2, 2))).toBe(`'${path}': a label column is chosen only in a CSV file`);
  });
});
