// The effective weights of a dense node: its stored Linear with every folded batchnorm applied.
// The interpreter uses it; every backend's loader does the same arithmetic in its own language.
import type { BatchnormParams, DenseNode, Graph } from './graph.js';
import type { Tensor, Weights } from '../weights/tensor.js';
import { WeightsError, label } from '../weights/errors.js';

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

/**
 * Refuses a running variance with var + eps <= 0 (in float64, as every loader computes it):
 * sqrt of it is NaN or 0, and the model would answer NaN or infinity for every input.
 */
export function checkVariance(bn: BatchnormParams, weights: Weights): void {
  const variance = tensor(weights, bn.variance).data;
  for (let f = 0; f < bn.features; f++) {
    if (!(variance[f] + bn.eps > 0)) {
      throw new WeightsError(`tensor ${label(bn.variance)} holds ${variance[f]} at index ${f}: a running variance must be greater than -eps (${bn.eps})`);
    }
  }
}

/** Every batchnorm of a graph, as a node or folded into a Linear, once each. */
export function graphBatchnorms(graph: Graph): BatchnormParams[] {
  const found = new Map<string, BatchnormParams>();
  for (const node of graph.nodes) {
    const bns = node.op === 'batchnorm' ? [node.params] : node.op === 'dense' ? [...node.foldOut, ...node.foldIn.map((f) => f.bn)] : [];
    for (const bn of bns) found.set(bn.variance, bn);
  }
  return [...found.values()];
}

/** checkVariance for every batchnorm of the graph. */
export function checkBatchnorms(graph: Graph, weights: Weights): void {
  for (const bn of graphBatchnorms(graph)) checkVariance(bn, weights);
}

/** Per feature scale s = gamma / sqrt(var + eps) and shift t = beta - mean * s. */
export function batchnormAffine(bn: BatchnormParams, weights: Weights): { scale: Float64Array; shift: Float64Array } {
  checkVariance(bn, weights);
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
