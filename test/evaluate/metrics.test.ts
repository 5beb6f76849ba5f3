// The loss evaluate reports is the training loss whatever the output's activation: cross-entropy
// on logits, -log p on a softmax output, -value at the label on a log_softmax output (nn.NLLLoss).
import { describe, expect, it } from 'vitest';
import { onlyModel } from '../support/front.js';
import { classification } from '../../src/evaluate/metrics.js';
import { activate } from '../../src/ir/activations.js';

const logits = [2, -1, 0.5, 0, 3, -2];
const labels = Int32Array.from([2, 1]);
const graphWith = (act: string) => onlyModel(`model m { input 4 output 3 ${act} }`).graph;
const outputsOf = (act: 'softmax' | 'log_softmax') => {
  const v = Float64Array.from(logits);
  activate(v, 2, 3, act);
  return v;
};
// -(log_softmax(z)[label]) by hand: logsumexp([2, -1, 0.5]) = 2.2395447180..., logsumexp([0, 3, -2]) = 3.0550465...
const expectedLoss = ((Math.log(Math.exp(2) + Math.exp(-1) + Math.exp(0.5)) - 0.5) + (Math.log(1 + Math.exp(3) + Math.exp(-2)) - 3)) / 2;

describe('classification metrics by output activation', () => {
  it('linear, softmax and log_softmax outputs of the same logits give the same loss and accuracy', () => {
    const linear = classification(graphWith(''), logits, labels);
    const softmax = classification(graphWith('softmax'), outputsOf('softmax'), labels);
    const logSoftmax = classification(graphWith('log_softmax'), outputsOf('log_softmax'), labels);
    for (const m of [linear, softmax, logSoftmax]) {
      expect(m.loss).toBeCloseTo(expectedLoss, 12);
      expect(m.accuracy).toBe(0.5); // sample 1 predicts 0 (label 2), sample 2 predicts 1
      expect(m.confusion).toEqual([[0, 0, 0], [0, 1, 0], [1, 0, 0]]);
    }
  });
});
