import { describe, expect, it } from 'vitest';
import { onlyModel } from '../support/front.js';
import type { IrNode } from '../../src/ir/graph.js';

function summary(nodes: readonly IrNode[]) {
  return nodes.map((n) => {
    const extra = n.op === 'slice' ? { start: n.start, stride: n.stride } : n.op === 'dense' ? { act: n.activation, in: n.inFeatures } : {};
    return { id: n.id, op: n.op, inputs: n.inputs, shape: n.shape[0], ...extra };
  });
}

describe('lowering', () => {
  it('lowers a two-row spinal block: rows as slices, row first then the previous output, the block concat', () => {
    const g = onlyModel('model m { input 4 spinal { split 1:1 width 1 layers 3 } output 1 }').graph;
    expect([g.name, g.inputSize, g.outputSize]).toEqual(['m', 4, 1]);
    expect(summary(g.nodes)).toEqual([
      { id: 'input', op: 'input', inputs: [], shape: 4 },
      { id: 'spinal1.row1', op: 'slice', inputs: ['input'], shape: 2, start: 0, stride: 1 },
      { id: 'spinal1.row2', op: 'slice', inputs: ['input'], shape: 2, start: 2, stride: 1 },
      { id: 'spinal1.sub1', op: 'dense', inputs: ['spinal1.row1'], shape: 1, act: 'relu', in: 2 },
      { id: 'spinal1.sub2.in', op: 'concat', inputs: ['spinal1.row2', 'spinal1.sub1'], shape: 3 },
      { id: 'spinal1.sub2', op: 'dense', inputs: ['spinal1.sub2.in'], shape: 1, act: 'relu', in: 3 },
      { id: 'spinal1.sub3.in', op: 'concat', inputs: ['spinal1.row1', 'spinal1.sub2'], shape: 3 },
      { id: 'spinal1.sub3', op: 'dense', inputs: ['spinal1.sub3.in'], shape: 1, act: 'relu', in: 3 },
      { id: 'spinal1.out', op: 'concat', inputs: ['spinal1.sub1', 'spinal1.sub2', 'spinal1.sub3'], shape: 3 },
      { id: 'output', op: 'dense', inputs: ['spinal1.out'], shape: 1, act: 'linear', in: 3 },
      { id: 'result', op: 'output', inputs: ['output'], shape: 1 },
    ]);
  });

  it('gives uneven rows their sizes and starts (784 split 1:1:1)', () => {
    const g = onlyModel('model m { input 784 spinal { split 1:1:1 width 2 layers 1 } output 1 }').graph;
    const rows = g.nodes.filter((n) => n.op === 'slice');
    expect(rows.map((n) => [n.id, n.shape[0], n.op === 'slice' ? n.start : -1])).toEqual([
      ['spinal1.row1', 262, 0],
      ['spinal1.row2', 261, 262],
      ['spinal1.row3', 261, 523],
    ]);
  });

  it('deals interleaved rows out with a stride of k', () => {
    const g = onlyModel('model m { input 10 spinal { split 1:1:1 interleaved width 2 layers 1 } output 1 }').graph;
    const rows = g.nodes.filter((n) => n.op === 'slice');
    expect(rows.map((n) => (n.op === 'slice' ? [n.start, n.stride, n.shape[0]] : []))).toEqual([[0, 3, 4], [1, 3, 3], [2, 3, 3]]);
  });

  it('puts dropout before the Linear and batchnorm after it, then the activation', () => {
    const g = onlyModel('model m { input 4 spinal { width 2 layers 1 dropout 0.5 batchnorm activation tanh } output 1 }').graph;
    const sub = g.nodes.filter((n) => n.layer === 'spinal1.sub1');
    expect(sub.map((n) => [n.id, n.op, n.inputs.join(',')])).toEqual([
      ['spinal1.sub1.dropout', 'dropout', 'spinal1.row1'],
      ['spinal1.sub1', 'dense', 'spinal1.sub1.dropout'],
      ['spinal1.sub1.bn', 'batchnorm', 'spinal1.sub1'],
      ['spinal1.sub1.act', 'activation', 'spinal1.sub1.bn'],
    ]);
    const dense = sub[1];
    expect(dense.op === 'dense' && dense.activation).toBe('linear');
    const bn = sub[2];
    expect(bn.op === 'batchnorm' && bn.params).toEqual({
      gamma: 'spinal1.sub1.bn.weight', beta: 'spinal1.sub1.bn.bias', mean: 'spinal1.sub1.bn.running_mean',
      variance: 'spinal1.sub1.bn.running_var', eps: 1e-5, features: 2,
    });
  });

  it('names dense, standalone batchnorm and dropout layers in file order', () => {
    const g = onlyModel('model m { input 4 dense 3 dropout 0.1 batchnorm dense 2 sigmoid batchnorm output 1 }').graph;
    expect(g.nodes.map((n) => n.id)).toEqual(['input', 'dense1', 'dropout1', 'batchnorm1', 'dense2', 'batchnorm2', 'output', 'result']);
    const dense2 = g.nodes[4];
    expect(dense2.op === 'dense' && [dense2.weight, dense2.bias, dense2.activation, dense2.inFeatures]).toEqual(['dense2.weight', 'dense2.bias', 'sigmoid', 3]);
  });

  it('numbers standalone dropouts among themselves, not counting those inside blocks', () => {
    const g = onlyModel('model m { input 4 spinal { width 2 layers 2 dropout 0.1 } dropout 0.2 dense 2 dropout 0.3 output 1 }').graph;
    expect(g.nodes.filter((n) => n.op === 'dropout').map((n) => [n.id, n.layer])).toEqual([
      ['spinal1.sub1.dropout', 'spinal1.sub1'],
      ['spinal1.sub2.dropout', 'spinal1.sub2'],
      ['dropout1', 'dropout1'],
      ['dropout2', 'dropout2'],
    ]);
  });

  it('resolves parameters and variants before lowering', () => {
    const g = onlyModel('model m(w = 3) { input 4 dense w output 1 }', { overrides: { w: 5 } }).graph;
    expect([g.params, g.nodes[1].shape[0]]).toEqual([{ w: 5 }, 5]);
  });
});
