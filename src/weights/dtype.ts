// Safetensors element types: their sizes, and decoding the floating-point ones to float32.
// Decoding goes through DataView with explicit little-endian reads, so it neither depends on
// the host's byte order nor needs the data to be aligned in the file.
import { WeightsError, label } from '../tensor/errors.js';

/** Bytes per element of every dtype the safetensors format defines. A Map, so that a hostile
 *  dtype such as "constructor" finds nothing. */
export const DTYPE_BYTES: ReadonlyMap<string, number> = new Map([
  ['F64', 8], ['F32', 4], ['F16', 2], ['BF16', 2],
  ['I64', 8], ['I32', 4], ['I16', 2], ['I8', 1],
  ['U64', 8], ['U32', 4], ['U16', 2], ['U8', 1],
  ['BOOL', 1], ['F8_E4M3', 1], ['F8_E5M2', 1],
]);

/** The dtypes `toFloat32` converts (PyTorch checkpoints are often saved in half precision). */
export const FLOAT_DTYPES: ReadonlySet<string> = new Set(['F32', 'F64', 'F16', 'BF16']);

/** Decodes `bytes` (little-endian elements of `dtype`) to float32; refuses non-float dtypes. */
export function toFloat32(name: string, dtype: string, bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = DTYPE_BYTES.get(dtype);
  if (size === undefined || !FLOAT_DTYPES.has(dtype)) {
    throw new WeightsError(`tensor ${label(name)} has dtype ${dtype}; only floating-point tensors (F32, F64, F16, BF16) can be weights`);
  }
  const out = new Float32Array(bytes.byteLength / size);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
      break;
    case 'F64':
      for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(8 * i, true);
      break;
    case 'F16':
      for (let i = 0; i < out.length; i++) out[i] = halfToNumber(view.getUint16(2 * i, true));
      break;
    case 'BF16':
      for (let i = 0; i < out.length; i++) out[i] = bfloat16ToNumber(view.getUint16(2 * i, true));
      break;
  }
  return out;
}

/** IEEE 754 binary16 bits to a number (exact: every half value is a float32 value). */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

const scratch = new DataView(new ArrayBuffer(4));

/** bfloat16 is the upper half of a float32. */
export function bfloat16ToNumber(bits: number): number {
  scratch.setUint32(0, (bits & 0xffff) << 16);
  return scratch.getFloat32(0);
}

/** The dtypes `toIntegers` decodes (datasets store class labels and pixels in them). */
export const INTEGER_DTYPES: ReadonlySet<string> = new Set(['I64', 'I32', 'I16', 'I8', 'U64', 'U32', 'U16', 'U8']);

/**
 * Decodes `bytes` (little-endian elements of an integer `dtype`) exactly: up to 32 bits as
 * numbers, 64-bit ones as bigints. Refuses other dtypes.
 */
export function toIntegers(name: string, dtype: string, bytes: Uint8Array): Float64Array | BigInt64Array | BigUint64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = DTYPE_BYTES.get(dtype);
  if (size === undefined || !INTEGER_DTYPES.has(dtype)) {
    throw new WeightsError(`tensor ${label(name)} has dtype ${dtype}; expected an integer dtype (I8..I64, U8..U64)`);
  }
  const count = bytes.byteLength / size;
  if (dtype === 'I64' || dtype === 'U64') {
    const out = dtype === 'I64' ? new BigInt64Array(count) : new BigUint64Array(count);
    const read = dtype === 'I64' ? (i: number) => view.getBigInt64(8 * i, true) : (i: number) => view.getBigUint64(8 * i, true);
    for (let i = 0; i < count; i++) out[i] = read(i);
    return out;
  }
  const read: Record<string, (at: number) => number> = {
    I32: (at) => view.getInt32(at, true), I16: (at) => view.getInt16(at, true), I8: (at) => view.getInt8(at),
    U32: (at) => view.getUint32(at, true), U16: (at) => view.getUint16(at, true), U8: (at) => view.getUint8(at),
  };
  const get = read[dtype];
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = get(size * i);
  return out;
}
