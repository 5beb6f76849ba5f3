import { describe, expect, it } from 'vitest';
import { checkWeights, weightProblems } from '../../src/weights/validate.js';
import { initWeights } from '../../src/weights/init.js';
import { WeightsError } from '../../src/tensor/errors.js';
import { tensorSpecs } from '../../src/ir/tensors.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { graphOf, sampleGraph } from './helpers.js';
import { checkBatchnorms, graphBatchnorms } from '../../src/ir/materialize.js';
import { interpret } from '../../src/ir/interpret.js';
import { optimize } from '../../src/passes/optimize.js';

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

describe('batchnorm running variances', () => {
  const bnGraph = graphOf('model b { input 4 batchnorm spinal { split 1:1 width 3 layers 2 batchnorm } output 2 }');
  const withVariance = (name: string, index: number, value: number) => {
    const weights = new Map(initWeights(bnGraph, 1));
    const data = Float32Array.from(weights.get(name)!.data);
    data[index] = value;
    weights.set(name, { shape: weights.get(name)!.shape, data });
    return weights;
  };

  it('are refused when var + eps <= 0, naming the tensor and the index, folded or not', () => {
    const names = graphBatchnorms(bnGraph).map((bn) => bn.variance);
    expect(names).toEqual(['batchnorm1.running_var', 'spinal1.sub1.bn.running_var', 'spinal1.sub2.bn.running_var']);
    for (const name of names) {
      for (const value of [-1, -2e-5, -1e30]) {
        const weights = withVariance(name, 1, value);
        const message = new RegExp(`^tensor '${name.replace(/\./g, '\\.')}' holds -[0-9.e+-]+ at index 1: a running variance must be greater than -eps \\(0\\.00001\\)$`);
        expect(() => checkBatchnorms(bnGraph, weights)).toThrow(message);
        expect(() => interpret(bnGraph, weights, new Float64Array(4), 1)).toThrow(WeightsError);
        expect(() => interpret(optimize(bnGraph), weights, new Float64Array(4), 1)).toThrow(message);
      }
    }
  });

  it('are accepted just above -eps', () => {
    const weights = withVariance('batchnorm1.running_var', 0, -0.5e-5);
    expect(() => checkBatchnorms(bnGraph, weights)).not.toThrow();
    expect(Number.isFinite(interpret(bnGraph, weights, new Float64Array(4), 1)[0])).toBe(true);
  });
});
