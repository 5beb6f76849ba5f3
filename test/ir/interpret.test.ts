// The interpreter against cases worked out by hand: each expected number is written as the
// arithmetic that produces it, so a reader can check it without running anything.
import { describe, expect, it } from 'vitest';
import { onlyModel } from '../support/front.js';
import { interpret } from '../../src/ir/interpret.js';
import type { Tensor } from '../../src/tensor/tensor.js';

type WeightValues = Record<string, { shape: number[]; data: number[] }>;

function weights(values: WeightValues): Map<string, Tensor> {
  return new Map(Object.entries(values).map(([name, t]) => [name, { shape: t.shape, data: Float64Array.from(t.data) }]));
}

function run(text: string, w: WeightValues, x: number[], batch = 1): number[] {
  return [...interpret(onlyModel(text).graph, weights(w), x, batch)];
}

const relu = (v: number) => Math.max(0, v);

describe('interpreter, hand-computed', () => {
  const twoRows = 'model m { input 4 spinal { split 1:1 width 1 layers 2 } output 1 }';
  const twoRowsWeights: WeightValues = {
    'spinal1.sub1.weight': { shape: [1, 2], data: [0.5, 1] },
    'spinal1.sub1.bias': { shape: [1], data: [0.25] },
    'spinal1.sub2.weight': { shape: [1, 3], data: [1, 0.5, 2] },
    'spinal1.sub2.bias': { shape: [1], data: [-1] },
    'output.weight': { shape: [1, 2], data: [2, 3] },
    'output.bias': { shape: [1], data: [0.5] },
  };

  it('input 4, split 1:1, width 1, layers 2', () => {
    // rows: [1, 2] and [3, 4]
    const h1 = relu(0.5 * 1 + 1 * 2 + 0.25); // 2.75
    const h2 = relu(1 * 3 + 0.5 * 4 + 2 * h1 - 1); // row 2 first, then h1: 9.5
    const y = 2 * h1 + 3 * h2 + 0.5; // 34.5
    expect(run(twoRows, twoRowsWeights, [1, 2, 3, 4])).toEqual([y]);
    expect(y).toBe(34.5);
  });

  it('a batch of 2 evaluates each sample on its own', () => {
    // second sample: rows [-1, 0] and [1, -2]
    const h1 = relu(0.5 * -1 + 1 * 0 + 0.25); // relu(-0.25) = 0
    const h2 = relu(1 * 1 + 0.5 * -2 + 2 * h1 - 1); // relu(-1) = 0
    const y2 = 2 * h1 + 3 * h2 + 0.5; // 0.5
    expect(run(twoRows, twoRowsWeights, [1, 2, 3, 4, -1, 0, 1, -2], 2)).toEqual([34.5, y2]);
    expect(y2).toBe(0.5);
  });

  it('interleaved rows take every other feature', () => {
    const text = 'model m { input 4 spinal { split 1:1 interleaved width 1 layers 2 } output 1 }';
    // x = [1, 2, 3, 4]: row 1 = [x0, x2] = [1, 3], row 2 = [x1, x3] = [2, 4]
    const h1 = relu(0.5 * 1 + 1 * 3 + 0.25); // 3.75
    const h2 = relu(1 * 2 + 0.5 * 4 + 2 * h1 - 1); // 10.5
    expect(run(text, twoRowsWeights, [1, 2, 3, 4])).toEqual([2 * h1 + 3 * h2 + 0.5]);
    expect(2 * h1 + 3 * h2 + 0.5).toBe(39.5);
  });

  it('batchnorm in a spinal block: Linear, then (x - mean) / sqrt(var + eps) * gamma + beta, then relu', () => {
    const text = 'model m { input 2 spinal { width 1 layers 1 batchnorm } output 1 }';
    const eps = 1e-5;
    const w: WeightValues = {
      'spinal1.sub1.weight': { shape: [1, 1], data: [2] },
      'spinal1.sub1.bias': { shape: [1], data: [1] },
      'spinal1.sub1.bn.weight': { shape: [1], data: [2] },
      'spinal1.sub1.bn.bias': { shape: [1], data: [0.5] },
      'spinal1.sub1.bn.running_mean': { shape: [1], data: [3] },
      'spinal1.sub1.bn.running_var': { shape: [1], data: [4 - eps] },
      'output.weight': { shape: [1, 1], data: [-1] },
      'output.bias': { shape: [1], data: [0] },
    };
    // x = [3, 5], row 1 = [3]: linear 2 * 3 + 1 = 7; bn 2 * (7 - 3) / sqrt(4) + 0.5 = 4.5
    const [y] = run(text, w, [3, 5]);
    expect(y).toBeCloseTo(-4.5, 12);
    // a negative pre-activation is cut by relu after the batchnorm: x = [-3, 5]: 2*-3+1 = -5; 2*(-5-3)/2+0.5 = -7.5
    expect(run(text, w, [-3, 5])).toEqual([-1 * relu(-7.5) + 0]);
  });

  it('a standalone batchnorm statement', () => {
    const text = 'model m { input 2 batchnorm output 2 }';
    const w: WeightValues = {
      'batchnorm1.weight': { shape: [2], data: [1, 3] },
      'batchnorm1.bias': { shape: [2], data: [0, -1] },
      'batchnorm1.running_mean': { shape: [2], data: [1, 0] },
      'batchnorm1.running_var': { shape: [2], data: [1, 0.25] },
      'output.weight': { shape: [2, 2], data: [1, 0, 0, 1] },
      'output.bias': { shape: [2], data: [0, 0] },
    };
    const [a, b] = run(text, w, [3, 2]);
    expect(a).toBeCloseTo((1 * (3 - 1)) / Math.sqrt(1 + 1e-5) + 0, 14); // ~2
    expect(b).toBeCloseTo((3 * (2 - 0)) / Math.sqrt(0.25 + 1e-5) - 1, 14); // ~11
  });

  const identity: WeightValues = {
    'output.weight': { shape: [3, 3], data: [1, 0, 0, 0, 1, 0, 0, 0, 1] },
    'output.bias': { shape: [3], data: [0, 0, 0] },
  };
  const x = [-1, 0, 2];

  it.each([
    ['relu', [0, 0, 2]],
    ['linear', [-1, 0, 2]],
    ['leaky_relu', [-0.01, 0, 2]],
    ['tanh', [-0.7615941559557649, 0, 0.9640275800758169]],
    ['sigmoid', [1 / (1 + Math.E), 0.5, 1 / (1 + Math.exp(-2))]],
    // exact erf form x * Phi(x): Phi(-1) = 0.15865525393145707, Phi(2) = 0.9772498680518208
    // (the tanh approximation would give 1.9545976940877750 for x = 2)
    ['gelu', [-0.15865525393145707, 0, 1.9544997361036416]],
  ])('%s, elementwise', (act, expected) => {
    const y = run(`model m { input 3 output 3 ${act} }`, identity, x);
    y.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 14));
  });

  it('softmax over the features of each sample of a batch', () => {
    const sum = Math.exp(-1) + Math.exp(0) + Math.exp(2); // 8.756935540102093
    const y = run('model m { input 3 output 3 softmax }', identity, [...x, 5, 5, 5], 2);
    const expected = [Math.exp(-1) / sum, 1 / sum, Math.exp(2) / sum, 1 / 3, 1 / 3, 1 / 3];
    y.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 14));
    expect(expected[2]).toBeCloseTo(0.8437947344813395, 15);
  });

  it('log_softmax over the features of each sample: x - max - log(sum(exp(x - max)))', () => {
    // log(e^-1 + e^0 + e^2) = 2.1698460195562856; log 3 = 1.0986122886681098
    const y = run('model m { input 3 output 3 log_softmax }', identity, [...x, 5, 5, 5], 2);
    const expected = [-3.1698460195562856, -2.1698460195562856, -0.16984601955628564, -1.0986122886681098, -1.0986122886681098, -1.0986122886681098];
    y.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 14));
  });

  it('log_softmax stays finite where the log of a softmax would underflow to -infinity', () => {
    // softmax([0, -1000, 1000]) is [0, 0, 1] in float64, whose log is [-inf, -inf, 0]
    const y = run('model m { input 3 output 3 log_softmax }', identity, [0, -1000, 1000]);
    expect(y).toEqual([-1000, -2000, 0]);
  });

  it('dropout is the identity at inference', () => {
    const w: WeightValues = { 'output.weight': { shape: [1, 2], data: [1, 1] }, 'output.bias': { shape: [1], data: [0] } };
    expect(run('model m { input 2 dropout 0.9 output 1 }', w, [2, 3])).toEqual([5]);
  });

  it('refuses an input of the wrong length and names a missing tensor', () => {
    const g = onlyModel('model m { input 2 output 1 }').graph;
    expect(() => interpret(g, weights({}), [1, 2, 3], 1)).toThrow('interpret: expected 1 x 2 inputs, got 3 values');
    expect(() => interpret(g, weights({}), [1, 2], 1)).toThrow("weights have no tensor 'output.weight'");
  });
});
