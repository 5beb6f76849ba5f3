// fast-check arbitraries for whole `.spinal` models as source text: 1 to 4 spinal blocks with
// random splits (by ratio or interleaved), widths, depths, batchnorm, dropout, activations and ties,
// dense layers and standalone batchnorm/dropout between them. Sizes stay small so a backend
// suite can run dozens of models in seconds. Any backend's property suite can reuse it:
//   fc.assert(fc.asyncProperty(randomModel, async (m) => { const graph = compileModel(m); ... }))
import fc from 'fast-check';
import { ACTIVATIONS, isSoftmax } from '../../src/syntax/ast.js';
import { compile } from '../../src/compile.js';
import type { Graph } from '../../src/ir/graph.js';

export interface RandomModel {
  readonly name: string;
  /** A complete `.spinal` file declaring one model. */
  readonly text: string;
}

const activation = fc.constantFrom(...ACTIVATIONS);
// softmax and log_softmax on a hidden layer draw a lint warning (SPN061), which the filter below
// would throw away; random-spec.ts, which skips the checker, puts log_softmax on hidden layers.
const hidden = fc.constantFrom(...ACTIVATIONS.filter((a) => !isSoftmax(a)));

const block = fc.record({
  rows: fc.integer({ min: 1, max: 4 }),
  ratios: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }),
  interleaved: fc.boolean(),
  width: fc.integer({ min: 1, max: 8 }),
  layers: fc.integer({ min: 1, max: 5 }),
  activation: fc.option(hidden, { nil: undefined }),
  dropout: fc.boolean(),
  batchnorm: fc.boolean(),
  tie: fc.boolean(),
});

/** Between blocks: nothing, a dense layer, a standalone batchnorm or a dropout. */
const between = fc.oneof(
  fc.constant([] as string[]),
  fc.tuple(fc.integer({ min: 2, max: 12 }), fc.option(hidden, { nil: undefined })).map(([n, act]) => [`dense ${n}${act ? ` ${act}` : ''}`]),
  fc.constant(['batchnorm']),
  fc.constant(['dropout 0.3']),
);

export const randomModel: fc.Arbitrary<RandomModel> = fc
  .record({
    input: fc.integer({ min: 4, max: 24 }),
    blocks: fc.array(fc.tuple(between, block), { minLength: 1, maxLength: 4 }),
    output: fc.integer({ min: 1, max: 6 }),
    outputActivation: fc.option(activation, { nil: undefined }),
  })
  .map(({ input, blocks, output, outputActivation }) => {
    const lines = [`  input ${input}`];
    let features = input;
    for (const [pre, b] of blocks) {
      for (const stmt of pre) {
        lines.push(`  ${stmt}`);
        if (stmt.startsWith('dense')) features = Number(stmt.split(' ')[1]);
      }
      lines.push(`  ${blockText(b, features, 'spinal')}`);
      features = b.width * b.layers;
    }
    lines.push(`  output ${output}${outputActivation ? ` ${outputActivation}` : ''}`);
    return { name: 'random_model', text: `model random_model {\n${lines.join('\n')}\n}\n` };
  })
  .filter((m) => compile({ path: 'random.spinal', text: m.text }).diagnostics.length === 0);

/** The model's unoptimized graph; throws with the diagnostics if the text does not compile. */
export function compileModel(model: RandomModel): Graph {
  const compiled = compile({ path: 'random.spinal', text: model.text });
  if (compiled.models.length !== 1) {
    throw new Error(`random model does not compile:\n${model.text}\n${compiled.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n')}`);
  }
  return compiled.models[0].graph;
}

/**
 * A spinal block on `features` inputs as one line of source. Every row needs at least one feature;
 * an interleaved split has equal ratios; sub-layer k + 2 reads the row sub-layer 2 reads, with the
 * previous output: one shape, so it can be tied to 2.
 */
type Block = typeof block extends fc.Arbitrary<infer T> ? T : never;

