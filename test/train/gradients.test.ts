// The training graph's gradients (tfjs autodiff, float32) against central differences of the
// float64 reference interpreter, on random models: every activation, interleaved splits,
// batchnorm (evaluation mode: the interpreter's semantics), dropout off; and on models with
// several inputs, whose batch holds every input side by side.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Tensor1D, Variable } from '@tensorflow/tfjs-core';
import { compileModel, randomModel, randomMultiInputModel, type RandomModel } from '../support/random-model.js';
import { prng, randomInput, randomWeights } from '../support/random-weights.js';
import { interpret } from '../../src/ir/interpret.js';
import type { Graph } from '../../src/ir/graph.js';
import type { Tensor, Weights } from '../../src/tensor/tensor.js';
import { forward } from '../../src/train/forward.js';
import { lossOf } from '../../src/train/loss.js';
import { canonical, kernelNames, makeParameters } from '../../src/train/parameters.js';
import { trainingTf, type Tf } from '../../src/train/tf.js';

let tf: Tf;

const BATCH = 3;

/**
 * Mean cross-entropy of the interpreter's outputs, read as logits (probabilities for a softmax
 * output, log-probabilities for a log_softmax one: the official scripts' F.nll_loss).
 */
function referenceLoss(graph: Graph, weights: Weights, x: Float64Array, labels: Int32Array): number {
  const out = interpret(graph, weights, x, BATCH);
  const n = graph.outputSize;
  const output = graph.nodes.find((node) => node.id === 'output');
  const outputActivation = output?.op === 'dense' ? output.activation : 'linear';
  let total = 0;
  for (let b = 0; b < BATCH; b++) {
    const row = out.subarray(b * n, (b + 1) * n);
    if (outputActivation === 'softmax') {
      total -= Math.log(row[labels[b]]);
    } else if (outputActivation === 'log_softmax') {
      total -= row[labels[b]];
    } else {
      const max = Math.max(...row);
      const logSum = max + Math.log(row.reduce((a, v) => a + Math.exp(v - max), 0));
      total -= row[labels[b]] - logSum;
    }
  }
  return total / BATCH;
}

function float32(weights: Map<string, Tensor>): Map<string, Tensor> {
  return new Map([...weights].map(([name, t]) => [name, { shape: t.shape, data: Float32Array.from(t.data) }]));
}

describe.each(['cpu', 'wasm'] as const)('training gradients on the tfjs %s backend', (backend) => {
  beforeAll(async () => { tf = await trainingTf(backend); });

  it('match central differences of the float64 interpreter on random models', () => {
    let checked = 0;
    fc.assert(fc.property(randomModel, fc.integer({ min: 1, max: 1e6 }), (model, seed) => {
      checked += checkGradients(model, seed);
    }), { numRuns: 30, seed: 7 });
    expect(checked).toBeGreaterThan(80);
  });

  it('match central differences on random models with several inputs (a packed batch), branches and joins', () => {
    let checked = 0;
    fc.assert(fc.property(randomMultiInputModel, fc.integer({ min: 1, max: 1e6 }), (model, seed) => {
      checked += checkGradients(model, seed);
    }), { numRuns: 15, seed: 18 });
    expect(checked).toBeGreaterThan(40);
  });

  it('give each input\'s branch its own gradients: three inputs, branches over an input and a value, a join', () => {
    const text = `model m {
  a = input 6
  b = input 4
  c = input 5
  p = spinal from a { split 1:1 width 2 layers 2 activation relu }
  q = dense 3 tanh from b
  r = spinal from c, q { split 1:1 width 2 layers 3 }
  dense 4 relu from p, r, b
  output 3 log_softmax
}`;
    const graph = compileModel({ name: 'm', text });
    expect(graph.inputs.map((i) => [i.name, i.size])).toEqual([['a', 6], ['b', 4], ['c', 5]]);
    let checked = 0;
    for (const seed of [31, 32]) checked += checkGradients({ name: 'm', text }, seed);
    // spinal1 (2 sub-layers), dense1, spinal2 (3), dense2 and the output: a weight and a bias each, two entries each
    expect(checked).toBe(2 * 8 * 2 * 2);
  });

  it('differentiate log_softmax: on the output (trained as logits) and on hidden layers', () => {
    const text = `model m {
  input 6
  dense 5 log_softmax
  spinal { split 1:1 width 3 layers 3 activation log_softmax }
  output 4 log_softmax
}`;
    const graph = compileModel({ name: 'm', text });
    expect(graph.nodes.filter((n) => n.op === 'dense' && n.activation === 'log_softmax')).toHaveLength(5);
    let checked = 0;
    for (const seed of [11, 12, 13]) checked += checkGradients({ name: 'm', text }, seed);
    // dense1, three sub-layers and the output: a weight and a bias each, two entries each
    expect(checked).toBe(3 * 10 * 2);
  });

  it('give a tied Linear the sum of the gradients of its uses, with batchnorm per use', () => {
    for (const settings of ['', 'batchnorm;']) {
      const text = `model m { input 8 spinal { split 1:1 width 3 layers 5 ${settings} tie 3..5 to 2 } output 3 }`;
      const graph = compileModel({ name: 'm', text });
      expect(graph.nodes.filter((n) => n.op === 'dense' && n.weight === 'spinal1.sub2.weight')).toHaveLength(4);
      let checked = 0;
      for (const seed of [21, 22]) checked += checkGradients({ name: 'm', text }, seed);
      // sub-layers 1 and 2 and the output (and five batchnorms' gamma and beta), two entries each
      expect(checked).toBe(2 * (settings ? 3 * 2 + 5 * 2 : 3 * 2) * 2);
    }
  });
});

