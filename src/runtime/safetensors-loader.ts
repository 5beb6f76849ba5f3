// ---- the weights loader ----------------------------------------------------------------------
// Reads a safetensors file and folds batchnorms into the Linears, with nothing but the language:
// no imports, no globals beyond TextDecoder, valid under `strict`, `noUncheckedIndexedAccess`,
// `exactOptionalPropertyTypes`, `verbatimModuleSyntax` and `isolatedModules`. spinal compiles
// and tests it as src/runtime/safetensors-loader.ts and copies it verbatim into every
// generated TypeScript module; the C++ loader (templates/cpp/runtime.hpp) follows the same rules.
//
// The rules: the header length first (at most 100,000,000 bytes), then a UTF-8 JSON object whose
// sizes and offsets are written as digits, no name listed twice; every tensor F32, its bytes the
// ones its shape needs, all of them covering the data section exactly (in order of offsets each
// begins where the one before ends; the last ends with the file). The file holds exactly the
// model's canonical tensors: a missing, misshapen or unexpected one (a name the model does not
// have) is refused, all of them named at once. A canonical tensor that no layer reads (one of a
// sub-layer the optimizer removed) is checked like the others and not used. Values must be finite.

/** The safetensors format's limit on the header, in bytes. */
export const MAX_HEADER_BYTES = 100_000_000;

/** A tensor the weights file must hold: its canonical name and PyTorch shape. */
export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/** A batchnorm's tensors in the weights file; it is folded into a Linear at load time. */
export interface BatchnormSpec {
  readonly gamma: string;
  readonly beta: string;
  readonly mean: string;
  readonly variance: string;
  readonly eps: number;
}

/** A batchnorm before the Linear: weight columns `column ..` read features `feature, feature + stride, ...`. */
export interface InputFoldSpec {
  readonly column: number;
  readonly count: number;
  readonly feature: number;
  readonly stride: number;
  readonly bn: BatchnormSpec;
}

/** A Linear and the batchnorms folded into it: before it (nearest first) and after it (innermost first). */
export interface LinearSpec {
  readonly weight: string;
  readonly bias: string;
  readonly units: number;
  readonly inFeatures: number;
  readonly foldIn: readonly InputFoldSpec[];
  readonly foldOut: readonly BatchnormSpec[];
}

/** A Linear's weight ([units, inFeatures], row-major) and bias, in float64. */
export interface Linear {
  readonly weight: Float64Array;
  readonly bias: Float64Array;
}

/** A weights file this model cannot use; the message names the tensor at fault. */
export class WeightsError extends Error {
  override readonly name = 'WeightsError';
  constructor(message: string) {
    super(`weights: ${message}`);
  }
}

const MAX_LABEL_CHARS = 120;

