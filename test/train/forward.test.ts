// The training graph in evaluation mode computes the reference interpreter's numbers, on both
// tfjs backends training runs on: random models with every activation, interleaved splits,
// batchnorm and dropout, and random models with several inputs read from one packed batch.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileModel, randomModel, randomMultiInputModel, type RandomModel } from '../support/random-model.js';
import { randomInput, randomWeights } from '../support/random-weights.js';
import { interpret } from '../../src/ir/interpret.js';
import { compareOutputs } from '../../src/verify/compare.js';
import { forward } from '../../src/train/forward.js';
import { makeParameters } from '../../src/train/parameters.js';
import { trainingTf } from '../../src/train/tf.js';

describe.each(['cpu', 'wasm'] as const)('training forward pass on tfjs %s', (backend) => {
  it('agrees with the interpreter in evaluation mode', async () => {
    await agreesWithInterpreter(backend, randomModel, 60, 11);
  });

  it('agrees with the interpreter on models with several inputs (a packed batch), branches and joins', async () => {
    await agreesWithInterpreter(backend, randomMultiInputModel, 20, 18);
  });
});

async function agreesWithInterpreter(backend: 'cpu' | 'wasm', models: fc.Arbitrary<RandomModel>, numRuns: number, seed: number): Promise<void> {
  const tf = await trainingTf(backend);
  fc.assert(fc.property(models, fc.integer({ min: 1, max: 1e6 }), (model, seed) => {
    const graph = compileModel(model);
    const weights = new Map([...randomWeights(graph, seed)].map(([n, t]) => [n, { shape: t.shape, data: Float32Array.from(t.data) }]));
    const batch = 5;
    const x = Float32Array.from(randomInput(graph.inputSize, batch, seed + 1));
    const want = interpret(graph, weights, x, batch);
    tf.engine().startScope();
    const params = makeParameters(tf, graph, weights);
    const got = forward(tf, graph, params, tf.tensor2d(x, [batch, graph.inputSize]), { training: false }).output.dataSync();
    for (const p of params.values()) p.dispose();
    tf.engine().endScope();
    expect(compareOutputs(got, want).maxRelError, model.text).toBeLessThan(1e-4);
  }), { numRuns, seed });
}
