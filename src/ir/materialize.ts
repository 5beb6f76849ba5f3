// The effective weights of a dense node: its stored Linear with every folded batchnorm applied.
// The interpreter uses it; every backend's loader does the same arithmetic in its own language.
import type { BatchnormParams, DenseNode } from './graph.js';
import type { Tensor, Weights } from '../weights/tensor.js';

export interface DenseMatrices {
  /** Row-major [units, inFeatures]. */
  readonly weight: Float64Array;
  readonly bias: Float64Array;
}

function tensor(weights: Weights, name: string): Tensor {
  const t = weights.get(name);
  if (!t) throw new Error(`weights have no tensor '${name}'`);
  return t;
}

/** Per feature scale s = gamma / sqrt(var + eps) and shift t = beta - mean * s. */
export function batchnormAffine(bn: BatchnormParams, weights: Weights): { scale: Float64Array; shift: Float64Array } {
  const gamma = tensor(weights, bn.gamma).data;
  const beta = tensor(weights, bn.beta).data;
  const mean = tensor(weights, bn.mean).data;
  const variance = tensor(weights, bn.variance).data;
  const scale = new Float64Array(bn.features);
  const shift = new Float64Array(bn.features);
  for (let f = 0; f < bn.features; f++) {
    scale[f] = gamma[f] / Math.sqrt(variance[f] + bn.eps);
    shift[f] = beta[f] - mean[f] * scale[f];
  }
  return { scale, shift };
}

export function denseMatrices(node: DenseNode, weights: Weights): DenseMatrices {
  const units = node.shape[0];
  const cols = node.inFeatures;
  const weight = Float64Array.from(tensor(weights, node.weight).data);
  const bias = Float64Array.from(tensor(weights, node.bias).data);
  for (const fold of node.foldIn) {
    const { scale, shift } = batchnormAffine(fold.bn, weights);
    for (let o = 0; o < units; o++) {
      for (let i = 0; i < fold.count; i++) {
        const c = fold.column + i;
        const f = fold.feature + i * fold.stride;
        bias[o] += weight[o * cols + c] * shift[f];
        weight[o * cols + c] *= scale[f];
      }
    }
  }
  for (const bn of node.foldOut) {
    const { scale, shift } = batchnormAffine(bn, weights);
    for (let o = 0; o < units; o++) {
      for (let c = 0; c < cols; c++) weight[o * cols + c] *= scale[o];
      bias[o] = bias[o] * scale[o] + shift[o];
    }
  }
  return { weight, bias };
}