/** A tensor name from the file, quoted for a message: control characters escaped, long names cut. */
export function label(name: string): string {
  const cut = name.length > MAX_LABEL_CHARS ? `${name.slice(0, MAX_LABEL_CHARS)}...` : name;
  const escaped = cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029']/g, (c) =>
    c === "'" ? "\\'" : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `'${escaped}'`;
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Index just past the closing quote of the JSON string starting at `start`. */
function stringEnd(json: string, start: number): number {
  let i = start + 1;
  while (i < json.length && json[i] !== '"') i += json[i] === '\\' ? 2 : 1;
  return i + 1;
}

function nextNonSpace(json: string, from: number): string | undefined {
  let i = from;
  while (i < json.length && ' \t\n\r'.includes(json[i] ?? '')) i++;
  return json[i];
}

/** A repeated key in a JSON text, and the tensor whose entry holds it (undefined at the top level). */
export interface DuplicateKey {
  readonly key: string;
  readonly within: string | undefined;
}

/**
 * The first repeated key of any object in `json` (JSON.parse keeps the last one silently).
 * `json` must be valid JSON already; the scan is iterative, so deep nesting cannot overflow.
 */
export function findDuplicateKey(json: string): DuplicateKey | undefined {
  const stack: { readonly keys: Set<string> | undefined; readonly within: string | undefined }[] = [];
  let lastTopKey: string | undefined;
  let i = 0;
  while (i < json.length) {
    const c = json[i];
    if (c === '"') {
      const end = stringEnd(json, i);
      const top = stack[stack.length - 1];
      if (top?.keys && nextNonSpace(json, end) === ':') {
        const key = JSON.parse(json.slice(i, end)) as string;
        if (top.keys.has(key)) return { key, within: top.within };
        top.keys.add(key);
        if (stack.length === 1) lastTopKey = key;
      }
      i = end;
      continue;
    }
    if (c === '{' || c === '[') {
      const within = stack.length === 0 ? undefined : stack.length === 1 ? lastTopKey : stack[stack.length - 1]?.within;
      stack.push({ keys: c === '{' ? new Set() : undefined, within });
    } else if (c === '}' || c === ']') {
      stack.pop();
    }
    i++;
  }
  return undefined;
}

/** A size or offset in a header written other than as digits: `3.0`, `3e0`, `-0`. */
export interface MiswrittenCount {
  readonly tensor: string;
  readonly field: 'shape' | 'data_offsets';
  /** The number as the file writes it. */
  readonly text: string;
}

/**
 * The first number in a tensor's `shape` or `data_offsets` not written as plain digits.
 * JSON.parse reads `236.0` as 236 and `-0` as 0, so only the text tells. `json` is valid JSON.
 */
export function findMiswrittenCount(json: string): MiswrittenCount | undefined {
  // The key most recently read at each depth; arrays push undefined.
  const keys: (string | undefined)[] = [];
  const inObject: boolean[] = [];
  let pendingKey: string | undefined;
  let i = 0;
  while (i < json.length) {
    const c = json[i] ?? '';
    if (c === '"') {
      const end = stringEnd(json, i);
      if (inObject[inObject.length - 1] && nextNonSpace(json, end) === ':') pendingKey = JSON.parse(json.slice(i, end)) as string;
      i = end;
      continue;
    }
    if (c === '{' || c === '[') {
      keys.push(pendingKey);
      inObject.push(c === '{');
      pendingKey = undefined;
    } else if (c === '}' || c === ']') {
      keys.pop();
      inObject.pop();
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let end = i;
      while (end < json.length && '-+.eE0123456789'.includes(json[end] ?? '')) end++;
      const text = json.slice(i, end);
      // Depth 3: the header object, a tensor's entry, and its shape or data_offsets list.
      const [, tensor, field] = keys;
      if (keys.length === 3 && !inObject[2] && (field === 'shape' || field === 'data_offsets') && tensor !== undefined && tensor !== '__metadata__' && !/^[0-9]+$/.test(text)) {
        return { tensor, field, text };
      }
      i = end;
      continue;
    }
    i++;
  }
  return undefined;
}

interface Entry {
  readonly name: string;
  readonly shape: readonly number[];
  /** Offsets into the data section. */
  readonly begin: number;
  readonly end: number;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entryOf(name: string, value: unknown, dataBytes: number): Entry {
  const fail = (problem: string): never => {
    throw new WeightsError(`tensor ${label(name)}: ${problem}`);
  };
  if (!isObject(value)) return fail('its header entry is not an object with dtype, shape and data_offsets');
  const { dtype, shape, data_offsets: offsets } = value;
  if (dtype !== 'F32') return fail(`expected dtype F32, found ${typeof dtype === 'string' ? label(dtype) : 'none'}`);
  if (!Array.isArray(shape) || !shape.every(isCount)) return fail('shape must be a list of non-negative integers');
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) return fail('data_offsets must be two non-negative integers [begin, end]');
  const [begin = 0, end = 0] = offsets;
  if (begin > end) return fail(`data_offsets [${begin}, ${end}] end before they begin`);
  if (end > dataBytes) return fail(`data_offsets [${begin}, ${end}] run past the end of the data section (${dataBytes} bytes)`);
  const values = shape.reduce((a, d) => a * d, 1);
  if (end - begin !== 4 * values) return fail(`shape ${shapeText(shape)} of F32 needs ${4 * values} bytes, but data_offsets [${begin}, ${end}] hold ${end - begin}`);
  return { name, shape, begin, end };
}

function headerOf(bytes: Uint8Array): { readonly header: Record<string, unknown>; readonly dataStart: number } {
  if (bytes.length < 8) throw new WeightsError(`the file is ${bytes.length} bytes long, too short for the 8 bytes of its header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  // The limit of the format first, as its reference reader does.
  if (headerBytes > MAX_HEADER_BYTES) throw new WeightsError(`the header length ${headerBytes} is more than the limit of ${MAX_HEADER_BYTES} bytes`);
  if (headerBytes > bytes.length - 8) throw new WeightsError(`the header length ${headerBytes} runs past the end of the file (${bytes.length - 8} bytes follow the length field)`);
  let text = '';
  try {
    // ignoreBOM keeps a byte-order mark in the text, so JSON.parse refuses it as the format requires.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + headerBytes));
  } catch {
    throw new WeightsError('the header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    throw new WeightsError('the header is not valid JSON');
  }
  if (!isObject(header)) throw new WeightsError('the header is not a JSON object');
  const miswritten = findMiswrittenCount(text);
  if (miswritten) {
    const rule = miswritten.text.startsWith('-') ? 'non-negative integers' : 'whole numbers written without a fraction or exponent';
    throw new WeightsError(`tensor ${label(miswritten.tensor)}: ${miswritten.field} must hold ${rule}, found ${miswritten.text}`);
  }
  const twice = findDuplicateKey(text);
  if (twice) {
    throw new WeightsError(twice.within === undefined
      ? `tensor ${label(twice.key)} is listed twice in the header`
      : `tensor ${label(twice.within)} has the key ${label(twice.key)} twice in the header`);
  }
  return { header, dataStart: 8 + headerBytes };
}

/** In order of their offsets, each tensor begins where the one before ends; the last ends with the data. */
function checkCoverage(entries: readonly Entry[], dataBytes: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let before = '';
  for (const { name, begin, end } of sorted) {
    if (begin < covered) throw new WeightsError(`tensors ${label(before)} and ${label(name)} overlap in the data section`);
    if (begin > covered) throw new WeightsError(`tensor ${label(name)}: bytes ${covered} to ${begin} of the data section, before it, belong to no tensor`);
    covered = end;
    before = name;
  }
  if (covered !== dataBytes) {
    throw new WeightsError(`the data section has ${dataBytes} bytes, but its tensors end at byte ${covered}: the last ${dataBytes - covered} belong to no tensor`);
  }
}

/** Every missing, misshapen and unexpected tensor, one line each. */
function misfits(entries: readonly Entry[], specs: readonly TensorSpec[]): string[] {
  const found = new Map(entries.map((e) => [e.name, e]));
  const problems: string[] = [];
  for (const spec of specs) {
    const entry = found.get(spec.name);
    if (!entry) problems.push(`missing tensor ${label(spec.name)} (expected shape ${shapeText(spec.shape)})`);
    else if (shapeText(entry.shape) !== shapeText(spec.shape)) problems.push(`tensor ${label(spec.name)}: expected shape ${shapeText(spec.shape)}, found ${shapeText(entry.shape)}`);
  }
  const expected = new Set(specs.map((s) => s.name));
  const unexpected = entries.filter((e) => !expected.has(e.name)).map((e) => e.name).sort();
  for (const name of unexpected) problems.push(`unexpected tensor ${label(name)} (shape ${shapeText(found.get(name)?.shape ?? [])}): the model has no tensor of that name`);
  return problems;
}

/**
 * Parses a safetensors file that must hold exactly the tensors `specs` lists and returns their
 * values. Refuses anything else with a WeightsError naming the tensor at fault.
 */
export function readWeights(bytes: Uint8Array, specs: readonly TensorSpec[]): Map<string, Float32Array> {
  const { header, dataStart } = headerOf(bytes);
  const dataBytes = bytes.length - dataStart;
  const entries = Object.entries(header)
    .filter(([name]) => name !== '__metadata__')
    .map(([name, value]) => entryOf(name, value, dataBytes));
  checkCoverage(entries, dataBytes);
  const problems = misfits(entries, specs);
  if (problems.length === 1) throw new WeightsError(problems[0] ?? '');
  if (problems.length > 1) throw new WeightsError(`the file does not fit the model:\n  ${problems.join('\n  ')}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors = new Map<string, Float32Array>();
  for (const { name, begin, end } of entries) {
    const values = new Float32Array((end - begin) / 4);
    for (let i = 0; i < values.length; i++) {
      const value = view.getFloat32(dataStart + begin + 4 * i, true);
      if (!Number.isFinite(value)) throw new WeightsError(`tensor ${label(name)} holds ${value} at index ${i}; weights must be finite numbers`);
      values[i] = value;
    }
    tensors.set(name, values);
  }
  return tensors;
}

/** A batchnorm as a per-feature affine map: scale = gamma / sqrt(var + eps), shift = beta - mean * scale. */
export function batchnormAffine(bn: BatchnormSpec, tensor: (name: string) => ArrayLike<number>): { readonly scale: Float64Array; readonly shift: Float64Array } {
  const gamma = tensor(bn.gamma);
  const beta = tensor(bn.beta);
  const mean = tensor(bn.mean);
  const variance = tensor(bn.variance);
  const scale = new Float64Array(gamma.length);
  const shift = new Float64Array(gamma.length);
  for (let f = 0; f < gamma.length; f++) {
    const v = (variance[f] ?? 0) + bn.eps;
    if (!(v > 0)) throw new WeightsError(`tensor ${label(bn.variance)} holds ${variance[f]} at index ${f}: a running variance must be greater than -eps (${bn.eps})`);
    const s = (gamma[f] ?? 0) / Math.sqrt(v);
    scale[f] = s;
    shift[f] = (beta[f] ?? 0) - (mean[f] ?? 0) * s;
  }
  return { scale, shift };
}

/**
 * A Linear with its batchnorms folded in, in float64: for a fold before it, each column c of
 * its range (feature f) gives b[o] += W[o, c] * shift[f], W[o, c] *= scale[f]; for a fold after
 * it, W[o, :] *= scale[o], b[o] = b[o] * scale[o] + shift[o].
 */
export function foldLinear(spec: LinearSpec, tensor: (name: string) => ArrayLike<number>): Linear {
  const { units, inFeatures: cols } = spec;
  const weight = Float64Array.from(tensor(spec.weight));
  const bias = Float64Array.from(tensor(spec.bias));
  for (const fold of spec.foldIn) {
    const { scale, shift } = batchnormAffine(fold.bn, tensor);
    for (let o = 0; o < units; o++) {
      for (let i = 0; i < fold.count; i++) {
        const c = o * cols + fold.column + i;
        const f = fold.feature + i * fold.stride;
        const w = weight[c] ?? 0;
        bias[o] = (bias[o] ?? 0) + w * (shift[f] ?? 0);
        weight[c] = w * (scale[f] ?? 0);
      }
    }
  }
  for (const bn of spec.foldOut) {
    const { scale, shift } = batchnormAffine(bn, tensor);
    for (let o = 0; o < units; o++) {
      const s = scale[o] ?? 0;
      for (let c = o * cols; c < (o + 1) * cols; c++) weight[c] = (weight[c] ?? 0) * s;
      bias[o] = (bias[o] ?? 0) * s + (shift[o] ?? 0);
    }
  }
  return { weight, bias };
}
// ---- end of the weights loader ---------------------------------------------------------------
