import { describe, expect, it } from 'vitest';
import { checkWeights, weightProblems } from '../../src/weights/validate.js';
import { initWeights } from '../../src/weights/init.js';
import { WeightsError } from '../../src/weights/errors.js';
import { tensorSpecs } from '../../src/ir/tensors.js';
import type { Tensor } from '../../src/weights/tensor.js';
import { sampleGraph } from './helpers.js';

const graph = sampleGraph('mnist_cnn.spinal', 'mnist_cnn_spinal');
const specs = tensorSpecs(graph);
const zeros = (shape: number[]): Tensor => ({ shape, data: new Float32Array(shape.reduce((a, d) => a * d, 1)) });

describe('checking weights against a model', () => {
  it('accepts weights that fit', () => {
    expect(weightProblems(initWeights(graph, 1), specs)).toEqual([]);
  });

  it('names the tensor, the shape expected and the shape found', () => {
    const weights = new Map(initWeights(graph, 1));
    weights.set('spinal1.sub2.weight', zeros([8, 160]));
    expect(weightProblems(weights, specs)).toEqual(["tensor 'spinal1.sub2.weight': expected shape [8, 168], found [8, 160]"]);
  });

  it('reports every problem at once: missing, misshapen, unexpected (with a hint)', () => {
    const weights = new Map(initWeights(graph, 1));
    weights.delete('output.bias');
    weights.delete('spinal1.sub6.weight');
    weights.set('spinal1.sub6.weigth', zeros([8, 168]));
    weights.set('output.weight', zeros([48, 10]));
    weights.set('spinal1.sub7.bias', zeros([8]));
    expect(weightProblems(weights, specs)).toEqual([
      "missing tensor 'output.bias' (shape [10])",
      "tensor 'output.weight': expected shape [10, 48], found [48, 10]",
      "missing tensor 'spinal1.sub6.weight' (shape [8, 168])",
      "unexpected tensor 'spinal1.sub6.weigth' (shape [8, 168]): the model has no tensor of that name; did you mean 'spinal1.sub6.weight'?",
      "unexpected tensor 'spinal1.sub7.bias' (shape [8]): the model has no tensor of that name",
    ]);
    try {
      checkWeights(weights, specs, 'mnist_cnn_spinal');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(WeightsError);
      expect((e as WeightsError).problems).toHaveLength(5);
      expect((e as Error).message).toMatch(/^the weights do not fit model 'mnist_cnn_spinal': 5 problems\n {2}missing tensor 'output.bias'/);
    }
  });

  it('finds data that does not fill the shape it claims', () => {
    const weights = new Map(initWeights(graph, 1));
    weights.set('output.bias', { shape: [10], data: new Float32Array(9) });
    expect(weightProblems(weights, specs)).toEqual(["tensor 'output.bias': shape [10] needs 10 values, found 9"]);
  });

  it('reports a rank mismatch as a shape mismatch', () => {
    const weights = new Map(initWeights(graph, 1));
    weights.set('output.bias', zeros([1, 10]));
    expect(weightProblems(weights, specs)).toEqual(["tensor 'output.bias': expected shape [10], found [1, 10]"]);
  });
});
