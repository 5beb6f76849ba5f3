// Each pass on a small hand-written model, checking the shape of what it produces.
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/compile.js';
import type { DenseNode, Graph } from '../../src/ir/graph.js';
import { optimize } from '../../src/passes/optimize.js';
import { planMemory } from '../../src/passes/plan-memory.js';
import { count } from '../../src/passes/count.js';

function graphOf(text: string): Graph {
  const c = compile({ path: 'test.spinal', text });
  expect(c.diagnostics).toEqual([]);
  return c.models[0].graph;
}

const dense = (g: Graph, id: string) => g.nodes.find((n) => n.id === id) as DenseNode;

describe('drop-dropout', () => {
  it('removes every dropout and rewires its readers', () => {
    const g = optimize(graphOf('model m { input 4 dropout 0.5 dense 3 dropout 0.1 output 2 }'), { passes: ['drop-dropout'] });
    expect(g.nodes.map((n) => n.op)).toEqual(['input', 'dense', 'dense', 'output']);
    expect(dense(g, 'dense1').inputs).toEqual(['input']);
  });
});

describe('fold-batchnorm', () => {
  it('folds a sub-layer batchnorm into the Linear before it', () => {
    const g = optimize(graphOf('model m { input 4 spinal { width 3 layers 2 batchnorm } output 2 }'), { passes: ['fold-batchnorm'] });
    expect(g.nodes.some((n) => n.op === 'batchnorm')).toBe(false);
    expect(dense(g, 'spinal1.sub1').foldOut.map((b) => b.gamma)).toEqual(['spinal1.sub1.bn.weight']);
  });

  it('folds a batchnorm after an activation forward into the columns of each row that reads it', () => {
    const g = optimize(graphOf('model m { input 6 dense 4 relu batchnorm spinal { split 1:1 interleaved width 2 layers 2 } output 2 }'));
    const sub1 = dense(g, 'spinal1.sub1');
    const sub2 = dense(g, 'spinal1.sub2');
    expect(sub1.foldIn).toEqual([expect.objectContaining({ column: 0, count: 2, feature: 0, stride: 2 })]);
    expect(sub2.foldIn).toEqual([expect.objectContaining({ column: 0, count: 2, feature: 1, stride: 2 })]);
    // The rows now view dense1 itself, the batchnorm gone.
    expect(g.nodes.find((n) => n.id === sub1.inputs[0])).toMatchObject({ op: 'slice', inputs: ['dense1'], start: 0, stride: 2 });
    expect(g.nodes.find((n) => n.id === sub2.inputs[0])).toMatchObject({ op: 'slice', inputs: ['dense1'], start: 1, stride: 2 });
  });
});

describe('fuse-activation', () => {
  it('moves the activation after a folded batchnorm into the dense', () => {
    const g = optimize(graphOf('model m { input 4 spinal { width 3 layers 2 batchnorm activation tanh } output 2 }'), {
      passes: ['fold-batchnorm', 'fuse-activation'],
    });
    expect(dense(g, 'spinal1.sub1').activation).toBe('tanh');
    expect(g.nodes.some((n) => n.op === 'activation')).toBe(false);
  });
});

describe('fuse-concat', () => {
  it('splits the weight by columns and places the sub-layer outputs in the block buffer', () => {
    const g = optimize(graphOf('model m { input 6 spinal { split 1:2 width 2 layers 3 } output 2 }'), { passes: ['fuse-concat'] });
    expect(g.nodes.some((n) => n.op === 'concat')).toBe(false);
    expect(dense(g, 'spinal1.sub2')).toMatchObject({ inputs: ['spinal1.row2', 'spinal1.sub1'], columns: [0, 4], inFeatures: 6 });
    expect(dense(g, 'output')).toMatchObject({ inputs: ['spinal1.sub1', 'spinal1.sub2', 'spinal1.sub3'], columns: [0, 2, 4] });
    expect(dense(g, 'spinal1.sub3').place).toEqual({ buffer: 'spinal1.out', column: 4, width: 6 });
  });

  it('reads rows of a previous block straight from the sub-layer outputs that hold them', () => {
    const g = optimize(graphOf('model m { input 4 spinal { width 3 layers 2 } spinal { split 1:1 width 2 layers 2 } output 2 }'));
    // Block 1's output is [h1(3) h2(3)]; block 2's rows are its features 0-2 and 3-5.
    expect(dense(g, 'spinal2.sub1').inputs).toEqual(['spinal1.sub1']);
    expect(dense(g, 'spinal2.sub2').inputs).toEqual(['spinal1.sub2', 'spinal2.sub1']);
  });

  it('splits a row that straddles two sub-layer outputs into two views', () => {
    const g = optimize(graphOf('model m { input 4 spinal { width 3 layers 2 } spinal { split 1:2 width 2 layers 2 } output 2 }'));
    // Rows of 6 features split 1:2 are 2 and 4: row 2 is h1[2] then h2[0..2].
    const sub2 = dense(g, 'spinal2.sub2');
    expect(sub2.columns).toEqual([0, 1, 4]);
    const views = sub2.inputs.slice(0, 2).map((id) => g.nodes.find((n) => n.id === id)!);
    expect(views).toEqual([
      expect.objectContaining({ op: 'slice', inputs: ['spinal1.sub1'], start: 2, shape: [1] }),
      expect.objectContaining({ op: 'dense', id: 'spinal1.sub2' }),
    ]);
  });
});

describe('plan-memory', () => {
  it('copies nothing after the passes and reuses space', () => {
    const g = graphOf('model m { input 8 dense 16 dense 16 dense 16 output 2 }');
    const plan = planMemory(optimize(g));
    expect(plan.copiedBytes).toBe(0);
    // Two 16-wide tensors live at once at most, plus the input while dense1 is computed.
    expect(plan.peakBytes).toBe((16 + 16) * 4);
    expect(plan.arenaFloats).toBeLessThan(8 + 16 * 3 + 2);
  });

  it('counts the copies of concatenations before the passes', () => {
    const plan = planMemory(graphOf('model m { input 4 spinal { width 3 layers 2 } output 2 }'));
    // sub2 reads concat(row2 (2), h1 (3)); the block output concatenates h1 and h2.
    expect(plan.copiedBytes).toBe((5 + 6) * 4);
  });
});

describe('count after the passes', () => {
  it('drops folded batchnorm from the stored parameters but keeps the MACs', () => {
    const g = graphOf('model m { input 4 spinal { width 3 layers 2 batchnorm } output 2 }');
    const [before, after] = [count(g), count(optimize(g))];
    expect(after.macs).toBe(before.macs);
    expect(before.deployedParameters - after.deployedParameters).toBe(2n * 3n * 4n);
  });
});
