// The training graph: the unoptimized IR read a second time, as tfjs operations that autodiff
// can differentiate. Training mode follows PyTorch's: inverted dropout, batchnorm on the batch
// mean and biased batch variance (the running statistics are updated by the caller from
// `batchStats`); evaluation mode uses the running statistics and no dropout.
import type { Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import type { Activation, BatchnormParams, DenseNode, Graph, IrNode } from '../ir/graph.js';
import { LEAKY_RELU_SLOPE } from '../ir/activations.js';
import type { Tf } from './tf.js';

/** The model's tensors by canonical name: trainable ones and batchnorm's running statistics. */
export type Parameters = ReadonlyMap<string, Variable>;

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

/** Gather indices of every strided slice, made once per graph rather than once per batch. */
export function sliceIndices(tf: Tf, graph: Graph): ReadonlyMap<string, Tensor1D> {
  const indices = new Map<string, Tensor1D>();
  for (const node of graph.nodes) {
    if (node.op === 'slice' && node.stride !== 1) {
      indices.set(node.id, tf.tensor1d(Array.from({ length: node.shape[0] }, (_, i) => node.start + i * node.stride), 'int32'));
    }
  }
  return indices;
}

export function forward(tf: Tf, graph: Graph, params: Parameters, indices: ReadonlyMap<string, Tensor1D>, x: Tensor2D, options: ForwardOptions): ForwardResult {
  const values = new Map<string, Tensor2D>();
  const batchStats: BatchStats[] = [];
  const rows = x.shape[0];
  const param = (name: string) => {
    const p = params.get(name);
    if (!p) throw new Error(`training: no tensor '${name}'`);
    return p;
  };
  const last = graph.nodes[graph.nodes.length - 1];
  for (const node of graph.nodes) {
    const arg = (k: number) => values.get(node.inputs[k])!;
    let y: Tensor2D;
    switch (node.op) {
      case 'input':
        y = x;
        break;
      case 'slice': {
        const strided = indices.get(node.id);
        y = strided ? tf.gather(arg(0), strided, 1) : tf.slice(arg(0), [0, node.start], [-1, node.shape[0]]);
        break;
      }
      case 'concat':
        y = tf.concat(node.inputs.map((_, k) => arg(k)), 1);
        break;
      case 'dense': {
        const isOutput = last.inputs[0] === node.id;
        const activation = isOutput && options.logits && node.activation === 'softmax' ? 'linear' : node.activation;
        y = dense(tf, node, node.inputs.map((_, k) => arg(k)), param(node.weight), param(node.bias), activation);
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

/** Activations tfjs fuses into its matMul kernel, with their tfjs names. */
const FUSED: Partial<Record<Activation, 'linear' | 'relu' | 'sigmoid' | 'leakyrelu'>> = {
  linear: 'linear', relu: 'relu', sigmoid: 'sigmoid', leaky_relu: 'leakyrelu',
};

function dense(tf: Tf, node: DenseNode, parts: readonly Tensor2D[], weight: Variable, bias: Variable, activation: Activation): Tensor2D {
  // The unoptimized graph gives a dense node one input; an optimized one (fused concat) several.
  const input = parts.length === 1 ? parts[0] : tf.concat(parts as Tensor2D[], 1);
  const fused = FUSED[activation];
  if (fused) {
    return tf.fused.matMul({
      a: input, b: weight as unknown as Tensor2D, transposeB: true, bias, activation: fused,
      ...(fused === 'leakyrelu' ? { leakyreluAlpha: LEAKY_RELU_SLOPE } : {}),
    }) as Tensor2D;
  }
  return activate(tf, tf.fused.matMul({ a: input, b: weight as unknown as Tensor2D, transposeB: true, bias }) as Tensor2D, activation);
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
  }
}
