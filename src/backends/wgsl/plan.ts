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
  /** What it holds, for comments and messages: `input`, `input.pixels`, `spinal1.out`, `dense1`. */
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
  /** The model's inputs in declaration order; their buffers come first. */
  readonly inputs: readonly InputPlan[];
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

/** One input of the model: the buffer the host writes it into, from a column (docs/wgsl.md). */
export interface InputPlan extends Location {
  readonly name: string;
  readonly size: number;
}

/**
 * Where the activations live. The first layout gives each input, each placed concatenation and
 * the hidden outputs a buffer of their own; when a layer would then bind more than
 * MAX_SOURCE_BUFFERS, the next layouts share one buffer among the activations, among the inputs
 * (the host packs them side by side), or both: then no layer reads more than two buffers.
 */
interface Layout {
  readonly packInputs: boolean;
  readonly oneActivationBuffer: boolean;
}

const LAYOUTS: readonly Layout[] = [
  { packInputs: false, oneActivationBuffer: false },
  { packInputs: false, oneActivationBuffer: true },
  { packInputs: true, oneActivationBuffer: false },
  { packInputs: true, oneActivationBuffer: true },
];

export function planModel(graph: Graph): ModelPlan {
  const layouts = graph.inputs.length > 1 ? LAYOUTS : LAYOUTS.filter((l) => !l.packInputs);
  let plan: ModelPlan | undefined;
  for (const layout of layouts) {
    plan = planWith(graph, layout);
    if (plan.layers.every((l) => l.sources.length <= MAX_SOURCE_BUFFERS)) return plan;
  }
  const widest = plan!.layers.reduce((a, b) => (b.sources.length > a.sources.length ? b : a));
  throw new Error(`wgsl backend: layer '${widest.layer}' reads ${widest.sources.length} buffers, more than the ${MAX_SOURCE_BUFFERS} a shader may bind`);
}

function planWith(graph: Graph, layout: Layout): ModelPlan {
  const buffers: ActivationBuffer[] = [];
  const inputs = inputPlans(graph, layout, buffers);
  const locations = new Map<string, Location>(graph.inputs.map((input, k) => [input.node, inputs[k]]));
  const activations = new Activations(buffers, layout.oneActivationBuffer);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const layers: LayerPlan[] = [];
  const idents = new NamePool();
  let result: Location | undefined;

  const resultProducer = graph.nodes[graph.nodes.length - 1].inputs[0];
  for (const node of graph.nodes) {
    if (node.op === 'dense') {
      const parts = node.inputs.map((id, k) => operandOf(byId.get(id)!, node.columns[k], locations));
      const operands = mergeParts<number, Operand>('wgsl', node, parts, (a, b, run) => ({ ...run, weightColumn: a.weightColumn, labels: [...a.labels, ...b.labels] }));
      const out = outputLocation(node, node.id === resultProducer, buffers, activations);
      locations.set(node.id, out);
      layers.push(layerPlan(node, operands, out, idents.take(layerIdentifier(node.layer))));
    } else if (node.op === 'output') {
      result = locations.get(node.inputs[0]);
    } else if (node.op !== 'slice' && node.op !== 'input') {
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
    inputs,
    buffers,
    layers,
    result,
  };
}

/** The first buffers: one per input, labelled by its node (`input` alone), or one for all, side by side. */
function inputPlans(graph: Graph, layout: Layout, buffers: ActivationBuffer[]): InputPlan[] {
  if (layout.packInputs) {
    buffers.push({ label: 'inputs', width: graph.inputSize });
    const plans: InputPlan[] = [];
    for (const { name, size } of graph.inputs) plans.push({ name, size, buffer: 0, column: plans.reduce((n, p) => n + p.size, 0) });
    return plans;
  }
  return graph.inputs.map(({ name, size, node }, buffer) => {
    buffers.push({ label: node, width: size });
    return { name, size, buffer, column: 0 };
  });
}

/** The shared buffer of the hidden outputs no concatenation placed (see outputLocation). */
const HIDDEN = 'hidden';
/** The one buffer of every activation but the result, in the layouts that share one. */
const SHARED = 'activations';

/**
 * Where a dense layer writes. A placed output goes to its concatenation's columns; the result gets
 * a buffer of its own (the host reads it whole); every other output is a column range of one
 * shared buffer, so a layer that reads the parts of an unplaced concatenation (say a block
 * whose output a batchnorm folded into its readers) binds one buffer for all of them, not one each.
 */
function outputLocation(node: DenseNode, isResult: boolean, buffers: ActivationBuffer[], activations: Activations): Location {
  const units = node.shape[0];
  if (isResult && !node.place) {
    buffers.push({ label: node.layer, width: units });
    return { buffer: buffers.length - 1, column: 0 };
  }
  if (!node.place) return activations.hidden(units);
  const start = activations.placed(node.place.buffer, node.place.width);
  return { buffer: start.buffer, column: start.column + node.place.column };
}

/**
 * The columns of the activation buffers: each placed concatenation a buffer of its own and the
 * hidden outputs one more, or (`shared`) all of them side by side in one buffer.
 */
class Activations {
  private readonly regions = new Map<string, Location>();
  private readonly made = new Map<string, number>();

  constructor(
    private readonly buffers: ActivationBuffer[],
    private readonly shared: boolean,
  ) {}

  /** Where placed concatenation `label`, `width` wide, starts. */
  placed(label: string, width: number): Location {
    let start = this.regions.get(label);
    if (!start) {
      start = this.append(this.shared ? SHARED : label, width);
      this.regions.set(label, start);
    }
    return start;
  }

  /** `units` columns of their own for an output no concatenation placed. */
  hidden(units: number): Location {
    return this.append(this.shared ? SHARED : HIDDEN, units);
  }

  /** `width` more columns at the end of buffer `label`, made when first asked for. */
  private append(label: string, width: number): Location {
    let buffer = this.made.get(label);
    if (buffer === undefined) {
      this.buffers.push({ label, width: 0 });
      buffer = this.buffers.length - 1;
      this.made.set(label, buffer);
    }
    const column = this.buffers[buffer].width;
    this.buffers[buffer] = { label, width: column + width };
    return { buffer, column };
  }
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
