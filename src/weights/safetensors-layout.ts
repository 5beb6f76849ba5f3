// The structure of a safetensors file, checked before a single tensor byte is read:
//   8 bytes   header length N, unsigned 64-bit little-endian
//   N bytes   UTF-8 JSON object: tensor name -> { dtype, shape, data_offsets: [begin, end] },
//             plus an optional "__metadata__": { string: string }
//   the rest  the data section; offsets are relative to its start
// Everything a hostile file could lie about is checked here, so readers can slice the bytes
// without further bounds checks.
import { DTYPE_BYTES } from './dtype.js';
import { WeightsError, formatShape, label } from '../tensor/errors.js';
import { MAX_HEADER_BYTES, findDuplicateKey, findMiswrittenCount } from '../runtime/safetensors-loader.js';

/** A tensor's place in the file. `begin` and `end` are absolute byte offsets into the file. */
export interface TensorEntry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

export interface SafetensorsLayout {
  readonly metadata: Readonly<Record<string, string>>;
  /** In header order. */
  readonly entries: readonly TensorEntry[];
}

export const HEADER_LENGTH_BYTES = 8;
/** The reference implementation's cap; a larger header is a hostile or broken file. */
export { MAX_HEADER_BYTES } from '../runtime/safetensors-loader.js';
export const METADATA_KEY = '__metadata__';

export function parseLayout(bytes: Uint8Array): SafetensorsLayout {
  const headerLength = readHeaderLength(bytes);
  const text = decodeHeader(bytes.subarray(HEADER_LENGTH_BYTES, HEADER_LENGTH_BYTES + headerLength));
  const header = parseHeaderJson(text);
  const dataStart = HEADER_LENGTH_BYTES + headerLength;
  const dataLength = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: TensorEntry[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === METADATA_KEY) metadata = readMetadata(value);
    else entries.push(readEntry(name, value, dataStart, dataLength));
  }
  checkCoverage(entries, dataStart, dataLength);
  return { metadata, entries };
}

function readHeaderLength(bytes: Uint8Array): number {
  if (bytes.length < HEADER_LENGTH_BYTES) {
    throw new WeightsError(`the file is ${bytes.length} bytes long, too short for a safetensors file (it starts with an 8-byte header length)`);
  }
  const declared = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  // The limit first, as the reference implementation does: a reader of a stream can then stop
  // after 8 bytes.
  if (declared > BigInt(MAX_HEADER_BYTES)) {
    throw new WeightsError(`the header length ${declared} is more than the limit of ${MAX_HEADER_BYTES} bytes`);
  }
  const room = bytes.length - HEADER_LENGTH_BYTES;
  if (declared > BigInt(room)) {
    throw new WeightsError(`the header length ${declared} runs past the end of the file (${room} bytes follow the length field): the file is truncated or not a safetensors file`);
  }
  if (declared < 2n) throw new WeightsError(`the header length ${declared} is too small to hold a JSON object`);
  return Number(declared);
}

function decodeHeader(raw: Uint8Array): string {
  try {
    // ignoreBOM keeps a byte-order mark in the text, so JSON.parse refuses it as the format requires.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
  } catch {
    throw new WeightsError('the header is not valid UTF-8');
  }
}

function parseHeaderJson(text: string): Record<string, unknown> {
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw new WeightsError(`the header is not valid JSON (${(e as Error).message})`);
  }
  if (!isObject(header)) throw new WeightsError('the header is not a JSON object');
  const miswritten = findMiswrittenCount(text);
  if (miswritten) {
    throw new WeightsError(miswritten.text.startsWith('-')
      ? `tensor ${label(miswritten.tensor)}: ${miswritten.field} must hold non-negative integers, found ${label(miswritten.text).slice(1, -1)}`
      : `tensor ${label(miswritten.tensor)}: ${miswritten.field} must hold whole numbers written without a fraction or exponent, found ${label(miswritten.text).slice(1, -1)}`);
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate) {
    throw new WeightsError(duplicate.within === undefined
      ? `tensor ${label(duplicate.key)} is listed twice in the header`
      : `tensor ${label(duplicate.within)} has the key ${label(duplicate.key)} twice in the header`);
  }
  return header;
}

function readMetadata(value: unknown): Record<string, string> {
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw new WeightsError(`${METADATA_KEY} must be an object of strings, found ${preview(value)}`);
  }
  return value as Record<string, string>;
}

