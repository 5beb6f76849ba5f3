// Every pass, alone and all together, keeps the interpreter's numbers on random models.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lower } from '../../src/ir/lower.js';
import { interpret } from '../../src/ir/interpret.js';
import { optimize, PASS_ORDER, type PassName } from '../../src/passes/optimize.js';
import { planMemory } from '../../src/passes/plan-memory.js';
import { count } from '../../src/passes/count.js';
import { randomSpec } from '../support/random-spec.js';
import { compileModel, randomMultiInputModel } from '../support/random-model.js';
import { randomInput, randomWeights } from '../support/random-weights.js';

const RUNS = Number(process.env.SPINAL_PROPERTY_RUNS ?? 500);
const BATCH = 3;

function maxRelativeError(a: Float64Array, b: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i])));
  return worst;
}

const cases: { name: string; passes: PassName[] }[] = [
  ...PASS_ORDER.map((p) => ({ name: p, passes: [p] })),
  { name: 'all passes', passes: [...PASS_ORDER] },
];

describe('passes keep the numbers', () => {
  for (const c of cases) {
    it(`${c.name} on ${RUNS} random models`, () => {
      fc.assert(
        fc.property(randomSpec, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (spec, seed) => {
          const graph = lower(spec);
          const weights = randomWeights(graph, seed);
          const x = randomInput(graph.inputSize, BATCH, seed + 1);
          const optimized = optimize(graph, { passes: c.passes });
          const err = maxRelativeError(interpret(graph, weights, x, BATCH), interpret(optimized, weights, x, BATCH));
          expect(err).toBeLessThan(1e-9);
          // Equal unless a sub-layer's output is never read (a later block with fewer
          // sub-layers than rows): that Linear is dead code and goes.
          expect(count(optimized).macs).toBeLessThanOrEqual(count(graph).macs);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('after all passes, only inputs, views, dense layers and the output remain, and nothing is copied', () => {
    fc.assert(
      fc.property(randomSpec, (spec) => {
        const optimized = optimize(lower(spec));
        for (const n of optimized.nodes) expect(['input', 'slice', 'dense', 'output']).toContain(n.op);
        expect(planMemory(optimized).copiedBytes).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('passes keep the numbers of models with several inputs', () => {
  const MULTI_RUNS = Math.max(1, Math.round(RUNS / 5));

  it(`every pass alone and all together, on ${MULTI_RUNS} random branched models`, () => {
    fc.assert(
      fc.property(randomMultiInputModel, fc.integer({ min: 1, max: 2 ** 31 - 1 }), (model, seed) => {
        const graph = compileModel(model);
        const weights = randomWeights(graph, seed);
        const x = randomInput(graph.inputSize, BATCH, seed + 1);
        const reference = interpret(graph, weights, x, BATCH);
        for (const c of cases) {
          const optimized = optimize(graph, { passes: c.passes });
          expect(maxRelativeError(reference, interpret(optimized, weights, x, BATCH))).toBeLessThan(1e-9);
          expect(optimized.inputs).toEqual(graph.inputs);
        }
        const all = optimize(graph);
        for (const n of all.nodes) expect(['input', 'slice', 'dense', 'output']).toContain(n.op);
        expect(planMemory(all).copiedBytes).toBe(0);
        // The input nodes come first, in the order of the graph's inputs.
        expect(all.nodes.slice(0, all.inputs.length).map((n) => n.id)).toEqual(all.inputs.map((i) => i.node));
      }),
      { numRuns: MULTI_RUNS },
    );
  });
});
