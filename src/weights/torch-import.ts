// A state_dict of the paper's official code, from a torch.save checkpoint (.pt, .pth) or a
// safetensors file, to canonical weights. F32 tensors are taken as they are; F64, F16 and BF16
// ones are converted to float32 (exactly for F16 and BF16, rounded for F64); any other dtype in
// a mapped tensor is refused. Unmapped tensors (a CNN backbone, say) are listed, never decoded,
// and from a checkpoint never even read.
import { statSync } from 'node:fs';
import type { ModelSpec, SpinalSpec } from '../check/spec.js';
import { FLOAT_DTYPES, toFloat32 } from './dtype.js';
import { WeightsError, formatShape, label } from '../tensor/errors.js';
import { checkFinite } from './finite.js';
import { readBinaryFile } from './files.js';
import { parseLayout } from './safetensors-layout.js';
import type { Tensor, TensorSpec, Weights } from '../tensor/tensor.js';
import { mapTorchNames, type Family, type NameMap, type TorchNameMap } from './torch-names.js';
import { option } from '../diagnostics/option.js';

export interface TorchImportOptions {
  /** The prefix of the head's names (`fc.`, `classifier.`); detected when not given. */
  readonly prefix?: string;
  /** Names the official schemes do not cover. */
  readonly map?: NameMap;
  /** Accept NaN and infinite values. */
  readonly allowNonFinite?: boolean;
}

export interface TorchImport extends TorchNameMap {
  /** Canonical names, float32 data. Not yet checked against a model: see checkWeights. */
  readonly weights: Weights;
  /** Source tensors converted from another float dtype, with that dtype. */
  readonly converted: ReadonlyMap<string, string>;
}

export interface SourceInfo {
  readonly name: string;
  readonly shape: readonly number[];
  /** The safetensors name of its dtype. */
  readonly dtype: string;
}

/** The tensors of a file, their values read on demand. */
export interface TorchSource {
  readonly format: 'torch' | 'safetensors';
  /** For a training checkpoint, the key its state_dict was found under. */
  readonly key: string | undefined;
  readonly tensors: readonly SourceInfo[];
  /** Values of the state_dict that are not tensors. */
  readonly skipped: readonly string[];
  float32(name: string): Promise<Float32Array>;
  close(): void;
}

/** The sync path for safetensors bytes already in memory. */
export function importTorchWeights(bytes: Uint8Array, options: TorchImportOptions = {}): TorchImport {
  const source = safetensorsSource(bytes);
  const names = mapTorchNames(source.tensors, options);
  const weights = new Map<string, Tensor>();
  const converted = new Map<string, string>();
  for (const t of source.tensors) {
    const canonical = names.mapping.get(t.name);
    if (canonical === undefined) continue;
    weights.set(canonical, { shape: t.shape, data: convert(t, source.decode(t.name), options, converted) });
  }
  return { ...names, weights, converted };
}

/** Opens a .pt/.pth checkpoint or a safetensors file, telling them apart by their first bytes. */
export async function openTorchSource(path: string, options: { key?: string } = {}): Promise<TorchSource> {
  const { TorchCheckpoint, sniff } = await import('../torch/checkpoint.js');
  // A zip is read at random, so only a regular file can be one; anything else, and a file that
  // cannot be opened, goes to the safetensors reader, which reads pipes and says what is wrong.
  let kind = 'other';
  try {
    if (statSync(path).isFile()) kind = sniff(path);
  } catch {
    kind = 'other';
  }
  if (kind === 'other') {
    if (options.key !== undefined) throw new WeightsError(`${option('key')} chooses a state_dict inside a .pt checkpoint; this is a safetensors file`);
    const source = safetensorsSource(readBinaryFile(path));
    return { ...source, float32: async (name) => source.decode(name) };
  }
  const checkpoint = await TorchCheckpoint.open(path, options);
  const byName = new Map(checkpoint.tensors.map((t) => [t.name, t]));
  return {
    format: 'torch',
    key: checkpoint.key,
    tensors: checkpoint.tensors.map((t) => ({ name: t.name, shape: t.shape, dtype: t.dtype })),
    skipped: checkpoint.skipped,
    float32: (name) => checkpoint.float32(byName.get(name)!),
    close: () => checkpoint.close(),
  };
}

