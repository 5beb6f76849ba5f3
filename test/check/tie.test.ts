// Tied sub-layers (`tie A..C to B`): what the checker accepts and refuses, the graph's weight
// names, the counts (MACs every use, parameters once), the weights file (the owner's tensors
// only) and the interpreter's numbers against the same model written out untied.
import { describe, expect, it } from 'vitest';
import { codesOf, compileText, onlyModel } from '../support/front.js';
import { count } from '../../src/passes/count.js';
import { optimize } from '../../src/passes/optimize.js';
import { tensorSpecs } from '../../src/ir/tensors.js';
import { interpret } from '../../src/ir/interpret.js';
import { lower } from '../../src/ir/lower.js';
import { denseBaseline } from '../../src/check/baseline.js';
import { randomInput, randomWeights } from '../support/random-weights.js';
import type { Tensor } from '../../src/tensor/tensor.js';

const messages = (text: string) => compileText(text).diagnostics.map((d) => `${d.code} ${d.message}`);
const block = (settings: string, input = 8) => `model m { input ${input} spinal { width 2 layers 5 ${settings} } output 2 }`;

describe('tie: what the checker refuses', () => {
  it('a sub-layer out of range, an empty range, a tie to itself', () => {
    expect(messages(block('tie 2 to 6'))).toEqual(['SPN045 sub-layer 6 is out of range: the block has 5 sub-layers']);
    expect(messages(block('tie 9..3 to 2'))).toEqual(['SPN045 sub-layer 9 is out of range: the block has 5 sub-layers']);
    expect(messages(block('tie 5..3 to 2'))).toEqual(['SPN045 the range 5..3 is empty']);
    expect(messages(block('tie 2..4 to 3'))).toEqual(['SPN045 sub-layer 3 cannot be tied to itself']);
    expect(messages(block('tie 0 to 2'))).toEqual(['SPN030 sub-layer must be a positive integer, got 0']);
  });

  it('a sub-layer tied twice, and a chain', () => {
    expect(messages(block('tie 3..4 to 2\n tie 4..5 to 2'))).toEqual(['SPN045 sub-layer 4 is tied twice; the first tie is on line 1']);
    expect(messages(block('tie 3 to 2 tie 4 to 3'))).toEqual(['SPN045 sub-layer 3 is itself tied to sub-layer 2, so it has no weights of its own']);
    expect(codesOf(block('tie 2 to 3 tie 3 to 2'))).toEqual(['SPN045', 'SPN045']);
  });

  it('weights of different shapes: sub-layer 1 reads its row alone, rows may differ in size', () => {
    expect(messages(block('tie 2 to 1'))).toEqual(["SPN046 tied sub-layers need weights of one shape: sub-layer 2 reads 6 features (row 2 and sub-layer 1's 2), sub-layer 1 reads 4 features (row 1 alone)"]);
    // 9 features split 1:1 are rows of 5 and 4: sub-layer 3 reads 5 + 2, sub-layer 2 reads 4 + 2
    expect(messages(block('tie 3 to 2', 9))).toEqual(["SPN046 tied sub-layers need weights of one shape: sub-layer 3 reads 7 features (row 1 and sub-layer 2's 2), sub-layer 2 reads 6 features (row 2 and sub-layer 1's 2)"]);
    // rows of 4 and 2 with width 2: sub-layer 2 reads 2 + 2 = 4, as sub-layer 1 does
    expect(codesOf('model m { input 6 spinal { split 2:1 width 2 layers 2 tie 2 to 1 } output 2 }')).toEqual([]);
  });

  it('accepts repeated ties, a parameter as a sub-layer, and a tie in a block with batchnorm', () => {
    expect(codesOf(block('tie 3 to 2; tie 5 to 2'))).toEqual([]);
    expect(codesOf('model m(d = 6) { input 8 spinal { width 2 layers d tie 3..d to 2 } output 2 }')).toEqual([]);
    expect(codesOf(block('batchnorm tie 3..5 to 2'))).toEqual([]);
    expect(codesOf('model m { input 8 spinal { width 2 layers 3 tie 2..3 to 1 } output 2 }\nmodel v = m()')).toEqual(['SPN046']);
  });
});

