// Every sample model through its generated module, on the tfjs CPU and WASM backends, against
// the interpreter, with random batchnorm statistics so that a folding mistake shows.
import { describe, expect, it } from 'vitest';
import { sampleModels } from '../../support/samples.js';
import { optimize } from '../../../src/passes/optimize.js';
import { count } from '../../../src/passes/count.js';
import { DEFAULT_TOLERANCE } from '../../../src/verify/compare.js';
import { BACKENDS, compareWithInterpreter, moduleFor, testWeights, useBackend } from './harness.js';

const BATCH = 5;

describe.each(BACKENDS)('samples on the tfjs %s backend', (backend) => {
  for (const model of sampleModels()) {
    it(`${model.spec.name} matches the interpreter and leaks nothing`, async () => {
      const tf = await useBackend(backend);
      const module = await moduleFor(optimize(model.graph));
      expect([module.inputSize, module.outputSize]).toEqual([model.graph.inputSize, model.graph.outputSize]);
      expect(module.macs).toBe(Number(count(model.graph).macs));
      const result = compareWithInterpreter(tf, module, model.graph, testWeights(model.graph, 7), BATCH, 11);
      expect(result.maxRelError).toBeLessThan(DEFAULT_TOLERANCE);
      expect(result.leakedByPredict).toBe(0);
      expect(result.leakedByModel).toBe(0);
    });
  }
});