/** Reads and converts the mapped tensors only. */
export async function loadTorchImport(source: TorchSource, names: TorchNameMap, options: TorchImportOptions = {}): Promise<TorchImport> {
  const weights = new Map<string, Tensor>();
  const converted = new Map<string, string>();
  for (const t of source.tensors) {
    const canonical = names.mapping.get(t.name);
    if (canonical === undefined) continue;
    weights.set(canonical, { shape: t.shape, data: convert(t, await source.float32(t.name), options, converted) });
  }
  return { ...names, weights, converted };
}

function convert(t: SourceInfo, data: Float32Array, options: TorchImportOptions, converted: Map<string, string>): Float32Array {
  if (!options.allowNonFinite) checkFinite(t.name, data);
  if (t.dtype !== 'F32' && FLOAT_DTYPES.has(t.dtype)) converted.set(t.name, t.dtype);
  return data;
}

function safetensorsSource(bytes: Uint8Array): Omit<TorchSource, 'float32'> & { decode(name: string): Float32Array } {
  const layout = parseLayout(bytes);
  const entries = new Map(layout.entries.map((e) => [e.name, e]));
  return {
    format: 'safetensors',
    key: undefined,
    tensors: layout.entries.map((e) => ({ name: e.name, shape: e.shape, dtype: e.dtype })),
    skipped: [],
    decode: (name) => {
      const e = entries.get(name)!;
      return toFloat32(e.name, e.dtype, bytes.subarray(e.begin, e.end));
    },
    close: () => {},
  };
}

/**
 * Model tensors no source tensor was mapped to, each with the unmapped source tensors of its
 * shape, when there are any: the cases a name map (--map) settles.
 */
export function candidateProblems(specs: readonly TensorSpec[], names: TorchNameMap, tensors: readonly SourceInfo[]): string[] {
  const targets = new Set(names.mapping.values());
  const unmapped = new Set(names.unmapped);
  const free = tensors.filter((t) => unmapped.has(t.name));
  const problems: string[] = [];
  for (const spec of specs) {
    if (targets.has(spec.name)) continue;
    const fits = free.filter((t) => t.shape.length === spec.shape.length && t.shape.every((d, i) => d === spec.shape[i]));
    if (fits.length === 0) continue;
    const shown = fits.slice(0, 8).map((t) => `${label(t.name)} ${formatShape(t.shape)}`).join(', ');
    problems.push(`${label(spec.name)} ${formatShape(spec.shape)} is named by no source tensor; candidates of its shape: ${shown}${fits.length > 8 ? `, and ${fits.length - 8} more` : ''}`);
  }
  return problems;
}

/**
 * Where the source is an official family, whether the model reads its features the family's
 * way: Arch2's blocks joined in the script's order (joinOrderProblem), and the rows of the spinal
 * blocks it names (the first, or Arch2's three, where placeBlocks put them): the ResNet heads
 * read interleaved rows, the others consecutive ones.
 */
export function rowLayoutProblem(family: Family | undefined, spec: ModelSpec, blocks: readonly number[] = scriptOrder(family)): string | undefined {
  if (!family) return undefined;
  const join = joinOrderProblem(family, spec, blocks);
  if (join) return join;
  const interleaved = family.rows === 'interleaved';
  const block = spec.layers.find((l): l is SpinalSpec => l.kind === 'spinal' && blocks.includes(l.index) && l.interleaved !== interleaved);
  if (!block) return undefined;
  const split = `split ${block.ratios.join(':')}`;
  const who = family.blocks > 1 ? `model '${spec.name}' (its block spinal${block.index})` : `model '${spec.name}'`;
  return interleaved
    ? `the source names are those of the official ResNet head (${family.names}), whose rows are dealt out in turn (channel-major positions of a 2x2 map), but ${who} cuts its input into consecutive rows: write \`${split} interleaved\`, or its numbers will not be the official model's`
    : `the source names are those of the official ${family.names} head, whose rows are consecutive, but ${who} deals its input out in turn: remove \`interleaved\` from \`${split} interleaved\`, or its numbers will not be the official model's`;
}

/** The family's blocks as spinal1, spinal2, ... in the script's order. */
function scriptOrder(family: Family | undefined): number[] {
  return Array.from({ length: family?.blocks ?? 0 }, (_, j) => j + 1);
}

/**
 * A family of several blocks (Arch2) feeds the next Linear (`fc2`, the model's dense1) their
 * outputs side by side in the script's order: a model joining them in another order has
 * weights of the same shapes and other numbers. A model without those layers is left to the
 * shape check.
 */
