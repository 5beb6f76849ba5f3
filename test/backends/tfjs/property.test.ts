// Random models (test/support/random-model.ts) through the generated module on both tfjs
// backends: the same numbers as the interpreter, and no tensor left behind. Models with several
// inputs take one tensor per input, split from the interpreter's packed batch.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileModel, randomModel, randomMultiInputModel, type RandomModel } from '../../support/random-model.js';
import { optimize } from '../../../src/passes/optimize.js';
import { DEFAULT_TOLERANCE } from '../../../src/verify/compare.js';
import { BACKENDS, compareWithInterpreter, moduleFor, testWeights, useBackend } from './harness.js';

const RUNS = Number(process.env.SPINAL_PROPERTY_RUNS ?? 30);
const MULTI_INPUT_RUNS = Math.ceil(RUNS / 2);

describe('random models through tfjs', () => {
  it(`${RUNS} models agree with the interpreter on cpu and wasm`, async () => {
    await fc.assert(
      fc.asyncProperty(randomModel, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 4 }), async (m, seed, batch) => {
        await agreesOnEveryBackend(m, seed, batch);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('random models with several inputs through tfjs', () => {
  it(`${MULTI_INPUT_RUNS} models agree with the interpreter on cpu and wasm`, async () => {
    await fc.assert(
      fc.asyncProperty(randomMultiInputModel, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 1, max: 4 }), async (m, seed, batch) => {
        const module = await agreesOnEveryBackend(m, seed, batch);
        expect(module.inputs).toEqual(compileModel(m).inputs.map(({ name, size }) => ({ name, size })));
      }),
      { numRuns: MULTI_INPUT_RUNS },
    );
  });
});

/** The model's generated module agrees with the interpreter on every backend and leaks no tensor. */
async function agreesOnEveryBackend(m: RandomModel, seed: number, batch: number) {
  const graph = compileModel(m);
  const module = await moduleFor(optimize(graph));
  const weights = testWeights(graph, seed);
  for (const backend of BACKENDS) {
    const tf = await useBackend(backend);
    const result = compareWithInterpreter(tf, module, graph, weights, batch, seed + 1);
    expect(result.maxRelError, `${backend}\n${m.text}`).toBeLessThan(DEFAULT_TOLERANCE);
    expect(result.leakedByPredict).toBe(0);
    expect(result.leakedByModel).toBe(0);
  }
  return module;
}