// The official SW head's shape: sub-layers 2 to 8 share one Linear (20 features in rows of 10).
const SW = 'model sw { input 20 spinal { split 1:1 width 5 layers 8 tie 3..8 to 2 } output 10 }';
const UNTIED = 'model sw { input 20 spinal { split 1:1 width 5 layers 8 } output 10 }';

describe('tie: graph, counts and weights file', () => {
  it('tied sub-layers read the owner\'s weight and bias; a batchnorm stays per sub-layer', () => {
    const graph = onlyModel(block('batchnorm tie 3..5 to 2')).graph;
    const dense = graph.nodes.filter((n) => n.op === 'dense');
    expect(dense.map((n) => n.op === 'dense' && `${n.id}:${n.weight}:${n.bias}`)).toEqual([
      'spinal1.sub1:spinal1.sub1.weight:spinal1.sub1.bias', 'spinal1.sub2:spinal1.sub2.weight:spinal1.sub2.bias',
      'spinal1.sub3:spinal1.sub2.weight:spinal1.sub2.bias', 'spinal1.sub4:spinal1.sub2.weight:spinal1.sub2.bias',
      'spinal1.sub5:spinal1.sub2.weight:spinal1.sub2.bias', 'output:output.weight:output.bias',
    ]);
    expect(graph.nodes.filter((n) => n.op === 'batchnorm').map((n) => n.id)).toEqual([1, 2, 3, 4, 5].map((j) => `spinal1.sub${j}.bn`));
  });

  it('counts MACs at every use and parameters once; the dense baseline is unchanged', () => {
    const tied = count(onlyModel(SW).graph);
    const untied = count(onlyModel(UNTIED).graph);
    // sub-layer 1: 10 x 5; sub-layers 2-8: 15 x 5 each; output 40 x 10
    expect(tied.macs).toBe(50n + 7n * 75n + 400n);
    expect(tied.macs).toBe(untied.macs);
    // weights and biases of sub-layers 1 and 2 and the output: 55 + 80 + 410
    expect(tied.parameters).toBe(545n);
    expect(untied.parameters).toBe(55n + 7n * 80n + 410n);
    expect(tied.layers.map((l) => l.parameters)).toEqual([55n, 80n, 0n, 0n, 0n, 0n, 0n, 0n, 410n]);
    const baseline = count(lower(denseBaseline(onlyModel(SW).spec)));
    const untiedBaseline = count(lower(denseBaseline(onlyModel(UNTIED).spec)));
    // one dense layer of 8 x 5 neurons reading all 20 features, then the output
    expect(baseline.macs).toBe(20n * 40n + 400n);
    expect(baseline).toEqual(untiedBaseline);
  });

  it('the weights file holds the owner\'s tensors only, also after optimizing', () => {
    const names = ['output.bias', 'output.weight', 'spinal1.sub1.bias', 'spinal1.sub1.weight', 'spinal1.sub2.bias', 'spinal1.sub2.weight'];
    expect(tensorSpecs(onlyModel(SW).graph).map((t) => t.name)).toEqual(names);
    expect(tensorSpecs(optimize(onlyModel(SW).graph)).map((t) => t.name)).toEqual(names);
  });
});

describe('tie: the interpreter', () => {
  it('computes the untied model whose tied sub-layers hold copies of the owner\'s tensors, optimized or not', () => {
    for (const settings of ['', 'batchnorm']) {
      const tiedGraph = onlyModel(SW.replace('tie', `${settings} tie`)).graph;
      const untiedGraph = onlyModel(UNTIED.replace('layers 8', `layers 8 ${settings}`)).graph;
      const weights = randomWeights(tiedGraph, 5);
      const copies = new Map<string, Tensor>(weights);
      for (let j = 3; j <= 8; j++) {
        copies.set(`spinal1.sub${j}.weight`, weights.get('spinal1.sub2.weight')!);
        copies.set(`spinal1.sub${j}.bias`, weights.get('spinal1.sub2.bias')!);
      }
      const x = randomInput(20, 3, 9);
      const expected = interpret(untiedGraph, copies, x, 3);
      expect([...interpret(tiedGraph, weights, x, 3)]).toEqual([...expected]);
      const optimized = interpret(optimize(tiedGraph), weights, x, 3);
      optimized.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 10));
    }
  });
});