function readEntry(name: string, value: unknown, dataStart: number, dataLength: number): TensorEntry {
  const fail = (problem: string) => new WeightsError(`tensor ${label(name)}: ${problem}`);
  if (!isObject(value)) throw fail(`expected an object with dtype, shape and data_offsets, found ${preview(value)}`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string') throw fail(`dtype must be a string, found ${preview(dtype)}`);
  const size = DTYPE_BYTES.get(dtype);
  if (size === undefined) throw fail(`unknown dtype ${preview(dtype)}`);
  if (!Array.isArray(shape) || !shape.every(isCount)) throw fail(`shape must be a list of non-negative integers, found ${preview(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw fail(`data_offsets must be two non-negative integers [begin, end], found ${preview(offsets)}`);
  }
  const [begin, end] = offsets as number[];
  if (begin > end) throw fail(`data_offsets [${begin}, ${end}] end before they begin`);
  if (end > dataLength) throw fail(`data_offsets [${begin}, ${end}] run past the end of the data section (${dataLength} bytes)`);
  const byteLength = end - begin;
  if (!holdsExactly(shape as number[], size, byteLength)) {
    const needed = elementCount(shape as number[]);
    throw fail(`shape ${formatShape(shape as number[])} of ${dtype} needs ${needed === undefined ? 'more' : needed * size} bytes, but data_offsets [${begin}, ${end}] hold ${byteLength}`);
  }
  return { name, dtype, shape: [...(shape as number[])], begin: dataStart + begin, end: dataStart + end };
}

/** Whether `shape` of `size`-byte elements is exactly `byteLength` bytes, without overflow. */
function holdsExactly(shape: readonly number[], size: number, byteLength: number): boolean {
  const count = elementCount(shape);
  return count !== undefined && count * size === byteLength;
}

/** The number of elements, or undefined when it is beyond any file (2^53). */
function elementCount(shape: readonly number[]): number | undefined {
  if (shape.includes(0)) return 0;
  let count = 1;
  for (const d of shape) {
    count *= d;
    if (count > Number.MAX_SAFE_INTEGER) return undefined;
  }
  return count;
}

/**
 * The tensors must cover the data section exactly, as the reference implementation requires:
 * in order of their offsets, each begins where the one before it ends (an empty tensor too),
 * the first at 0 and the last at the end. A gap or trailing bytes mean a header that does not
 * describe its data (a header length one byte short shifts every tensor by a byte).
 */
function checkCoverage(entries: readonly TensorEntry[], dataStart: number, dataLength: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  const range = (e: TensorEntry) => `[${e.begin - dataStart}, ${e.end - dataStart}]`;
  let at = 0;
  let before: TensorEntry | undefined;
  for (const e of sorted) {
    const begin = e.begin - dataStart;
    if (begin < at && before) throw new WeightsError(`tensors ${label(before.name)} and ${label(e.name)} overlap: data_offsets ${range(before)} and ${range(e)}`);
    if (begin > at) throw new WeightsError(`tensor ${label(e.name)}: data_offsets ${range(e)} leave a gap: bytes ${at} to ${begin} of the data section belong to no tensor`);
    at = e.end - dataStart;
    before = e;
  }
  if (at !== dataLength) {
    throw new WeightsError(`the data section has ${dataLength} bytes, but its tensors end at byte ${at}: the last ${dataLength - at} belong to no tensor`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * A short rendering of a JSON value from the file, for a message. Bounded in depth and width
 * (JSON.stringify would recurse through a hostile, deeply nested value and overflow the stack).
 */
function preview(value: unknown, depth = 0): string {
  const MAX_ITEMS = 4;
  if (Array.isArray(value)) {
    if (depth >= 2) return '[...]';
    const items = value.slice(0, MAX_ITEMS).map((v) => preview(v, depth + 1));
    return `[${items.join(', ')}${value.length > MAX_ITEMS ? ', ...' : ''}]`;
  }
  if (typeof value === 'object' && value !== null) {
    if (depth >= 2) return '{...}';
    const entries = Object.entries(value);
    const items = entries.slice(0, MAX_ITEMS).map(([k, v]) => `${JSON.stringify(k)}: ${preview(v, depth + 1)}`);
    return label(`{${items.join(', ')}${entries.length > MAX_ITEMS ? ', ...' : ''}}`).slice(1, -1);
  }
  return label(JSON.stringify(value) ?? String(value)).slice(1, -1);
}
