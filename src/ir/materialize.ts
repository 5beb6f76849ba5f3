// The effective weights of a dense node: its stored Linear with every folded batchnorm applied.
// The arithmetic is the generated TypeScript loaders' own (runtime/safetensors-loader.ts);
// the C++ runtime mirrors it (test/backends/cpp/fold.test.ts holds the two to the same numbers).
import type { BatchnormParams, DenseNode, Graph } from './graph.js';
import type { Tensor, Weights } from '../tensor/tensor.js';
import { WeightsError, label } from '../tensor/errors.js';
import { batchnormAffine as affine, foldLinear } from '../runtime/safetensors-loader.js';

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

/** Per feature scale s = gamma / sqrt(var + eps) and shift t = beta - mean * s (the loaders' arithmetic). */
export function batchnormAffine(bn: BatchnormParams, weights: Weights): { scale: Float64Array; shift: Float64Array } {
  checkVariance(bn, weights);
  return affine(bn, (name) => tensor(weights, name).data);
}

/** The Linear of a dense node with its batchnorms folded in, by the loaders' own foldLinear. */
export function denseMatrices(node: DenseNode, weights: Weights): DenseMatrices {
  for (const bn of [...node.foldIn.map((f) => f.bn), ...node.foldOut]) checkVariance(bn, weights);
  return foldLinear({ ...node, units: node.shape[0] }, (name) => tensor(weights, name).data);
}
