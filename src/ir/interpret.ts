// The reference interpreter: evaluates any graph (optimized or not) in float64.
// It is the numerical truth every backend is tested against, so it favours clarity over speed.
import type { DenseNode, Graph, IrNode } from './graph.js';
import type { Weights } from '../tensor/tensor.js';
import { batchnormAffine, denseMatrices } from './materialize.js';
import { activate } from './activations.js';

/** Row-major [batch, features] values of each node. */
type Values = Map<string, Float64Array>;

/**
 * Runs `batch` samples (row-major `[batch, inputSize]`, a sample's inputs side by side in the
 * order of `graph.inputs`) and returns `[batch, outputSize]`.
 */
export function interpret(graph: Graph, weights: Weights, x: ArrayLike<number>, batch: number): Float64Array {
  if (x.length !== batch * graph.inputSize) {
    throw new Error(`interpret: expected ${batch} x ${graph.inputSize} inputs, got ${x.length} values`);
  }
  const values: Values = new Map();
  const inputs = splitInputs(graph, x, batch);
  for (const node of graph.nodes) values.set(node.id, node.op === 'input' ? inputs.get(node.id)! : evaluate(node, values, weights, batch));
  return values.get(graph.nodes[graph.nodes.length - 1].id)!;
}

/** Each input's `[batch, size]` block of a batch whose rows hold all inputs side by side. */
export function splitInputs(graph: Graph, x: ArrayLike<number>, batch: number): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  let offset = 0;
  for (const input of graph.inputs) {
    const part = new Float64Array(batch * input.size);
    for (let b = 0; b < batch; b++) for (let i = 0; i < input.size; i++) part[b * input.size + i] = x[b * graph.inputSize + offset + i];
    out.set(input.node, part);
    offset += input.size;
  }
  return out;
}

function evaluate(node: IrNode, values: Values, weights: Weights, batch: number): Float64Array {
  const n = node.shape[0];
  const arg = (k: number) => values.get(node.inputs[k])!;
  const widthOf = (k: number) => arg(k).length / batch;
  switch (node.op) {
    case 'input':
      throw new Error(`interpret: input node '${node.id}' is not one of the graph's inputs`);
    case 'slice': {
      const src = arg(0);
      const w = widthOf(0);
      const out = new Float64Array(batch * n);
      for (let b = 0; b < batch; b++) for (let i = 0; i < n; i++) out[b * n + i] = src[b * w + node.start + i * node.stride];
      return out;
    }
    case 'concat':
      return concatRows(node.inputs.map((_, k) => arg(k)), batch);
    case 'dense':
      return dense(node, node.inputs.map((_, k) => arg(k)), weights, batch);
    case 'batchnorm': {
      const { scale, shift } = batchnormAffine(node.params, weights);
      const out = Float64Array.from(arg(0));
      for (let i = 0; i < out.length; i++) out[i] = out[i] * scale[i % n] + shift[i % n];
      return out;
    }
    case 'activation': {
      const out = Float64Array.from(arg(0));
      activate(out, batch, n, node.activation);
      return out;
    }
    case 'dropout':
    case 'output':
      return arg(0);
  }
}

function concatRows(parts: readonly Float64Array[], batch: number): Float64Array {
  const widths = parts.map((p) => p.length / batch);
  const total = widths.reduce((a, b) => a + b, 0);
  const out = new Float64Array(batch * total);
  for (let b = 0; b < batch; b++) {
    let at = b * total;
    parts.forEach((p, k) => {
      out.set(p.subarray(b * widths[k], (b + 1) * widths[k]), at);
      at += widths[k];
    });
  }
  return out;
}

function dense(node: DenseNode, parts: readonly Float64Array[], weights: Weights, batch: number): Float64Array {
  const { weight, bias } = denseMatrices(node, weights);
  const units = node.shape[0];
  const cols = node.inFeatures;
  const out = new Float64Array(batch * units);
  parts.forEach((part, k) => {
    const width = part.length / batch;
    const col0 = node.columns[k];
    for (let b = 0; b < batch; b++) {
      for (let o = 0; o < units; o++) {
        let acc = 0;
        for (let i = 0; i < width; i++) acc += weight[o * cols + col0 + i] * part[b * width + i];
        out[b * units + o] += acc;
      }
    }
  });
  for (let b = 0; b < batch; b++) for (let o = 0; o < units; o++) out[b * units + o] += bias[o];
  activate(out, batch, units, node.activation);
  return out;
}
