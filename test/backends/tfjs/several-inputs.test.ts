// A module with several inputs as a user calls it, and as `spinal verify` runs it: predict takes
// one tensor per input by name and refuses a missing or misshapen one; the verify targets split
// the packed batch into those tensors.
import { describe, expect, it } from 'vitest';
import { onlyModel } from '../../support/front.js';
import { optimize } from '../../../src/passes/optimize.js';
import { interpret } from '../../../src/ir/interpret.js';
import { writeSafetensors } from '../../../src/weights/safetensors.js';
import { randomBatch, verify } from '../../../src/verify/run.js';
import { tfjsCpuTarget, tfjsWasmTarget } from '../../../src/verify/tfjs.js';
import { compareOutputs } from '../../../src/verify/compare.js';
import { moduleFor, testWeights, useBackend } from './harness.js';

const SOURCE = `model two_inputs {
  image = input 6
  meta = input 3
  a = spinal from image { split 1:1; width 2; layers 3; activation tanh; batchnorm }
  dense 4 relu from meta, a
  output 2 log_softmax
}
`;
const graph = onlyModel(SOURCE).graph;
const optimized = optimize(graph);
const weights = testWeights(graph, 3);

describe('a tfjs module with several inputs', () => {
  it('exports its inputs in the order of the source and takes them by name, in any key order', async () => {
    const tf = await useBackend('cpu');
    const module = await moduleFor(optimized);
    expect(module.inputs).toEqual([{ name: 'image', size: 6 }, { name: 'meta', size: 3 }]);
    expect(module.inputSize).toBe(9);
    const batch = 3;
    const x = randomBatch(9, batch, 5n);
    const image = tf.tensor2d(Float32Array.from({ length: batch * 6 }, (_, i) => x[Math.floor(i / 6) * 9 + (i % 6)]), [batch, 6]);
    const meta = tf.tensor2d(Float32Array.from({ length: batch * 3 }, (_, i) => x[Math.floor(i / 3) * 9 + 6 + (i % 3)]), [batch, 3]);
    const model = module.load(writeSafetensors(weights));
    const y = model.predict({ meta, image });
    expect(compareOutputs(y.dataSync(), interpret(optimized, weights, x, batch)).maxRelError).toBeLessThan(1e-5);
    expect(() => model.predict({ image, meta: image })).toThrow('predict: expected x.meta of shape [3, 3], got [3, 6]');
    expect(() => model.predict({ image })).toThrow('predict: expected x.meta of shape [3, 3], got no tensor');
    expect(() => model.predict({ image: meta, meta })).toThrow('predict: expected x.image of shape [batch, 6], got [3, 3]');
    tf.dispose([y, image, meta]);
    model.dispose();
  });

  it('passes spinal verify on tfjs cpu and wasm, the packed batch split by input', async () => {
    const report = await verify({ graph: optimized, weights, weightsBytes: writeSafetensors(weights), targets: [tfjsCpuTarget, tfjsWasmTarget], batch: 5, seed: 2n });
    expect(report.targets.tfjs).toMatchObject({ ok: true });
    expect(report.targets['tfjs-wasm']).toMatchObject({ ok: true });
    expect(report.targets.tfjs.maxRelError).toBeLessThan(1e-5);
  });
});