function blockText(b: Block, features: number, head: string): string {
  const k = Math.min(b.rows, features);
  const ratios = b.interleaved ? Array<number>(k).fill(1) : b.ratios.slice(0, k);
  const items = [
    `split ${ratios.join(':')}${b.interleaved ? ' interleaved' : ''}`,
    `width ${b.width}`,
    `layers ${b.layers}`,
    ...(b.activation ? [`activation ${b.activation}`] : []),
    ...(b.dropout ? ['dropout 0.25'] : []),
    ...(b.batchnorm ? ['batchnorm'] : []),
    ...(b.tie && b.layers >= k + 2 ? [`tie ${k + 2} to 2`] : []),
  ];
  return `${head} { ${items.join('; ')} }`;
}

/** What a branch does with its input: nothing, a dense layer, or a spinal block. */
const branch = fc.oneof(
  fc.constant({ kind: 'raw' as const }),
  fc.record({ kind: fc.constant('dense' as const), units: fc.integer({ min: 2, max: 10 }), activation: fc.option(hidden, { nil: undefined }) }),
  fc.record({ kind: fc.constant('spinal' as const), block }),
);

/**
 * Models with 2 or 3 named inputs, each through its own branch (raw, a dense layer or a spinal
 * block), sometimes a block over two branches at once, joined by a dense layer or by the output
 * reading them all (in a random order), with the join sometimes declared before its branches.
 */
export const randomMultiInputModel: fc.Arbitrary<RandomModel> = fc
  .record({
    inputs: fc.array(fc.record({ size: fc.integer({ min: 2, max: 16 }), branch }), { minLength: 2, maxLength: 3 }),
    mixed: fc.option(block, { nil: undefined }),
    join: fc.option(fc.integer({ min: 2, max: 10 }), { nil: undefined }),
    joinFirst: fc.boolean(),
    order: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
    output: fc.integer({ min: 1, max: 6 }),
    outputActivation: fc.option(activation, { nil: undefined }),
  })
  .map(({ inputs, mixed, join, joinFirst, order, output, outputActivation }) => {
    const lines = inputs.map((i, k) => `  x${k + 1} = input ${i.size}`);
    const branches: string[] = [];
    const values: { name: string; size: number }[] = [];
    inputs.forEach((i, k) => {
      const name = `b${k + 1}`;
      const b = i.branch;
      if (b.kind === 'raw') {
        values.push({ name: `x${k + 1}`, size: i.size });
      } else if (b.kind === 'dense') {
        branches.push(`  ${name} = dense ${b.units}${b.activation ? ` ${b.activation}` : ''} from x${k + 1}`);
        values.push({ name, size: b.units });
      } else {
        branches.push(`  ${name} = ${blockText(b.block, i.size, `spinal from x${k + 1}`)}`);
        values.push({ name, size: b.block.width * b.block.layers });
      }
    });
    if (mixed) {
      // A block over the first two branches' values side by side.
      const [p, q] = values.splice(0, 2);
      branches.push(`  m = ${blockText(mixed, p.size + q.size, `spinal from ${p.name}, ${q.name}`)}`);
      values.push({ name: 'm', size: mixed.width * mixed.layers });
    }
    const shuffled = values.map((v, k) => ({ v, key: order[k % order.length] * 10 + k })).sort((a, b) => a.key - b.key).map((e) => e.v.name);
    const out = `output ${output}${outputActivation ? ` ${outputActivation}` : ''}`;
    if (join === undefined) {
      lines.push(...branches, `  ${out} from ${shuffled.join(', ')}`);
    } else if (joinFirst) {
      lines.push(`  j = dense ${join} from ${shuffled.join(', ')}`, ...branches, `  ${out} from j`);
    } else {
      lines.push(...branches, `  dense ${join} from ${shuffled.join(', ')}`, `  ${out}`);
    }
    return { name: 'random_branches', text: `model random_branches {\n${lines.join('\n')}\n}\n` };
  })
  .filter((m) => compile({ path: 'random.spinal', text: m.text }).diagnostics.length === 0);
