// One optimizer step at a time against values computed by hand in float64, with PyTorch's
// definitions: SGD (with momentum), Adam (bias-corrected, eps 1e-8, L2 weight decay), mean
// cross-entropy; batchnorm in training mode and its running statistics; inverted dropout.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileText } from '../support/front.js';
import type { Graph } from '../../src/ir/graph.js';
import type { Tensor, Weights } from '../../src/tensor/tensor.js';
import { Random } from '../../src/weights/prng.js';
import { dropoutMask, trainModel, type Examples } from '../../src/train/loop.js';
import { makeParameters } from '../../src/train/parameters.js';
import { forward } from '../../src/train/forward.js';
import type { TrainSettings } from '../../src/train/job.js';
import { trainingTf, type Tf } from '../../src/train/tf.js';

let tf: Tf;
beforeAll(async () => { tf = await trainingTf('cpu'); });

function graphOf(text: string): Graph {
  const file = compileText(text);
  expect(file.diagnostics).toEqual([]);
  return file.models[0].graph;
}

const settings = (over: Partial<TrainSettings>): TrainSettings => ({
  epochs: 1, batch: 2, optimizer: 'sgd', lr: 0.1, momentum: 0, weightDecay: 0, seed: 1n, loss: 'cross-entropy', backend: 'cpu', ...over,
});

const W0 = [0.1, -0.2, 0.3, 0.4];
const B0 = [0.05, -0.05];
const X = [1, 2, -1, 0.5];
const LABELS = [1, 0];

function linearWeights(w: readonly number[], b: readonly number[]): Weights {
  return new Map<string, Tensor>([
    ['output.weight', { shape: [2, 2], data: Float32Array.from(w) }],
    ['output.bias', { shape: [2], data: Float32Array.from(b) }],
  ]);
}

/** Gradient of the mean cross-entropy of softmax(W x + b) over the two samples, in float64. */
function gradient(w: readonly number[], b: readonly number[]): { w: number[]; b: number[] } {
  const gw = [0, 0, 0, 0];
  const gb = [0, 0];
  for (let s = 0; s < 2; s++) {
    const x = [X[2 * s], X[2 * s + 1]];
    const z = [0, 1].map((o) => w[2 * o] * x[0] + w[2 * o + 1] * x[1] + b[o]);
    const e = z.map((v) => Math.exp(v - Math.max(...z)));
    const p = e.map((v) => v / (e[0] + e[1]));
    for (let o = 0; o < 2; o++) {
      const dz = (p[o] - (LABELS[s] === o ? 1 : 0)) / 2;
      gb[o] += dz;
      gw[2 * o] += dz * x[0];
      gw[2 * o + 1] += dz * x[1];
    }
  }
  return { w: gw, b: gb };
}

const data: Examples = { n: 2, features: 2, x: Float32Array.from(X), y: Int32Array.from(LABELS) };
const tiny = () => graphOf('model tiny { input 2 output 2 }');

async function train(over: Partial<TrainSettings>): Promise<{ w: number[]; b: number[] }> {
  const { weights } = await trainModel(tf, { graph: tiny(), initial: linearWeights(W0, B0), train: data, settings: settings(over) });
  return { w: [...weights.get('output.weight')!.data], b: [...weights.get('output.bias')!.data] };
}

function expectClose(got: { w: number[]; b: number[] }, want: { w: number[]; b: number[] }): void {
  [...got.w, ...got.b].forEach((v, i) => expect(v).toBeCloseTo([...want.w, ...want.b][i], 6));
}

/** Runs `steps` updates of `update(param, grad, state)` on W and b together, in float64. */
function handSteps(steps: number, update: (p: number[], g: number[], t: number, state: number[][]) => void): { w: number[]; b: number[] } {
  const p = [...W0, ...B0];
  const state: number[][] = [[], []];
  for (let t = 1; t <= steps; t++) {
    const g = gradient(p.slice(0, 4), p.slice(4));
    update(p, [...g.w, ...g.b], t, state);
  }
  return { w: p.slice(0, 4), b: p.slice(4) };
}

