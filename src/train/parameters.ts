// The model's tensors as tfjs variables. A Linear's weight is held as its transpose, the kernel
// [in, out] that x · kernel multiplies without a transpose: tfjs's kernels (forward and both
// gradients) are fastest that way, and its fused bias is only right that way on wasm. Weights
// files keep PyTorch's [out, in]; the transposes happen once, when training starts and ends.
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import type { Graph } from '../ir/graph.js';
import { tensorSpecs } from '../ir/tensors.js';
import { tensorRoles } from '../weights/roles.js';
import type { Tensor as WeightTensor, Weights } from '../tensor/tensor.js';
import type { Tf } from './tf.js';

/** Variables by canonical tensor name; batchnorm's running statistics are not trainable. */
export type Parameters = ReadonlyMap<string, Variable>;

/** The names of the Linear weights, held transposed. */
export function kernelNames(graph: Graph): ReadonlySet<string> {
  return new Set(graph.nodes.flatMap((n) => (n.op === 'dense' ? [n.weight] : [])));
}

export function makeParameters(tf: Tf, graph: Graph, weights: Weights): Map<string, Variable> {
  const roles = tensorRoles(graph);
  const kernels = kernelNames(graph);
  const params = new Map<string, Variable>();
  for (const spec of tensorSpecs(graph)) {
    const t = weights.get(spec.name);
    if (!t) throw new Error(`initial weights have no tensor '${spec.name}'`);
    const kind = roles.get(spec.name)?.kind;
    const trainable = kind !== 'bn-mean' && kind !== 'bn-variance';
    const value = tf.tidy(() => {
      const canonical = tf.tensor(Float32Array.from(t.data), [...spec.shape]);
      return kernels.has(spec.name) ? tf.transpose(canonical) : canonical;
    });
    params.set(spec.name, tf.variable(value, trainable));
    value.dispose();
  }
  return params;
}

/** A tensor of the variables' layout (a value or a gradient) in the weights file's layout. */
export function canonical(tf: Tf, kernels: ReadonlySet<string>, name: string, t: Tensor): Tensor {
  return kernels.has(name) ? tf.transpose(t) : t;
}

export function readWeights(tf: Tf, graph: Graph, params: Parameters): Weights {
  const kernels = kernelNames(graph);
  const out = new Map<string, WeightTensor>();
  for (const spec of tensorSpecs(graph)) {
    const data = tf.tidy(() => canonical(tf, kernels, spec.name, params.get(spec.name)!).dataSync() as Float32Array);
    out.set(spec.name, { shape: spec.shape, data: Float32Array.from(data) });
  }
  return out;
}
