// Malformed safetensors files, built byte by byte from a good set of weights, for every loader's
// hostile-file tests: the same cases for the generated tfjs module, the WGSL host and the
// compiler's own reader. Each case names the tensor a refusal must name, where one is at fault.
import type { Weights } from '../../src/tensor/tensor.js';

export interface RawEntry {
  readonly name: string;
  readonly dtype?: string;
  readonly shape: readonly number[];
  /** Explicit offsets do not grow the data section: they may point anywhere. */
  readonly offsets?: readonly [number, number];
}

export interface RawFileOptions {
  /** The float32 values of the data section, in entry order; by default 0.01 * i. */
  readonly values?: readonly number[];
  /** Header text to use instead of the entries'. */
  readonly header?: string;
  /** The header length the first 8 bytes claim, instead of the real one. */
  readonly declaredHeaderBytes?: bigint;
}

const elements = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A safetensors file written by hand, so that it can be wrong in any way. */
export function rawSafetensors(entries: readonly RawEntry[], options: RawFileOptions = {}): Uint8Array {
  let at = 0;
  const fields = entries.map((e) => {
    const offsets = e.offsets ?? [at, (at += 4 * elements(e.shape))];
    return `${JSON.stringify(e.name)}:${JSON.stringify({ dtype: e.dtype ?? 'F32', shape: e.shape, data_offsets: offsets })}`;
  });
  const header = new TextEncoder().encode(options.header ?? `{${fields.join(',')}}`);
  const data = new Float32Array(options.values ?? Array.from({ length: at / 4 }, (_, i) => 0.01 * i));
  const file = new Uint8Array(8 + header.length + data.byteLength);
  new DataView(file.buffer).setBigUint64(0, options.declaredHeaderBytes ?? BigInt(header.length), true);
  file.set(header, 8);
  file.set(new Uint8Array(data.buffer), 8 + header.length);
  return file;
}

/** The entries of a weights map, in its order, with offsets laid out one after the other. */
export function entriesOf(weights: Weights): RawEntry[] {
  return [...weights].map(([name, t]) => ({ name, shape: t.shape }));
}

export interface HostileCase {
  readonly title: string;
  readonly bytes: Uint8Array;
  /** The tensor at fault, which the refusal must name; none for a broken file structure. */
  readonly tensor?: string;
  /** Words every loader's refusal of this case holds. */
  readonly phrase?: string;
  /**
   * A well-formed file that only a reader knowing the model refuses: the compiler's plain
   * reader (readSafetensors) accepts it, checkWeights and every generated loader do not.
   */
  readonly wellFormed?: boolean;
}

const LIMIT = 'more than the limit of 100000000 bytes';
/** A name no model has: spinal's names are layer names with `.weight`, `.bias` or batchnorm suffixes. */
const UNKNOWN_TENSOR = 'classifier.extra';
const UNCOVERED = 'belong to no tensor';
const NOT_DIGITS = 'without a fraction or exponent';

/** The header text rawSafetensors writes for these entries. */
function headerText(entries: readonly RawEntry[]): string {
  let at = 0;
  const fields = entries.map((e) => {
    const offsets = e.offsets ?? [at, (at += 4 * elements(e.shape))];
    return `${JSON.stringify(e.name)}:${JSON.stringify({ dtype: e.dtype ?? 'F32', shape: e.shape, data_offsets: offsets })}`;
  });
  return `{${fields.join(',')}}`;
}

/** Every entry from the one at `from` on moved `gap` bytes further into the data section. */
function shifted(entries: readonly RawEntry[], from: number, gap: number): RawEntry[] {
  let at = 0;
  return entries.map((e, i) => {
    if (i === from) at += gap;
    const begin = at;
    at += 4 * elements(e.shape);
    return { ...e, offsets: [begin, at] as const };
  });
}

/** Bytes of a file whose header is `{}` padded with spaces to `length` bytes. */
function paddedHeader(length: number): Uint8Array {
  const file = new Uint8Array(8 + length).fill(0x20);
  new DataView(file.buffer).setBigUint64(0, BigInt(length), true);
  file.set([0x7b, 0x7d], 8);
  return file;
}

/** The safetensors format's (and every spinal reader's) limit on the header. */
export const MAX_HEADER_BYTES = 100_000_000;

/**
 * Every malformed-file case spinal promises to refuse (docs/hardening.md), for a model's good
 * weights (at least two non-empty tensors): truncated, header length beyond the file or over
 * the limit, out-of-range and overlapping offsets, bytes no tensor covers (a gap, trailing
 * bytes, a header length one byte short), sizes and offsets not written as integers, a wrong
 * dtype, NaN and ±Infinity, a name listed twice, a header that is not UTF-8, where the
 * weights hold a batchnorm, a running variance that makes var + eps <= 0, and a well-formed
 * tensor the model has no name for.
 */
