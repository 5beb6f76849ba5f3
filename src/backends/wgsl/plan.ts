// From the optimized graph to what the WGSL backend emits: activation buffers, and for every
// dense layer the operands it reads in place (offset and stride into a buffer) and the slot it
// writes. Pure data, shared by the shader and the host templates.
import type { Activation, DenseNode, Graph, IrNode } from '../../ir/graph.js';
import { tensorSpecs } from '../../ir/tensors.js';
import { NamePool } from '../name-pool.js';
import { mergeParts } from '../operands.js';
import type { TensorSpec } from '../../tensor/tensor.js';
import { layerIdentifier } from './names.js';

/** A storage buffer of activations: `width` floats per sample, row-major over the batch. */
export interface ActivationBuffer {
  /** What it holds, for comments and messages: `input`, `spinal1.out`, `dense1`. */
  readonly label: string;
  readonly width: number;
}

/** A run of features read in place: element i of sample s is `buffer[s * width + column + i * stride]`. */
export interface Operand {
  readonly buffer: number;
  readonly column: number;
  readonly stride: number;
  readonly count: number;
  /** The first weight column these features meet. */
  readonly weightColumn: number;
  /** The graph nodes it covers, for comments. */
  readonly labels: readonly string[];
}

/** The batchnorms of a dense node, by tensor name, folded at load time (docs/ir.md). */
export interface FoldPlan {
  readonly gamma: string;
  readonly beta: string;
  readonly mean: string;
  readonly variance: string;
  readonly eps: number;
}

export interface InputFoldPlan extends FoldPlan {
  readonly column: number;
  readonly count: number;
  readonly feature: number;
  readonly stride: number;
}

/** How the batch-1 kernel splits a layer: `lanes` units per workgroup, `slices` ways along K. */
export interface VectorShape {
  readonly lanes: number;
  readonly slices: number;
}

export interface LayerPlan {
  /** The source layer, e.g. `spinal1.sub2`. */
  readonly layer: string;
  /** A WGSL and TypeScript identifier made by the compiler, never from user text. */
  readonly ident: string;
  readonly units: number;
  readonly inFeatures: number;
  readonly activation: Activation;
  readonly macs: number;
  readonly weight: string;
  readonly bias: string;
  readonly foldIn: readonly InputFoldPlan[];
  readonly foldOut: readonly FoldPlan[];
  readonly operands: readonly Operand[];
  /** Buffers bound read-only, in binding order (the output buffer is never among them). */
  readonly sources: readonly number[];
  readonly out: { readonly buffer: number; readonly column: number };
  readonly vector: VectorShape;
}

export interface ModelPlan {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly macs: number;
  readonly tensors: readonly TensorSpec[];
  /** Buffer 0 is the input. */
  readonly buffers: readonly ActivationBuffer[];
  readonly layers: readonly LayerPlan[];
  /** Where the model's output lies. */
  readonly result: { readonly buffer: number; readonly column: number };
}

/** Threads of the `_vector` workgroup (the widest); the core default limit is 256. */
export const WORKGROUP_THREADS = 256;
/** Samples and units per workgroup of the batch kernels: 8 x 8 threads, 4 x 4 outputs each. */
export const TILE = 32;
/** Columns of x (rows of W) per step of a `_tiled` kernel. */
export const TILE_K = 32;
/** Floats per staged row of x: one more than TILE_K, so the rows fall in different memory banks. */
export const X_PITCH = TILE_K + 1;
/** Bytes of workgroup storage of each batch kernel's entry points at most (with `_vector`'s). */
export const WORKGROUP_STORAGE_BYTES = { tiled: (TILE * X_PITCH + TILE_K * TILE) * 4, register: WORKGROUP_THREADS * 4 } as const;
/** Read-only storage bindings a layer may use besides its parameters and output (core limit 8). */
export const MAX_SOURCE_BUFFERS = 5;

interface Location {
  readonly buffer: number;
  readonly column: number;
}

