// The optimized IR as an ONNX model: rows as Slice ops (a step for interleaved rows), each dense
// as a Gemm with its batchnorms folded into the initializers (denseMatrices, as the interpreter),
// the activation after it. Inputs and output are float32 `[batch, features]`: one graph input
// `input` for a model with one, else one per model input, named as in the source (onnxInputNames).
import type { DenseNode, Graph, IrNode, SliceNode } from '../../ir/graph.js';
import { denseMatrices } from '../../ir/materialize.js';
import type { Weights } from '../../tensor/tensor.js';
import { applyActivation } from './activation.js';
import { GraphBuilder } from './builder.js';
import { batchedFloat, floatTensor, int64Tensor, intAttribute, onnx, type ModelProto } from './proto.js';

export const OPSET = 17;
/** The graph input of a model with one input, whatever the source calls it. */
export const INPUT_NAME = 'input';
export const OUTPUT_NAME = 'output';

/**
 * The ONNX graph inputs of `graph`, in the order of graph.inputs (and of a packed batch):
 * `input` for a model with one input, else each input's own name. The output's name is not
 * available to an input.
 */
export function onnxInputNames(graph: Graph): string[] {
  if (graph.inputs.length === 1) return [INPUT_NAME];
  const names = graph.inputs.map((i) => i.name);
  const clash = names.find((name, k) => name === OUTPUT_NAME || names.indexOf(name) !== k);
  if (clash !== undefined) throw new Error(`onnx: model '${graph.name}' has an input named '${clash}', a name another value of the graph has`);
  return names;
}

/**
 * How a dense with several inputs (a sub-layer reading its row and the previous sub-layer,
 * the output layer reading the whole block) becomes ONNX:
 * - 'concat-gemm': Concat the parts, then one Gemm over the full weight;
 * - 'matmul-add': one MatMul per part against its column block of the weight, summed with Add.
 */
export type MultiInputStrategy = 'concat-gemm' | 'matmul-add';

export interface OnnxExportOptions {
  readonly strategy?: MultiInputStrategy;
  readonly producer?: string;
}

/** Chosen by bench/onnx.ts: see the ONNX Runtime section of bench/RESULTS.md. */
export const DEFAULT_STRATEGY: MultiInputStrategy = 'concat-gemm';

export function exportOnnx(graph: Graph, weights: Weights, options: OnnxExportOptions = {}): Uint8Array {
  const b = new GraphBuilder();
  // Reserved first so that no IR node (the output layer's dense is called 'output') takes them.
  const inputNames = onnxInputNames(graph);
  for (const name of inputNames) b.name(name);
  b.name(OUTPUT_NAME);
  const value = new Map<string, string>(graph.inputs.map((input, k) => [input.node, inputNames[k]]));
  for (const node of graph.nodes) value.set(node.id, lowerNode(b, node, value, weights, options.strategy ?? DEFAULT_STRATEGY));
  const last = graph.nodes[graph.nodes.length - 1];
  b.nodes.push({ opType: 'Identity', input: [value.get(last.inputs[0])!], output: [OUTPUT_NAME], name: OUTPUT_NAME });
  const model: ModelProto = {
    irVersion: onnx.Version.IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: options.producer ?? 'spinal',
    graph: {
      name: graph.name,
      node: b.nodes,
      initializer: b.initializers,
      input: graph.inputs.map((input, k) => batchedFloat(inputNames[k], input.size)),
      output: [batchedFloat(OUTPUT_NAME, graph.outputSize)],
    },
  };
  return onnx.ModelProto.encode(model).finish();
}

function lowerNode(b: GraphBuilder, node: IrNode, value: ReadonlyMap<string, string>, weights: Weights, strategy: MultiInputStrategy): string {
  switch (node.op) {
    case 'input': return value.get(node.id)!;
    case 'slice': return lowerSlice(b, node, value.get(node.inputs[0])!);
    case 'dense': return lowerDense(b, node, node.inputs.map((id) => value.get(id)!), weights, strategy);
    case 'output': return value.get(node.inputs[0])!;
    default: throw new Error(`onnx: node '${node.id}' (${node.op}) is not in the optimized IR; run optimize() first`);
  }
}

function lowerSlice(b: GraphBuilder, node: SliceNode, x: string): string {
  const end = node.start + (node.shape[0] - 1) * node.stride + 1;
  const inputs = [
    x,
    b.constant(int64Tensor(`${node.id}.starts`, [node.start])),
    b.constant(int64Tensor(`${node.id}.ends`, [end])),
    b.shared(int64Tensor('axes_features', [1])),
    b.constant(int64Tensor(`${node.id}.steps`, [node.stride])),
  ];
  return b.op('Slice', inputs, node.id);
}

function lowerDense(b: GraphBuilder, node: DenseNode, xs: readonly string[], weights: Weights, strategy: MultiInputStrategy): string {
  const { weight, bias } = denseMatrices(node, weights);
  const units = node.shape[0];
  const biasName = b.constant(floatTensor(`${node.layer}.bias`, [units], bias));
  const linear = node.activation === 'linear' ? node.id : `${node.id}.linear`;
  let y: string;
  if (xs.length === 1 || strategy === 'concat-gemm') {
    const x = xs.length === 1 ? xs[0] : b.op('Concat', xs, `${node.id}.in`, [intAttribute('axis', 1)]);
    const w = b.constant(floatTensor(`${node.layer}.weight`, [units, node.inFeatures], weight));
    // transB: the weight stays in PyTorch's [out, in] layout.
    y = b.op('Gemm', [x, w, biasName], linear, [intAttribute('transB', 1)]);
  } else {
    const parts = xs.map((x, k) => {
      const from = node.columns[k];
      const to = k + 1 < xs.length ? node.columns[k + 1] : node.inFeatures;
      const w = b.constant(floatTensor(`${node.layer}.weight.cols${from}`, [to - from, units], transposedColumns(weight, units, node.inFeatures, from, to)));
      return b.op('MatMul', [x, w], `${node.id}.part${k + 1}`);
    });
    const sum = parts.slice(1).reduce((acc, p, k) => b.op('Add', [acc, p], `${node.id}.sum${k + 2}`), parts[0]);
    y = b.op('Add', [sum, biasName], linear);
  }
  return applyActivation(b, node.activation, y, node.id);
}

/** Columns [from, to) of a row-major [units, cols] matrix, as a row-major [to - from, units] matrix. */
function transposedColumns(weight: Float64Array, units: number, cols: number, from: number, to: number): Float64Array {
  const out = new Float64Array((to - from) * units);
  for (let c = from; c < to; c++) for (let o = 0; o < units; o++) out[(c - from) * units + o] = weight[o * cols + c];
  return out;
}