/** Autodiff against central differences on a few entries of every trainable tensor; how many were checked. */
function checkGradients(model: RandomModel, seed: number): number {
  let checked = 0;
  const graph = compileModel(model);
  fc.pre(graph.outputSize >= 2); // cross-entropy needs two classes
  const weights = float32(randomWeights(graph, seed));
  const x = Float64Array.from(randomInput(graph.inputSize, BATCH, seed + 1), Math.fround);
  const rand = prng(seed + 2);
  const labels = Int32Array.from({ length: BATCH }, () => Math.floor(rand() * graph.outputSize));
  // Batchnorm in training mode normalizes with batch statistics, which the interpreter does not
  // have; with a batchnorm the check runs in evaluation mode (running statistics).
  const training = !graph.nodes.some((n) => n.op === 'batchnorm');
  tf.engine().startScope();
  const analytic = (() => {
    const params = makeParameters(tf, graph, weights);
    const trainable = [...params.values()].filter((v) => v.trainable);
    const input = tf.tensor2d(Float32Array.from(x), [BATCH, graph.inputSize]);
    const { grads } = tf.variableGrads(() => {
      const { output } = forward(tf, graph, params, input, { training, logits: true });
      return lossOf(tf, 'cross-entropy', output, tf.tensor1d(labels, 'int32') as Tensor1D);
    }, trainable as Variable[]);
    const byName = new Map([...params].map(([name, v]) => [v.name, name]));
    const kernels = kernelNames(graph);
    const result = new Map(Object.entries(grads).map(([v, g]) => [byName.get(v)!, Float64Array.from(canonical(tf, kernels, byName.get(v)!, g).dataSync())]));
    for (const v of params.values()) v.dispose();
    return result;
  })();
  tf.engine().endScope();
  // A few entries of every trainable tensor, chosen at random.
  for (const [name, grad] of analytic) {
    for (let k = 0; k < 2; k++) {
      const i = Math.floor(rand() * grad.length);
      const numeric = centralDifference(graph, weights, name, i, x, labels);
      expect(Math.abs(grad[i] - numeric), `${model.text}\n${name}[${i}]: autodiff ${grad[i]}, numeric ${numeric}`).toBeLessThanOrEqual(2e-4 + 2e-2 * Math.abs(numeric));
      checked++;
    }
  }
  return checked;
}

function centralDifference(graph: Graph, weights: Map<string, Tensor>, name: string, i: number, x: Float64Array, labels: Int32Array): number {
  const h = 1e-5;
  const at = (delta: number) => {
    const t = weights.get(name)!;
    const data = Float64Array.from(t.data);
    data[i] += delta;
    return referenceLoss(graph, new Map(weights).set(name, { shape: t.shape, data }), x, labels);
  };
  return (at(h) - at(-h)) / (2 * h);
}
