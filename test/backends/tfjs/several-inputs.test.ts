// A module with several inputs as a user calls it, and as `spinal verify` runs it: predict takes
// one tensor per input by name and refuses a missing or misshapen one; the verify targets split
// the packed batch into those tensors. Inputs named like the module's own names, JavaScript
// keywords or Object.prototype's properties are keys like any other.
import { describe, expect, it } from 'vitest';
import { onlyModel } from '../../support/front.js';
import { compileModel } from '../../support/random-model.js';
import { keywordInputsModel } from '../../support/keyword-inputs-model.js';
import { optimize } from '../../../src/passes/optimize.js';
import { interpret } from '../../../src/ir/interpret.js';
import { writeSafetensors } from '../../../src/weights/safetensors.js';
import { randomBatch, verify } from '../../../src/verify/run.js';
import { tfjsCpuTarget, tfjsWasmTarget } from '../../../src/verify/tfjs.js';
import { compareOutputs } from '../../../src/verify/compare.js';
import { emitTfjs } from '../../../src/backends/tfjs/index.js';
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

describe('inputs named like keywords and the module\'s own names', () => {
  it('are properties of predict\'s argument, and the module agrees with the interpreter', async () => {
    const kw = compileModel(keywordInputsModel);
    const w = testWeights(kw, 4);
    const report = await verify({ graph: optimize(kw), weights: w, weightsBytes: writeSafetensors(w), targets: [tfjsCpuTarget], batch: 3, seed: 1n });
    expect(report.targets.tfjs).toMatchObject({ ok: true });
    const module = await moduleFor(optimize(kw));
    expect(module.inputs!.map((i) => i.name)).toEqual(['delete', 'class', 'tf', 'x', 'inputs', 'Inputs', 'batch', 'constructor', '__proto__']);
    const tf = await useBackend('cpu');
    const model = module.load(writeSafetensors(w));
    // Object.prototype's constructor is no tensor: a record without its own `constructor` is refused.
    const ones = (n: number) => tf.ones([1, n]) as import('@tensorflow/tfjs-core').Tensor2D;
    const partial = { delete: ones(4), class: ones(2), tf: ones(1), x: ones(1), inputs: ones(1), Inputs: ones(1), batch: ones(1) };
    expect(() => model.predict(partial)).toThrow('predict: expected x.constructor of shape [1, 1], got no tensor');
    tf.dispose(Object.values(partial));
    model.dispose();
  });
});

describe('an input named through the API with what no source allows', () => {
  it('is a quoted key, escaped in strings and kept out of comments; the module still runs', async () => {
    const HOSTILE = "a*/ b // \n'c ${d}";
    const renamed = { ...optimized, inputs: optimized.inputs.map((i, k) => (k === 0 ? { ...i, name: HOSTILE } : i)) };
    const source = emitTfjs(renamed)[0].contents as string;
    const comments = source.split('\n').filter((line) => /^\s*(\/\/|\/\*|\*)/.test(line));
    expect(comments.filter((line) => line.includes('*/ b'))).toEqual([]);
    expect(source).toContain("readonly 'a*/ b // \\n\\'c ${d}': tf.Tensor2D;");
    const report = await verify({ graph: renamed, weights, weightsBytes: writeSafetensors(weights), targets: [tfjsCpuTarget], batch: 2, seed: 3n });
    expect(report.targets.tfjs).toMatchObject({ ok: true });
  });
});
