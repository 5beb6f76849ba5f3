// The peer of the tfjs benchmarks: a spinal graph written by hand with @tensorflow/tfjs-layers
// (functional API: a slice layer per row, concatenate layers for each sub-layer's input and for
// the block output, Dense layers with fused bias and activation), as a Keras user would write it.
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { denseMatrices } from '../src/ir/materialize.js';
import type { DenseNode, Graph } from '../src/ir/graph.js';
import type { Weights } from '../src/tensor/tensor.js';

type Tf = typeof import('@tensorflow/tfjs-core');
type Tensor2D = import('@tensorflow/tfjs-core').Tensor2D;

/** A column slice as a tfjs-layers layer: tfjs-layers has no Lambda or Slice layer. */
class ColumnSlice extends tfl.layers.Layer {
  static readonly className = 'ColumnSlice';
  constructor(private readonly begin: number, private readonly size: number, name: string) {
    super({ name });
  }
  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return [(inputShape as tfl.Shape)[0], this.size];
  }
  override call(inputs: import('@tensorflow/tfjs-core').Tensor | import('@tensorflow/tfjs-core').Tensor[]) {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as Tensor2D;
    return tfc.slice(x, [0, this.begin], [-1, this.size]);
  }
}

/**
 * The optimized graph as a tfjs-layers model: each dense reads the concatenation of its inputs,
 * as a hand-written Keras-style SpinalNet does. Weights are the folded ones, transposed to kernels.
 */
export function layersModel(tf: Tf, graph: Graph, weights: Weights): tfl.LayersModel {
  const input = tfl.input({ shape: [graph.inputSize], name: 'x' });
  const outputs = new Map<string, tfl.SymbolicTensor>([[graph.nodes[0].id, input]]);
  const assignments: [tfl.layers.Layer, DenseNode][] = [];
  for (const node of graph.nodes) {
    const id = node.id.replace(/\./g, '_');
    if (node.op === 'slice') {
      if (node.stride !== 1) throw new Error('the benchmark samples have contiguous rows only');
      outputs.set(node.id, new ColumnSlice(node.start, node.shape[0], id).apply(outputs.get(node.inputs[0])!) as tfl.SymbolicTensor);
    } else if (node.op === 'dense') {
      const parts = node.inputs.map((i) => outputs.get(i)!);
      const joined = parts.length === 1 ? parts[0] : (tfl.layers.concatenate({ name: `${id}_in` }).apply(parts) as tfl.SymbolicTensor);
      const act = node.activation === 'linear' ? 'linear' : node.activation === 'relu' ? 'relu' : undefined;
      if (!act) throw new Error(`activation ${node.activation} is not in the benchmark samples`);
      const layer = tfl.layers.dense({ units: node.shape[0], activation: act, name: id });
      outputs.set(node.id, layer.apply(joined) as tfl.SymbolicTensor);
      assignments.push([layer, node]);
    }
  }
  const last = graph.nodes[graph.nodes.length - 1];
  const model = tfl.model({ inputs: input, outputs: outputs.get(last.inputs[0])! });
  for (const [layer, node] of assignments) {
    const { weight, bias } = denseMatrices(node, weights);
    const units = node.shape[0];
    const kernel = tf.transpose(tf.tensor2d(Float32Array.from(weight), [units, node.inFeatures]));
    layer.setWeights([kernel, tf.tensor1d(Float32Array.from(bias))]);
  }
  return model;
}

