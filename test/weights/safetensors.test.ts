import { describe, expect, it } from 'vitest';
import { readSafetensors, readSafetensorsWithMetadata, writeSafetensors, encodeSafetensors } from '../../src/weights/safetensors.js';
import { WeightsError } from '../../src/tensor/errors.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { f32Bytes, fileWith } from './helpers.js';

const tensor = (shape: number[], values: number[]): Tensor => ({ shape, data: Float32Array.from(values) });

function headerOf(file: Uint8Array): { length: number; text: string } {
  const length = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  return { length, text: new TextDecoder().decode(file.subarray(8, 8 + length)) };
}

describe('safetensors round trip', () => {
  const weights = new Map<string, Tensor>([
    ['b.weight', tensor([2, 3], [1, -2, 0.5, -0, 3.4028234663852886e38, 1.401298464324817e-45])],
    ['a.bias', tensor([2], [0.1, -0.1])],
    ['empty', tensor([0, 4], [])],
    ['scalar', tensor([], [7])],
  ]);

  it('reads back the same shapes and float32 values', () => {
    const back = readSafetensors(writeSafetensors(weights));
    expect([...back.keys()].sort()).toEqual([...weights.keys()].sort());
    for (const [name, t] of weights) {
      expect(back.get(name)!.shape).toEqual(t.shape);
      expect(Array.from(back.get(name)!.data)).toEqual(Array.from(t.data));
    }
    expect(Object.is(back.get('b.weight')!.data[3], -0)).toBe(true);
  });

  it('writes the same bytes for the same weights, whatever the insertion order', () => {
    const reversed = new Map([...weights].reverse());
    expect(writeSafetensors(reversed)).toEqual(writeSafetensors(weights));
  });

  it('lists tensors in name order with contiguous data, and starts the data at an 8-byte boundary', () => {
    const file = writeSafetensors(weights);
    const { length, text } = headerOf(file);
    expect((8 + length) % 8).toBe(0);
    expect(text).toMatch(/^\{.*\} *$/);
    const header = JSON.parse(text) as Record<string, { data_offsets: [number, number] }>;
    expect(Object.keys(header)).toEqual(['a.bias', 'b.weight', 'empty', 'scalar']);
    expect(header['a.bias'].data_offsets).toEqual([0, 8]);
    expect(header['b.weight'].data_offsets).toEqual([8, 32]);
    expect(header.scalar.data_offsets).toEqual([32, 36]);
    expect(file.length).toBe(8 + length + 36);
  });

  it('keeps metadata', () => {
    const file = writeSafetensors(weights, { model: 'm', note: 'ü "quoted"' });
    expect(readSafetensorsWithMetadata(file).metadata).toEqual({ model: 'm', note: 'ü "quoted"' });
  });

  it('rounds float64 data to float32 on write', () => {
    const back = readSafetensors(writeSafetensors(new Map([['x', { shape: [1], data: Float64Array.of(0.1) }]])));
    expect(back.get('x')!.data[0]).toBe(Math.fround(0.1));
  });

  it('reads a file written by hand to the format, at an odd offset in its buffer', () => {
    const file = fileWith({ __metadata__: { format: 'pt' }, w: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, f32Bytes([1.5, -2]));
    const shifted = new Uint8Array(file.length + 1);
    shifted.set(file, 1);
    const w = readSafetensors(shifted.subarray(1)).get('w')!;
    expect(w.shape).toEqual([2]);
    expect(Array.from(w.data)).toEqual([1.5, -2]);
  });

  it('accepts an empty file of tensors', () => {
    expect(readSafetensors(writeSafetensors(new Map())).size).toBe(0);
  });

  it('refuses to write data that does not fill its shape, or non-finite values', () => {
    expect(() => writeSafetensors(new Map([['w', tensor([2, 2], [1, 2, 3])]]))).toThrow(/tensor 'w': shape \[2, 2\] needs 4 values, but it holds 3/);
    expect(() => writeSafetensors(new Map([['w', tensor([2], [1, NaN])]]))).toThrow(/tensor 'w' holds NaN at index 1/);
    expect(() => writeSafetensors(new Map([['__metadata__', tensor([1], [1])]]))).toThrow(WeightsError);
    expect(writeSafetensors(new Map([['w', tensor([2], [1, NaN])]]), {}, { allowNonFinite: true }).length).toBeGreaterThan(8);
  });

  it('refuses a name given twice to the raw encoder', () => {
    const raw = { name: 'x', dtype: 'F32', shape: [1], bytes: f32Bytes([1]) };
    expect(() => encodeSafetensors([raw, raw])).toThrow(/tensor 'x' is given twice/);
  });
});

describe('non-finite values', () => {
  const file = (values: number[]) => fileWith({ 'spinal1.sub1.bias': { dtype: 'F32', shape: [values.length], data_offsets: [0, 4 * values.length] } }, f32Bytes(values));

  it.each([
    [[0, NaN, 1], 'NaN', 1],
    [[Infinity], 'Infinity', 0],
    [[1, 2, 3, -Infinity], '-Infinity', 3],
  ])('refuses %j naming the tensor and the index of the first bad value', (values, shown, index) => {
    expect(() => readSafetensors(file(values))).toThrow(`tensor 'spinal1.sub1.bias' holds ${shown} at index ${index}`);
  });

  it('accepts them when asked to', () => {
    const back = readSafetensors(file([NaN, Infinity]), { allowNonFinite: true });
    expect(Array.from(back.get('spinal1.sub1.bias')!.data)).toEqual([NaN, Infinity]);
  });
});
