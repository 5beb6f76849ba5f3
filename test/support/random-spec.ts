// fast-check arbitraries for valid models, as checked specs (small sizes: the interpreter is
// float64 and naive, and the property suites run hundreds of models).
import fc from 'fast-check';
import { UNNAMED_INPUT, type FlowSpec, type LayerSettings, type LayerSpec, type ModelSpec } from '../../src/check/spec.js';
import { ACTIVATIONS } from '../../src/syntax/ast.js';
import { splitSizes } from '../../src/check/rows.js';

const activation = fc.constantFrom(...ACTIVATIONS);
const hiddenActivation = fc.constantFrom(...ACTIVATIONS.filter((a) => a !== 'softmax'));
const NO_RANGE = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };

type Step =
  | { kind: 'dense'; units: number; activation: (typeof ACTIVATIONS)[number] }
  | { kind: 'dropout' }
  | { kind: 'batchnorm' }
  | { kind: 'spinal'; rows: number; ratios: number[]; interleaved: boolean; width: number; layers: number; activation: (typeof ACTIVATIONS)[number]; dropout: boolean; batchnorm: boolean; tie: boolean };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('dense' as const), units: fc.integer({ min: 1, max: 12 }), activation: hiddenActivation }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropout' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('batchnorm' as const) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('spinal' as const),
      rows: fc.integer({ min: 1, max: 4 }),
      ratios: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }),
      interleaved: fc.boolean(),
      width: fc.integer({ min: 1, max: 6 }),
      layers: fc.integer({ min: 1, max: 5 }),
      activation: hiddenActivation,
      dropout: fc.boolean(),
      batchnorm: fc.boolean(),
      tie: fc.boolean(),
    }),
  },
);

export const randomSpec: fc.Arbitrary<ModelSpec> = fc
  .record({
    input: fc.integer({ min: 1, max: 16 }),
    steps: fc.array(step, { minLength: 0, maxLength: 5 }),
    output: fc.integer({ min: 1, max: 5 }),
    outputActivation: activation,
  })
  .filter((r) => r.steps.filter((s) => s.kind === 'spinal').length <= 4)
  .map(({ input, steps, output, outputActivation }) => {
    const layers: LayerSettings[] = [];
    const counters = { dense: 0, batchnorm: 0, spinal: 0 };
    let features = input;
    for (const s of steps) {
      if (s.kind === 'dense') {
        layers.push({ kind: 'dense', index: ++counters.dense, units: s.units, activation: s.activation });
        features = s.units;
      } else if (s.kind === 'dropout') {
        layers.push({ kind: 'dropout', p: 0.5 });
      } else if (s.kind === 'batchnorm') {
        layers.push({ kind: 'batchnorm', index: ++counters.batchnorm });
      } else {
        const k = Math.min(s.rows, features);
        const ratios = s.interleaved ? Array(k).fill(1) : s.ratios.slice(0, k);
        if (splitSizes(features, ratios).includes(0)) continue;
        layers.push({
          kind: 'spinal', index: ++counters.spinal, ratios, interleaved: s.interleaved, width: s.width, layers: s.layers,
          activation: s.activation, batchnorm: s.batchnorm, ...(s.dropout ? { dropout: 0.25 } : {}),
          // Sub-layer k + 2 reads the row sub-layer 2 reads, with the previous output: one shape.
          ...(s.tie && s.layers >= k + 2 ? { ties: { [k + 2]: 2 } } : {}),
        });
        features = s.width * s.layers;
      }
    }
    // A chain, as a single-input model without names is: each layer reads the one before.
    const value = (k: number) => (k === 0 ? UNNAMED_INPUT : `#${k + 1}`);
    const flow = (k: number): FlowSpec => ({ value: value(k + 1), reads: [value(k)], from: false });
    return {
      name: 'random', range: NO_RANGE, params: {}, inputs: [{ name: UNNAMED_INPUT, size: input }],
      layers: layers.map((l, k) => ({ ...l, ...flow(k) }) as LayerSpec),
      output: { kind: 'output' as const, units: output, activation: outputActivation, ...flow(layers.length) },
    };
  });
