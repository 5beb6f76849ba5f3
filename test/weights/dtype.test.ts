import { describe, expect, it } from 'vitest';
import { bfloat16ToNumber, halfToNumber, toFloat32 } from '../../src/weights/dtype.js';
import { WeightsError } from '../../src/tensor/errors.js';

describe('half and bfloat16 decoding', () => {
  it.each([
    [0x0000, 0], [0x3c00, 1], [0xc000, -2], [0x3555, 0.333251953125], [0x7bff, 65504],
    [0x0001, 2 ** -24], [0x0400, 2 ** -14], [0x7c00, Infinity], [0xfc00, -Infinity],
  ])('half 0x%s is %s', (bits, value) => {
    expect(halfToNumber(bits)).toBe(value);
  });

  it('decodes half NaN and negative zero', () => {
    expect(halfToNumber(0x7e00)).toBeNaN();
    expect(Object.is(halfToNumber(0x8000), -0)).toBe(true);
  });

  it.each([[0x3f80, 1], [0xc040, -3], [0x3e80, 0.25], [0x7f80, Infinity], [0x0001, 2 ** -133]])('bfloat16 0x%s is %s', (bits, value) => {
    expect(bfloat16ToNumber(bits)).toBe(value);
  });

  it('converts little-endian F16, BF16 and F64 buffers to float32', () => {
    expect(Array.from(toFloat32('t', 'F16', Uint8Array.of(0x00, 0x3c, 0x00, 0xc0)))).toEqual([1, -2]);
    expect(Array.from(toFloat32('t', 'BF16', Uint8Array.of(0x80, 0x3f, 0x40, 0xc0)))).toEqual([1, -3]);
    const f64 = new Uint8Array(8);
    new DataView(f64.buffer).setFloat64(0, 0.1, true);
    expect(toFloat32('t', 'F64', f64)[0]).toBe(Math.fround(0.1));
  });

  it('refuses integer dtypes naming the tensor', () => {
    expect(() => toFloat32('fc_out.1.weight', 'I64', new Uint8Array(8))).toThrow(WeightsError);
    expect(() => toFloat32('fc_out.1.weight', 'I64', new Uint8Array(8))).toThrow(/tensor 'fc_out.1.weight' has dtype I64/);
  });
});
