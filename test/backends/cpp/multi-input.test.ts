// Models with several inputs through the C++ backend: predict takes one pointer per input, in
// declaration order and named after it; random multi-input models (branches, joins, a block over
// two branches, joins declared before their branches) agree with the interpreter, optimized and
// not, in chunks of a small Workspace; inputs named like predict's own parameters, locals and
// constants, or like C++ keywords, compile under the strict flags and compute the same numbers.
// SPINAL_PROPERTY_RUNS and SPINAL_PROPERTY_SEED choose the random models (default 16 runs).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../../src/ir/graph.js';
import { optimize } from '../../../src/passes/optimize.js';
import { renderGraph } from '../../../src/ir/print.js';
import { emitCpp } from '../../../src/backends/cpp/emit.js';
import { buildDriver, runDriver } from '../../../src/backends/cpp/toolchain.js';
import { compileModel, randomMultiInputModel } from '../../support/random-model.js';
import { onlyModel } from '../../support/front.js';
import { randomInput } from '../../support/random-weights.js';
import { scratch } from '../../support/scratch.js';
import { errorOf, TOLERANCE, withWeights } from './helpers.js';

const RUNS = Number(process.env.SPINAL_PROPERTY_RUNS ?? 16);
const SEED = Number(process.env.SPINAL_PROPERTY_SEED ?? 20261202);

/** Inputs named like what predict and the layer functions use, and like C++ keywords. */
const ODD = optimize(
  onlyModel(`model odd_inputs {
  y = input 3
  batch = input 2
  ws = input 4
  chunk = input 1
  kOutputs = input 2
  Inputs = input 3
  int = input 2
  x = input 5
  detail = input 2
  w = input 1
  a = spinal from y, batch, ws { split 1:2 width 2 layers 3 activation tanh }
  dense 6 relu from chunk, a, kOutputs, Inputs, int, x, detail, w
  output 3
}`).graph,
);

const randomGraphs: Graph[] = fc.sample(randomMultiInputModel, { numRuns: RUNS, seed: SEED }).map((m, i) => {
  const graph = { ...compileModel(m), name: `branches${i}` };
  return i % 3 === 2 ? graph : optimize(graph);
});

describe('the multi-input signature', () => {
  const header = emitCpp(ODD);

  it('takes one pointer per input in declaration order, names that would clash escaped', () => {
    const params = 'const float* y_, const float* batch_, const float* ws_, const float* chunk_, const float* kOutputs_, const float* Inputs_, const float* int_, const float* x, const float* detail_, const float* w';
    expect(header).toContain(`void predict(${params}, float* y, std::size_t batch, Workspace& ws) const {`);
    expect(header).toContain(`void predict(${params}, float* y, std::size_t batch) const {`);
    expect(header).toContain('inline constexpr std::size_t kInputs = 25;\n');
    expect(header).toContain('inline constexpr std::size_t kInput_y_ = 3;\n');
    expect(header).toContain('inline constexpr std::size_t kInput_w = 1;\n');
  });

  it('reads each input where the caller put it, by its own row length', () => {
    expect(header).toContain('const rt::Operand in[] = {{x.y_, kInput_y_, 1, 3}};');
    expect(header).toContain('{x.batch_, kInput_batch_, 1, 2}, {x.ws_, kInput_ws_, 1, 4}, {f.at(0), 6, 1, 2}');
    expect(header).toContain('{x.x, kInput_x, 1, 5}');
  });
});

describe('multi-input models against the interpreter', () => {
  const dir = scratch('cpp-multi-input');
  const models = withWeights(dir, [ODD, ...randomGraphs], SEED);
  let bin = '';
  beforeAll(async () => {
    // The odd-named model also with its weights compiled in: Model::embedded() takes the same inputs.
    bin = await buildDriver(dir, models.map((m, i) => ({ graph: m.graph, weights: i === 0 ? m.weights : undefined })), { flags: ['-march=native'] });
  }, 300_000);

  it('inputs named like predict\'s parameters, locals and constants compute the interpreter\'s numbers', async () => {
    const m = models[0];
    for (const batch of [1, 6, 40]) expect(await errorOf(bin, 0, m, batch, { capacity: 4 })).toBeLessThanOrEqual(TOLERANCE);
    const x = Float32Array.from(randomInput(m.graph.inputSize, 9, 2));
    expect(await runDriver(bin, 0, x, 9)).toEqual(await runDriver(bin, 0, x, 9, { weightsPath: m.path }));
  });

  it(`${RUNS} random multi-input models agree with the interpreter at batch 1, 5 and 37 (seed ${SEED})`, async () => {
    const capacities = fc.sample(fc.integer({ min: 1, max: 16 }), { numRuns: RUNS, seed: SEED });
    for (const [k, m] of models.slice(1).entries()) {
      for (const batch of [1, 5, 37]) {
        const error = await errorOf(bin, k + 1, m, batch, { capacity: capacities[k] });
        if (!(error <= TOLERANCE)) {
          throw new Error(`model ${k}, batch ${batch}, workspace of ${capacities[k]}: relative error ${error}\n${renderGraph(m.graph)}`);
        }
      }
    }
  }, 300_000);
});