describe('optimizer steps', () => {
  it('SGD: w - lr * mean gradient', async () => {
    expectClose(await train({ optimizer: 'sgd', lr: 0.1 }), handSteps(1, (p, g) => g.forEach((gi, i) => { p[i] -= 0.1 * gi; })));
  });

  it('SGD with momentum: buf = m * buf + g, two steps', async () => {
    const want = handSteps(2, (p, g, _t, [buf]) => g.forEach((gi, i) => {
      buf[i] = 0.9 * (buf[i] ?? 0) + gi;
      p[i] -= 0.1 * buf[i];
    }));
    expectClose(await train({ optimizer: 'sgd', lr: 0.1, momentum: 0.9, epochs: 2 }), want);
  });

  const adam = (lr: number, decay: number) => (p: number[], g: number[], t: number, [m, v]: number[][]) => g.forEach((g0, i) => {
    const gi = g0 + decay * p[i];
    m[i] = 0.9 * (m[i] ?? 0) + 0.1 * gi;
    v[i] = 0.999 * (v[i] ?? 0) + 0.001 * gi * gi;
    const mHat = m[i] / (1 - 0.9 ** t);
    const vHat = v[i] / (1 - 0.999 ** t);
    p[i] -= (lr * mHat) / (Math.sqrt(vHat) + 1e-8);
  });

  it('Adam: bias-corrected moments, eps 1e-8, three steps', async () => {
    expectClose(await train({ optimizer: 'adam', lr: 0.01, epochs: 3 }), handSteps(3, adam(0.01, 0)));
  });

  it('Adam with weight decay adds decay * w to the gradient (L2, as torch.optim.Adam)', async () => {
    expectClose(await train({ optimizer: 'adam', lr: 0.01, weightDecay: 0.1, epochs: 2 }), handSteps(2, adam(0.01, 0.1)));
  });

  it('reports the mean batch loss and accuracy of the epoch', async () => {
    const run = await trainModel(tf, { graph: tiny(), initial: linearWeights(W0, [0.05, -0.1]), train: data, settings: settings({ lr: 1e-9 }) });
    // z = W x + b: sample 1 [-0.25, 1.0] (label 1: right), sample 2 [-0.15, -0.2] (label 0: right).
    const z = [[-0.25, 1.0], [-0.15, -0.2]];
    const ce = z.map((r, s) => Math.log(Math.exp(r[0]) + Math.exp(r[1])) - r[LABELS[s]]);
    expect(run.epochs[0].trainLoss).toBeCloseTo((ce[0] + ce[1]) / 2, 6);
    expect(run.epochs[0].trainAccuracy).toBe(1);
    const wrong = await trainModel(tf, { graph: tiny(), initial: linearWeights(W0, [0.05, -0.1]), train: { ...data, y: Int32Array.from([1, 1]) }, settings: settings({ lr: 1e-9 }) });
    expect(wrong.epochs[0].trainAccuracy).toBe(0.5);
  });
});

describe('batchnorm in training mode', () => {
  const x = [1, 2, 3, -1, 0, 4, 2, 2, -2, 0.5, 1, 1];
  const column = (f: number) => [0, 1, 2, 3].map((r) => x[r * 3 + f]);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const sumSq = (v: number[]) => v.reduce((a, b) => a + (b - mean(v)) ** 2, 0);

  it('normalizes with the batch mean and the biased batch variance', () => {
    const graph = graphOf('model bn { input 3 batchnorm output 3 }');
    const weights = new Map<string, Tensor>([
      ['batchnorm1.weight', { shape: [3], data: Float32Array.from([1, 2, 0.5]) }],
      ['batchnorm1.bias', { shape: [3], data: Float32Array.from([0, 1, -1]) }],
      ['batchnorm1.running_mean', { shape: [3], data: Float32Array.from([5, 5, 5]) }],
      ['batchnorm1.running_var', { shape: [3], data: Float32Array.from([9, 9, 9]) }],
      ['output.weight', { shape: [3, 3], data: Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]) }],
      ['output.bias', { shape: [3], data: new Float32Array(3) }],
    ]);
    const got = tf.tidy(() => {
      const params = makeParameters(tf, graph, weights);
      const out = forward(tf, graph, params, tf.tensor2d(x, [4, 3]), { training: true }).output.arraySync();
      for (const p of params.values()) p.dispose();
      return out;
    });
    const gamma = [1, 2, 0.5];
    const beta = [0, 1, -1];
    for (let r = 0; r < 4; r++) {
      for (let f = 0; f < 3; f++) {
        const c = column(f);
        const want = ((c[r] - mean(c)) / Math.sqrt(sumSq(c) / 4 + 1e-5)) * gamma[f] + beta[f];
        expect(got[r][f]).toBeCloseTo(want, 5);
      }
    }
  });

  it('updates running_mean and running_var (unbiased) with momentum 0.1', async () => {
    const graph = graphOf('model bn { input 3 batchnorm output 2 }');
    const { initWeights } = await import('../../src/weights/init.js');
    const examples: Examples = { n: 4, features: 3, x: Float32Array.from(x), y: Int32Array.from([0, 1, 1, 0]) };
    const run = await trainModel(tf, { graph, initial: initWeights(graph, 3n), train: examples, settings: settings({ batch: 4, lr: 0.01 }) });
    for (let f = 0; f < 3; f++) {
      expect(run.weights.get('batchnorm1.running_mean')!.data[f]).toBeCloseTo(0.1 * mean(column(f)), 6);
      expect(run.weights.get('batchnorm1.running_var')!.data[f]).toBeCloseTo(0.9 + 0.1 * (sumSq(column(f)) / 3), 6);
    }
  });
});

describe('inverted dropout', () => {
  it('zeroes about p of the features and scales the rest by 1 / (1 - p)', () => {
    const values = tf.tidy(() => dropoutMask(tf, Random.fromSeed(5n), 0.25, 100, 40).dataSync());
    const zeros = values.filter((v) => v === 0).length;
    expect(values.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6)).toBe(true);
    expect(zeros / values.length).toBeGreaterThan(0.22);
    expect(zeros / values.length).toBeLessThan(0.28);
  });
});
