// NumPy .npy files, decoded by npyjs. npyjs trusts the file: it reads whatever follows the
// header as the data, whatever the shape says, and throws engine errors (or misreads) on a
// short, misaligned or big-endian file. So the header is checked here first (magic, version,
// length, dtype, shape, exact data size), and npyjs's result is checked against it after.
//   6 bytes  \x93NUMPY    1+1 bytes version    2 (v1) or 4 (v2, v3) bytes header length, LE
//   header   a Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (N, F), }
//   data     shape's product of elements, C order unless fortran_order
import { parse as parseNpy } from 'npyjs';
import { DataError, quote } from './errors.js';
import type { Table } from './table.js';

/** npy type codes (without the byte-order character) decoded, and their element sizes. */
const ELEMENT_BYTES: ReadonlyMap<string, number> = new Map([
  ['f2', 2], ['f4', 4], ['f8', 8],
  ['i1', 1], ['i2', 2], ['i4', 4], ['i8', 8],
  ['u1', 1], ['u2', 2], ['u4', 4], ['u8', 8],
]);

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

export interface NpyHeader {
  /** Type code without byte order: 'f4', 'u1', ... */
  readonly dtype: string;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  /** Where the data begin. */
  readonly dataOffset: number;
}

/** The array in `bytes` (the whole file at `path`) as a [rows, cols] table: dims after the first are flattened. */
export function readNpyTable(path: string, bytes: Uint8Array): Table {
  const header = readNpyHeader(path, bytes);
  if (header.shape.length === 0) throw new DataError(`${quote(path)} holds a single number (shape ()); expected one row per sample`);
  const values = decode(path, bytes, header);
  const rows = header.shape[0];
  const cols = header.shape.slice(1).reduce((a, d) => a * d, 1);
  const data = header.fortranOrder && header.shape.length > 1 ? fortranToC(values as ArrayLike<number | bigint>, header.shape) as ArrayLike<number> | ArrayLike<bigint> : values;
  const place = header.shape.length === 1 ? (row: number) => `${quote(path)}, row ${row}` : (row: number, col: number) => `${quote(path)}, row ${row}, column ${col}`;
  return { rows, cols, values: data, origin: quote(path), at: place };
}

export function readNpyHeader(path: string, bytes: Uint8Array): NpyHeader {
  const fail = (problem: string) => new DataError(`${quote(path)} is not a valid .npy file: ${problem}`);
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) throw fail('it does not start with the .npy magic bytes \\x93NUMPY');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  if (major < 1 || major > 3) throw fail(`format version ${major}.${bytes[7]} is unknown (1.0, 2.0 and 3.0 exist)`);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw fail('the file ends inside the header length');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataOffset = 8 + lengthBytes + headerLength;
  if (dataOffset > bytes.length) throw fail(`the header is ${headerLength} bytes but only ${bytes.length - 8 - lengthBytes} follow: the file is truncated`);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lengthBytes, dataOffset)).trim();
  const { descr, fortranOrder, shape } = parseHeaderDict(text, fail);

  const order = descr[0];
  const dtype = '<>|='.includes(order) ? descr.slice(1) : descr;
  const size = ELEMENT_BYTES.get(dtype);
  if (size === undefined) {
    throw new DataError(`${quote(path)} has dtype ${quote(descr)}, which is not supported (floats f2, f4, f8 and integers i1..i8, u1..u8 are)`);
  }
  if (order === '>' && size > 1) {
    throw new DataError(`${quote(path)} is big-endian (${quote(descr)}); save it little-endian, e.g. with numpy's astype('<${dtype}')`);
  }
  const count = elementCount(shape);
  const available = bytes.length - dataOffset;
  if (count === undefined || count * size !== available) {
    const needed = count === undefined ? 'more bytes than any file holds' : `${count * size} bytes`;
    const problem = count !== undefined && count * size > available ? 'the file is truncated' : 'the file is corrupt';
    throw new DataError(`${quote(path)}: shape (${shape.join(', ')}) of ${dtype} needs ${needed} of data, but ${available} follow the header: ${problem}`);
  }
  if (dataOffset % size !== 0) {
    throw new DataError(`${quote(path)} is not a valid .npy file: its data start at byte ${dataOffset}, not a multiple of the ${size}-byte element size (numpy aligns them to 64)`);
  }
  return { dtype, fortranOrder, shape, dataOffset };
}

/** The header's dict literal: exactly the keys descr, fortran_order and shape, as numpy writes them. */
function parseHeaderDict(text: string, fail: (problem: string) => DataError): { descr: string; fortranOrder: boolean; shape: number[] } {
  const body = /^\{(.*)\}$/s.exec(text)?.[1];
  if (body === undefined) throw fail('the header is not a Python dict literal');
  const descr = /(?:^|,)\s*'descr'\s*:\s*'([^']*)'/.exec(body)?.[1];
  const fortran = /(?:^|,)\s*'fortran_order'\s*:\s*(True|False)\b/.exec(body)?.[1];
  const shapeText = /(?:^|,)\s*'shape'\s*:\s*\(([^)]*)\)/.exec(body)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw fail(`the header lacks ${[descr === undefined && "'descr'", fortran === undefined && "'fortran_order'", shapeText === undefined && "'shape'"].filter(Boolean).join(', ')}: ${quote(text.slice(0, 120))}`);
  }
  const dims = shapeText.split(',').map((s) => s.trim());
  if (dims.length > 0 && dims[dims.length - 1] === '') dims.pop();
  if (!dims.every((d) => /^\d+$/.test(d))) throw fail(`the shape (${shapeText}) is not a tuple of non-negative integers`);
  return { descr, fortranOrder: fortran === 'True', shape: dims.map(Number) };
}

function decode(path: string, bytes: Uint8Array, header: NpyHeader): ArrayLike<number> | ArrayLike<bigint> {
  // npyjs views the buffer from the data offset to its end, so it gets exactly the file.
  const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? (bytes.buffer as ArrayBuffer)
    : bytes.slice().buffer;
  let parsed;
  try {
    parsed = parseNpy(buffer);
  } catch (e) {
    throw new DataError(`${quote(path)} could not be decoded: ${(e as Error).message}`);
  }
  const data = parsed.data as unknown as ArrayLike<number> | ArrayLike<bigint>;
  const count = elementCount(header.shape);
  if (parsed.dtype !== header.dtype || data.length !== count || parsed.shape.join() !== header.shape.join() || parsed.fortranOrder !== header.fortranOrder) {
    throw new DataError(`${quote(path)} was decoded as ${parsed.dtype} (${parsed.shape.join(', ')}) with ${data.length} values, not as its header says (${header.dtype}, shape (${header.shape.join(', ')})): the header is malformed`);
  }
  return data;
}

/** Column-major (Fortran order) values of `shape` rearranged to row-major. */
function fortranToC(values: ArrayLike<number | bigint>, shape: readonly number[]): (number | bigint)[] {
  const out = new Array<number | bigint>(values.length);
  const index = new Array<number>(shape.length).fill(0);
  for (let c = 0; c < values.length; c++) {
    let f = 0;
    for (let d = shape.length - 1; d >= 0; d--) f = f * shape[d] + index[d];
    out[c] = values[f];
    for (let d = shape.length - 1; d >= 0 && ++index[d] === shape[d]; d--) index[d] = 0;
  }
  return out;
}

/** The number of elements, or undefined beyond 2^53. */
function elementCount(shape: readonly number[]): number | undefined {
  let count = 1;
  for (const d of shape) count *= d;
  return Number.isSafeInteger(count) ? count : undefined;
}