export function planModel(graph: Graph): ModelPlan {
  const buffers: ActivationBuffer[] = [{ label: 'input', width: graph.inputSize }];
  const placeBuffers = new Map<string, number>();
  const locations = new Map<string, Location>();
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const layers: LayerPlan[] = [];
  const idents = new NamePool();
  let result: Location | undefined;

  const resultProducer = graph.nodes[graph.nodes.length - 1].inputs[0];
  for (const node of graph.nodes) {
    if (node.op === 'input') {
      locations.set(node.id, { buffer: 0, column: 0 });
    } else if (node.op === 'dense') {
      const parts = node.inputs.map((id, k) => operandOf(byId.get(id)!, node.columns[k], locations));
      const operands = mergeParts<number, Operand>('wgsl', node, parts, (a, b, run) => ({ ...run, weightColumn: a.weightColumn, labels: [...a.labels, ...b.labels] }));
      const out = outputLocation(node, node.id === resultProducer, buffers, placeBuffers);
      locations.set(node.id, out);
      layers.push(layerPlan(node, operands, out, idents.take(layerIdentifier(node.layer))));
    } else if (node.op === 'output') {
      result = locations.get(node.inputs[0]);
    } else if (node.op !== 'slice') {
      throw new Error(`wgsl backend: node '${node.id}' (${node.op}) is not in the optimized IR; run optimize() first`);
    }
  }
  if (!result) throw new Error('wgsl backend: the graph has no output node');
  return {
    name: graph.name,
    inputSize: graph.inputSize,
    outputSize: graph.outputSize,
    macs: layers.reduce((sum, l) => sum + l.macs, 0),
    tensors: tensorSpecs(graph),
    buffers,
    layers,
    result,
  };
}

/** The shared buffer of the hidden outputs no concatenation placed (see outputLocation). */
const HIDDEN = 'hidden';

/**
 * Where a dense layer writes. A placed output goes to its concatenation's buffer; the result gets
 * a buffer of its own (the host reads it whole); every other output is a column range of one
 * shared buffer, so a layer that reads the parts of an unplaced concatenation (say a block
 * whose output a batchnorm folded into its readers) binds one buffer for all of them, not one each.
 */
function outputLocation(node: DenseNode, isResult: boolean, buffers: ActivationBuffer[], placeBuffers: Map<string, number>): Location {
  const units = node.shape[0];
  if (isResult && !node.place) {
    buffers.push({ label: node.layer, width: units });
    return { buffer: buffers.length - 1, column: 0 };
  }
  const [label, column, width] = node.place ? [node.place.buffer, node.place.column, node.place.width] : [HIDDEN, undefined, units];
  let buffer = placeBuffers.get(label);
  if (buffer === undefined) {
    buffers.push({ label, width: node.place ? width : 0 });
    buffer = buffers.length - 1;
    placeBuffers.set(label, buffer);
  }
  if (column !== undefined) return { buffer, column };
  const hidden = buffers[buffer];
  buffers[buffer] = { label, width: hidden.width + units };
  return { buffer, column: hidden.width };
}

function operandOf(node: IrNode, weightColumn: number, locations: ReadonlyMap<string, Location>): Operand {
  if (node.op === 'slice') {
    const source = locations.get(node.inputs[0]);
    if (!source) throw new Error(`wgsl backend: slice '${node.id}' reads '${node.inputs[0]}', which has no buffer`);
    return { buffer: source.buffer, column: source.column + node.start, stride: node.stride, count: node.shape[0], weightColumn, labels: [node.id] };
  }
  const at = locations.get(node.id);
  if (!at) throw new Error(`wgsl backend: '${node.id}' (${node.op}) is read before it is computed`);
  return { buffer: at.buffer, column: at.column, stride: 1, count: node.shape[0], weightColumn, labels: [node.layer] };
}

function layerPlan(node: DenseNode, operands: readonly Operand[], out: Location, ident: string): LayerPlan {
  const sources = [...new Set(operands.map((o) => o.buffer).filter((b) => b !== out.buffer))];
  if (sources.length > MAX_SOURCE_BUFFERS) {
    throw new Error(`wgsl backend: layer '${node.layer}' reads ${sources.length} buffers, more than the ${MAX_SOURCE_BUFFERS} a shader may bind`);
  }
  const units = node.shape[0];
  return {
    layer: node.layer,
    ident,
    units,
    inFeatures: node.inFeatures,
    activation: node.activation,
    macs: units * node.inFeatures,
    weight: node.weight,
    bias: node.bias,
    foldIn: node.foldIn.map((f) => ({ ...foldPlan(f.bn), column: f.column, count: f.count, feature: f.feature, stride: f.stride })),
    foldOut: node.foldOut.map(foldPlan),
    operands,
    sources,
    out,
    vector: vectorShape(units),
  };
}

function foldPlan(bn: DenseNode['foldOut'][number]): FoldPlan {
  return { gamma: bn.gamma, beta: bn.beta, mean: bn.mean, variance: bn.variance, eps: bn.eps };
}

/** Up to 64 units side by side; the rest of the 256 threads split the dot products. */
export function vectorShape(units: number): VectorShape {
  let lanes = 1;
  while (lanes < units && lanes < 64) lanes *= 2;
  return { lanes, slices: WORKGROUP_THREADS / lanes };
}
