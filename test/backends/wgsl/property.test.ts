// Random models (any layer mix, split, interleaving, batchnorm, activation) through the WGSL
// backend on a real device, against the interpreter: the matrix-vector kernels (batch 1) and each
// of the two batch kernels, forced (a batch with a partial tile), must agree within float32
// tolerance.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lower } from '../../../src/ir/lower.js';
import { interpret } from '../../../src/ir/interpret.js';
import { optimize } from '../../../src/passes/optimize.js';
import { readSafetensors, writeSafetensors } from '../../../src/weights/safetensors.js';
import { randomSpec } from '../../support/random-spec.js';
import { randomInput, randomWeights } from '../../support/random-weights.js';
import { openTestDevice, type TestDevice } from '../../support/webgpu.js';
import { BATCH_KERNELS, buildHost, worstError } from './helpers.js';

const RUNS = Number(process.env.SPINAL_PROPERTY_RUNS ?? 20);

let gpu: TestDevice;
beforeAll(async () => {
  gpu = await openTestDevice();
});
afterAll(() => gpu?.destroy());

it.each(BATCH_KERNELS)('random models agree with the interpreter (%s batch kernel)', async (kernel) => {
  await fc.assert(
    fc.asyncProperty(randomSpec, fc.integer({ min: 2, max: 90 }), fc.nat(1000), async (spec, batch, seed) => {
      const graph = optimize(lower(spec));
      const bytes = writeSafetensors(randomWeights(graph, seed));
      const weights = readSafetensors(bytes);
      const model = await (await buildHost(graph)).createModel(gpu.device, bytes, { batchKernel: kernel });
      try {
        for (const n of [1, batch]) {
          const x = Float32Array.from(randomInput(graph.inputSize, n, seed + n));
          const actual = await model.predict(x, n);
          expect(worstError(actual, interpret(graph, weights, x, n))).toBeLessThanOrEqual(1);
        }
      } finally {
        model.destroy();
      }
      expect(gpu.errors).toEqual([]);
    }),
    { numRuns: RUNS, seed: Number(process.env.SPINAL_PROPERTY_SEED ?? 20240611) },
  );
}, 240_000);