export function hostileCases(weights: Weights): HostileCase[] {
  const entries = entriesOf(weights).filter((e) => elements(e.shape) > 0);
  const [first, second] = entries;
  const last = entries[entries.length - 1];
  const good = rawSafetensors(entries);
  const total = entries.reduce((n, e) => n + elements(e.shape), 0);
  const replace = (name: string, change: Partial<RawEntry>) => entries.map((e) => (e.name === name ? { ...e, ...change } : e));
  const withValue = (v: number) => rawSafetensors(entries, { values: Array.from({ length: total }, (_, i) => (i === 0 ? v : 0.5)) });
  // Moving a tensor's offsets does not shrink the data section, so only the offsets are wrong.
  const fullData = { values: Array<number>(total).fill(0.5) };
  const notUtf8 = good.slice();
  notUtf8[10] = 0xff; // the first character of the first name
  const secondBytes = 4 * elements(second.shape);
  return [
    { title: 'a file shorter than its header length field', bytes: good.subarray(0, 5) },
    { title: 'a header length beyond the file', bytes: rawSafetensors(entries, { declaredHeaderBytes: 1_000_000n }) },
    { title: 'a header length of 2^64 - 1', bytes: rawSafetensors(entries, { declaredHeaderBytes: (1n << 64n) - 1n }), phrase: LIMIT },
    { title: 'a header that is not UTF-8', bytes: notUtf8 },
    { title: 'a truncated data section', bytes: good.subarray(0, good.length - 4), tensor: last.name },
    { title: 'offsets beyond the data section', bytes: rawSafetensors(replace(second.name, { offsets: [1 << 20, (1 << 20) + secondBytes] })), tensor: second.name },
    { title: 'overlapping offsets', bytes: rawSafetensors(replace(second.name, { offsets: [0, secondBytes] }), fullData), tensor: second.name, phrase: 'overlap' },
    { title: 'a dtype other than F32', bytes: rawSafetensors(replace(first.name, { dtype: 'F16' })), tensor: first.name },
    { title: 'a NaN', bytes: withValue(NaN), tensor: first.name },
    { title: 'an Infinity', bytes: withValue(Infinity), tensor: first.name },
    { title: 'a -Infinity', bytes: withValue(-Infinity), tensor: first.name },
    { title: 'a name listed twice', bytes: rawSafetensors([...entries, first]), tensor: first.name },
    { title: 'a header one byte over the limit', bytes: paddedHeader(MAX_HEADER_BYTES + 1), phrase: LIMIT },
    { title: 'a header length one byte short (every tensor a byte off)', bytes: rawSafetensors(entries, { header: `${headerText(entries)} `, declaredHeaderBytes: BigInt(headerText(entries).length) }), phrase: UNCOVERED },
    { title: 'bytes between two tensors that belong to neither', bytes: rawSafetensors(shifted(entries, 1, 4), { values: Array<number>(total + 1).fill(0.5) }), tensor: second.name, phrase: UNCOVERED },
    { title: 'bytes after the last tensor', bytes: rawSafetensors(entries, { values: Array<number>(total + 1).fill(0.5) }), phrase: UNCOVERED },
    { title: 'a size written with a fraction (N.0)', bytes: rawSafetensors(entries, { header: headerText(entries).replace(`"shape":[${first.shape.join(',')}]`, `"shape":[${first.shape.map((d, i) => (i === 0 ? `${d}.0` : d)).join(',')}]`) }), tensor: first.name, phrase: NOT_DIGITS },
    { title: 'an offset written with an exponent', bytes: rawSafetensors(entries, { header: headerText(entries).replace(/"data_offsets":\[0,(\d+)\]/, (_, end: string) => `"data_offsets":[0,${end}E0]`) }), tensor: first.name, phrase: NOT_DIGITS },
    ...varianceCases(entries, total),
    // The one policy of every loader: the file holds exactly the model's canonical tensors.
    { title: 'a tensor the model has no name for', bytes: rawSafetensors([...entries, { name: UNKNOWN_TENSOR, shape: [2] }]), tensor: UNKNOWN_TENSOR, phrase: 'unexpected tensor', wellFormed: true },
  ];
}

/** A running variance of -1, so var + eps < 0, in the first batchnorm the weights hold. */
function varianceCases(entries: readonly RawEntry[], total: number): HostileCase[] {
  const variance = entries.find((e) => e.name.endsWith('running_var'));
  if (!variance) return [];
  let at = 0;
  for (const e of entries) {
    if (e === variance) break;
    at += elements(e.shape);
  }
  const values = Array.from({ length: total }, (_, i) => (i === at + 1 ? -1 : 0.5));
  return [{ title: 'a batchnorm running variance of -1', bytes: rawSafetensors(entries, { values }), tensor: variance.name, phrase: 'a running variance must be greater than -eps' }];
}
