// Weights compiled into a header: only weights that fit the model, all finite, and not so many
// that the header would take minutes to compile. Each refusal is a BackendInputError, which
// `spinal build` reports as a user error (exit 1).
import { describe, expect, it } from 'vitest';
import { BackendInputError } from '../../../src/backends/backend.js';
import { emitCpp, MAX_EMBEDDED_FLOATS } from '../../../src/backends/cpp/emit.js';
import { optimize } from '../../../src/passes/optimize.js';
import type { Tensor } from '../../../src/tensor/tensor.js';
import { onlyModel } from '../../support/front.js';
import { randomWeights } from '../../support/random-weights.js';

const graph = optimize(onlyModel('model e { input 4 spinal { width 2 layers 2 } output 2 }').graph);

function refusal(weights: Map<string, Tensor>, g = graph): BackendInputError {
  try {
    emitCpp(g, { weights });
  } catch (e) {
    if (e instanceof BackendInputError) return e;
    throw e;
  }
  throw new Error('the weights were accepted');
}

describe('compiled-in weights', () => {
  it('are written as float arrays and Model::embedded()', () => {
    const header = emitCpp(graph, { weights: randomWeights(graph, 1) });
    expect(header).toContain('static Model embedded()');
    expect(header).toMatch(/alignas\(64\) inline constexpr float tensor\d+_output_weight\[8\] = \{/);
  });

  it('refuse a missing or misshapen tensor, naming it', () => {
    const missing = randomWeights(graph, 1);
    missing.delete('spinal1.sub2.bias');
    expect(refusal(missing).message).toContain("missing tensor 'spinal1.sub2.bias' (shape [2])");
    const misshapen = randomWeights(graph, 1);
    misshapen.set('output.weight', { shape: [4, 2], data: new Float32Array(8) });
    expect(refusal(misshapen).message).toContain("tensor 'output.weight': expected shape [2, 4], found [4, 2]");
  });

  it('refuse a NaN', () => {
    const weights = randomWeights(graph, 1);
    weights.get('spinal1.sub1.weight')!.data[3] = NaN;
    expect(refusal(weights).message).toContain("tensor 'spinal1.sub1.weight' holds NaN at index 3");
  });

  it(`refuse more than ${MAX_EMBEDDED_FLOATS} numbers`, () => {
    const big = optimize(onlyModel('model big { input 4096 output 4096 }').graph);
    const weights = new Map<string, Tensor>([
      ['output.weight', { shape: [4096, 4096], data: new Float32Array(4096 * 4096) }],
      ['output.bias', { shape: [4096], data: new Float32Array(4096) }],
    ]);
    expect(refusal(weights, big).message).toMatch(/model 'big' has 16781312 weights, more than the 16777216 the cpp target compiles into a header/);
  });
});
