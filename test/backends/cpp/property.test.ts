// Random models (any mix of dense layers, batchnorm, dropout and spinal blocks with any split,
// interleaving and activation) through the C++ backend against the interpreter, optimized and
// not: the backend also runs graphs with concatenations, batchnorms and activations of their
// own. One driver holds every model, so the compiler runs once. SPINAL_PROPERTY_RUNS and
// SPINAL_PROPERTY_SEED choose the models; SPINAL_PROPERTY_CXXFLAGS the kernels (default
// -march=native; e.g. "-mavx2 -mfma -mno-avx512f" for the AVX2 path, " " for the portable one).
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { lower } from '../../../src/ir/lower.js';
import { optimize } from '../../../src/passes/optimize.js';
import { renderGraph } from '../../../src/ir/print.js';
import { randomSpec } from '../../support/random-spec.js';
import { buildDriver } from '../../../src/backends/cpp/toolchain.js';
import { scratch } from '../../support/scratch.js';
import { errorOf, TOLERANCE, withWeights } from './helpers.js';

const RUNS = Number(process.env.SPINAL_PROPERTY_RUNS ?? 60);
const SEED = Number(process.env.SPINAL_PROPERTY_SEED ?? 20240611);

const specs = fc.sample(randomSpec, { numRuns: RUNS, seed: SEED });
const graphs = specs.map((spec, i) => {
  const graph = lower({ ...spec, name: `random${i}` });
  return i % 3 === 2 ? graph : optimize(graph);
});
const dir = scratch('cpp-property');
const models = withWeights(dir, graphs, SEED);
let bin = '';
beforeAll(async () => {
  bin = await buildDriver(dir, models.map((m) => ({ graph: m.graph })), { flags: (process.env.SPINAL_PROPERTY_CXXFLAGS ?? '-march=native').split(' ').filter(Boolean) });
}, 300_000);

it(`${RUNS} random models agree with the interpreter at batch 1, 4 and 45 (seed ${SEED})`, async () => {
  const batches = fc.sample(fc.integer({ min: 1, max: 16 }), { numRuns: RUNS, seed: SEED });
  for (const [i, m] of models.entries()) {
    for (const batch of [1, 4, 45]) {
      const error = await errorOf(bin, i, m, batch, { capacity: batches[i] });
      if (!(error <= TOLERANCE)) {
        throw new Error(`model ${i}, batch ${batch}, workspace of ${batches[i]}: relative error ${error}\n${renderGraph(m.graph)}`);
      }
    }
  }
}, 300_000);
