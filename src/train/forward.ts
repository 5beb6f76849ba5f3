// The training graph: the unoptimized IR read a second time, as tfjs operations that autodiff
// can differentiate. Training mode follows PyTorch's: inverted dropout, batchnorm on the batch
// mean and biased batch variance (the running statistics are updated by the caller from
// `batchStats`); evaluation mode uses the running statistics and no dropout.
import type { Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import type { Activation, BatchnormParams, Graph, IrNode } from '../ir/graph.js';
import { isSoftmax, LEAKY_RELU_SLOPE } from '../ir/activations.js';
import type { Parameters } from './parameters.js';
import type { Tf } from './tf.js';

export interface ForwardOptions {
  readonly training: boolean;
  /** Dropout's keep mask, already scaled by 1 / (1 - p), for a node in training mode. */
  readonly dropoutMask?: (node: IrNode & { op: 'dropout' }, rows: number) => Tensor2D;
  /** Leave the output layer's softmax out: the loss reads logits. */
  readonly logits?: boolean;
}

export interface BatchStats {
  readonly bn: BatchnormParams;
  readonly mean: Tensor1D;
  /** Biased (divided by the batch size), as used to normalize. */
  readonly variance: Tensor1D;
}

export interface ForwardResult {
  readonly output: Tensor2D;
  /** Training mode only: each batchnorm's batch statistics, for the running update. */
  readonly batchStats: readonly BatchStats[];
}

export function forward(tf: Tf, graph: Graph, params: Parameters, x: Tensor2D, options: ForwardOptions): ForwardResult {
  const values = new Map<string, Tensor2D>();
  const batchStats: BatchStats[] = [];
  const rows = x.shape[0];
  const param = (name: string) => {
    const p = params.get(name);
    if (!p) throw new Error(`training: no tensor '${name}'`);
    return p;
  };
  const last = graph.nodes[graph.nodes.length - 1];
  const fromInput = inputOnly(graph);
  const inputs = inputColumns(graph);
  for (const node of graph.nodes) {
    const arg = (k: number) => values.get(node.inputs[k])!;
    let y: Tensor2D;
    switch (node.op) {
      case 'input': {
        // A batch holds every input side by side (graph.ts): an input is its columns.
        const columns = inputs.get(node.id);
        if (!columns) throw new Error(`training: input node '${node.id}' is not one of the graph's inputs`);
        y = columns.start === 0 && columns.size === graph.inputSize ? x : tf.slice(x, [0, columns.start], [-1, columns.size]);
        break;
      }
      case 'slice':
        y = node.stride === 1 ? tf.slice(arg(0), [0, node.start], [-1, node.shape[0]]) : strided(tf, arg(0), node.start, node.stride, node.shape[0]);
        break;
      case 'concat':
        y = tf.concat(node.inputs.map((_, k) => arg(k)), 1);
        break;
      case 'dense': {
        const isOutput = last.inputs[0] === node.id;
        const activation = isOutput && options.logits && isSoftmax(node.activation) ? 'linear' : node.activation;
        y = dense(tf, node.inputs.map((_, k) => arg(k)), param(node.weight), param(node.bias), activation, !node.inputs.every((i) => fromInput.has(i)));
        break;
      }
      case 'batchnorm': {
        const bn = node.params;
        const input = arg(0);
        let mean: Tensor;
        let variance: Tensor;
        if (options.training) {
          mean = tf.mean(input, 0);
          variance = tf.mean(tf.square(tf.sub(input, mean)), 0);
          batchStats.push({ bn, mean: mean as Tensor1D, variance: variance as Tensor1D });
        } else {
          mean = param(bn.mean);
          variance = param(bn.variance);
        }
        const normalized = tf.mul(tf.sub(input, mean), tf.rsqrt(tf.add(variance, bn.eps)));
        y = tf.add(tf.mul(normalized, param(bn.gamma)), param(bn.beta)) as Tensor2D;
        break;
      }
      case 'dropout':
        y = options.training && node.p > 0 && options.dropoutMask ? tf.mul(arg(0), options.dropoutMask(node, rows)) : arg(0);
        break;
      case 'activation':
        y = activate(tf, arg(0), node.activation);
        break;
      case 'output':
        y = arg(0);
        break;
    }
    values.set(node.id, y);
  }
  return { output: values.get(last.id)!, batchStats };
}

/**
 * Features start, start + stride, ... of every row. Not a gather: its gradient needs a kernel
 * (UnsortedSegmentSum) the wasm backend lacks. Padded to a multiple of the stride, the features
 * form a [cols, stride] grid per row whose column `start % stride` holds the slice.
 */
function strided(tf: Tf, x: Tensor2D, start: number, stride: number, count: number): Tensor2D {
  const width = x.shape[1];
  const cols = Math.ceil(width / stride);
  const padded = width === cols * stride ? x : tf.pad(x, [[0, 0], [0, cols * stride - width]]);
  const grid = tf.reshape(padded, [-1, cols, stride]);
  return tf.reshape(tf.slice(grid, [0, Math.floor(start / stride), start % stride], [-1, count, 1]), [-1, count]);
}

/**
 * `x · kernel + b` with its gradient written out: tfjs's own matMul gradient multiplies with a
 * transposed operand, which the wasm backend does 5-8x slower than a product of a transposed
 * copy (64x784 by 784x128: 5 ms against 0.6 ms). `inputGradient: false` skips dL/dx where x is
 * the model's input, which nothing trains.
 */
function linearOp(tf: Tf, inputGradient: boolean) {
  return tf.customGrad(((x: Tensor2D, kernel: Tensor2D, bias: Tensor1D, save: (tensors: Tensor[]) => void) => {
    save([x, kernel]);
    return {
      value: tf.fused.matMul({ a: x, b: kernel, bias }),
      gradFunc: (dy: Tensor, [xs, ks]: Tensor[]) => [
        inputGradient ? tf.matMul(dy as Tensor2D, tf.transpose(ks as Tensor2D)) : tf.zerosLike(xs),
        tf.matMul(tf.transpose(xs as Tensor2D), dy as Tensor2D),
        tf.sum(dy, 0),
      ],
    };
  }) as never) as unknown as (x: Tensor2D, kernel: Tensor2D, bias: Tensor1D) => Tensor2D;
}

const linearOps = new WeakMap<Tf, { withInput: ReturnType<typeof linearOp>; withoutInput: ReturnType<typeof linearOp> }>();

function linear(tf: Tf, x: Tensor2D, kernel: Variable, bias: Variable, inputGradient: boolean): Tensor2D {
  let ops = linearOps.get(tf);
  if (!ops) {
    ops = { withInput: linearOp(tf, true), withoutInput: linearOp(tf, false) };
    linearOps.set(tf, ops);
  }
  return (inputGradient ? ops.withInput : ops.withoutInput)(x, kernel as unknown as Tensor2D, bias as unknown as Tensor1D);
}

/** `act(x · kernel + b)`, the kernel being the transposed weight (see parameters.ts). */
function dense(tf: Tf, parts: readonly Tensor2D[], kernel: Variable, bias: Variable, activation: Activation, inputGradient: boolean): Tensor2D {
  // The unoptimized graph gives a dense node one input; an optimized one (fused concat) several.
  const input = parts.length === 1 ? parts[0] : tf.concat(parts as Tensor2D[], 1);
  return activate(tf, linear(tf, input, kernel, bias, inputGradient), activation);
}

/** Where each input node's features lie in a row of the batch. */
function inputColumns(graph: Graph): ReadonlyMap<string, { start: number; size: number }> {
  const columns = new Map<string, { start: number; size: number }>();
  let start = 0;
  for (const input of graph.inputs) {
    columns.set(input.node, { start, size: input.size });
    start += input.size;
  }
  return columns;
}

/** Nodes computed from the model's inputs through no weight: the inputs, their rows, their joins. */
function inputOnly(graph: Graph): ReadonlySet<string> {
  const ids = new Set<string>();
  for (const node of graph.nodes) {
    const passThrough = node.op === 'slice' || node.op === 'concat' || node.op === 'dropout';
    if (node.op === 'input' || (passThrough && node.inputs.every((i) => ids.has(i)))) ids.add(node.id);
  }
  return ids;
}

export function activate(tf: Tf, x: Tensor2D, activation: Activation): Tensor2D {
  switch (activation) {
    case 'relu': return tf.relu(x);
    case 'tanh': return tf.tanh(x);
    case 'sigmoid': return tf.sigmoid(x);
    case 'gelu': return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))) as Tensor2D;
    case 'leaky_relu': return tf.leakyRelu(x, LEAKY_RELU_SLOPE);
    case 'linear': return x;
    case 'softmax': return tf.softmax(x);
    case 'log_softmax': return tf.logSoftmax(x);
  }
}