function joinOrderProblem(family: Family, spec: ModelSpec, blocks: readonly number[]): string | undefined {
  const byIndex = new Map(spec.layers.filter((l): l is SpinalSpec => l.kind === 'spinal').map((l) => [l.index, l]));
  const placed = blocks.map((i) => byIndex.get(i));
  const dense = spec.layers.find((l) => l.kind === 'dense' && l.index === 1);
  if (family.blocks < 2 || !dense || placed.some((b) => b === undefined)) return undefined;
  const want = placed.map((b) => b!.value);
  if (dense.reads.length === want.length && dense.reads.every((r, i) => r === want[i])) return undefined;
  const order = blocks.map((i) => `spinal${i}`).join(', ');
  const named = want.every((v) => !v.startsWith('#'));
  return `the source names are those of the official ${family.names} head, whose first dense layer reads the blocks' outputs side by side in the script's order (here ${order}), but model '${spec.name}' joins other values: ${named ? `write \`from ${want.join(', ')}\`` : 'name the blocks and read them in that order with `from`'} on its first dense layer, or its numbers will not be the official model's`;
}

/**
 * A family of several blocks names them in the script's order (Arch2: `fcp2`, `fcp`, `fc1`); a
 * model may declare them in another. Their rows differ in width (392, 720, 160), so each source
 * block goes to the model block whose first sub-layer has the shape of its first module's
 * weight, when exactly one has and the blocks so placed are all different; otherwise the
 * script's order stands and the shape check reports what differs. Tensors named by --map are
 * left as given.
 */
export function placeBlocks(names: TorchNameMap, specs: readonly TensorSpec[], tensors: readonly SourceInfo[]): TorchNameMap {
  const order = scriptOrder(names.family);
  if (order.length < 2) return { ...names, blocks: order };
  const shapeOf = new Map(tensors.map((t) => [t.name, t.shape]));
  const sourceOf = new Map([...names.mapping].filter(([source]) => !names.mapped.has(source)).map(([source, target]) => [target, source]));
  const firstSubLayers = specs.flatMap((t) => {
    const m = /^spinal(\d+)\.sub1\.weight$/.exec(t.name);
    return m ? [{ block: Number(m[1]), shape: t.shape }] : [];
  });
  const placed = order.map((j) => {
    const shape = shapeOf.get(sourceOf.get(`spinal${j}.sub1.weight`) ?? '');
    const fits = firstSubLayers.filter((f) => shape !== undefined && f.shape.length === shape.length && f.shape.every((d, i) => d === shape[i]));
    return fits.length === 1 ? fits[0].block : undefined;
  });
  if (placed.some((i) => i === undefined) || new Set(placed).size !== placed.length) return { ...names, blocks: order };
  const blocks = placed as number[];
  const mapping = new Map<string, string>();
  for (const [source, target] of names.mapping) {
    const m = /^spinal(\d+)\.(.*)$/.exec(target);
    mapping.set(source, m && !names.mapped.has(source) && Number(m[1]) <= order.length ? `spinal${blocks[Number(m[1]) - 1]}.${m[2]}` : target);
  }
  return { ...names, mapping, blocks };
}

/**
 * A tied sub-layer has no Linear of its own (the model's `tie`), so what a family maps onto its
 * weight and bias is set aside, never imported: the official regression head defines fc5 and fc6
 * but its forward() calls fc3 and fc4 in their place, so their tensors are initial values nothing
 * trained. A head that defines one module for several sub-layers (one fc2 for sub-layers 2 to 8)
 * maps onto the owner's names as it is. Tensors named by --map are left as given.
 */
export function setAsideTied(names: TorchNameMap, spec: ModelSpec): TorchNameMap {
  const tiedNames = new Set<string>();
  for (const layer of spec.layers) {
    if (layer.kind !== 'spinal' || !layer.ties) continue;
    for (const j of Object.keys(layer.ties)) for (const p of ['weight', 'bias']) tiedNames.add(`spinal${layer.index}.sub${j}.${p}`);
  }
  const mapping = new Map(names.mapping);
  const tied: string[] = [];
  for (const [source, target] of names.mapping) {
    if (tiedNames.has(target) && !names.mapped.has(source)) {
      mapping.delete(source);
      tied.push(source);
    }
  }
  return { ...names, mapping, tied: tied.sort() };
}
