// What a model's outputs on labelled data come to: accuracy, mean loss, per-class accuracy and
// the confusion matrix for a classifier; mean squared error for a regression head. The loss is
// the training loss: cross-entropy on the logits (for a softmax output, on its probabilities'
// logarithm, which is the same; a log_softmax output's values are those logarithms already, so the
// loss is minus the mean value at the label, nn.NLLLoss), or MSE averaged over every element.
import type { Graph } from '../ir/graph.js';

export interface Classification {
  readonly kind: 'classification';
  readonly samples: number;
  readonly accuracy: number;
  readonly loss: number;
  /** Correct / samples of each label; null for a label with no sample. */
  readonly perClass: readonly (number | null)[];
  /** confusion[label][predicted] = count. */
  readonly confusion: readonly (readonly number[])[];
}

export interface Regression {
  readonly kind: 'regression';
  readonly samples: number;
  readonly loss: number;
}

/** Index of the largest value of each row; the first of equal ones, as argmax does. */
export function argmaxRows(outputs: ArrayLike<number>, classes: number): Int32Array {
  const n = outputs.length / classes;
  const best = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let at = 0;
    for (let c = 1; c < classes; c++) if (outputs[r * classes + c] > outputs[r * classes + at]) at = c;
    best[r] = at;
  }
  return best;
}

export function classification(graph: Graph, outputs: ArrayLike<number>, labels: Int32Array): Classification {
  const classes = graph.outputSize;
  const n = labels.length;
  const predicted = argmaxRows(outputs, classes);
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const activation = outputActivation(graph);
  let correct = 0;
  let loss = 0;
  for (let r = 0; r < n; r++) {
    confusion[labels[r]][predicted[r]]++;
    if (predicted[r] === labels[r]) correct++;
    loss -= logProbability(activation, outputs, r * classes, classes, labels[r]);
  }
  const perClass = confusion.map((row, c) => {
    const total = row.reduce((a, b) => a + b, 0);
    return total === 0 ? null : row[c] / total;
  });
  return { kind: 'classification', samples: n, accuracy: correct / n, loss: loss / n, perClass, confusion };
}

export function regression(outputs: ArrayLike<number>, targets: Float32Array, samples: number): Regression {
  let sum = 0;
  for (let i = 0; i < targets.length; i++) sum += (outputs[i] - targets[i]) ** 2;
  return { kind: 'regression', samples, loss: sum / targets.length };
}

/** The activation of the layer that produces the model's result. */
export function outputActivation(graph: Graph): string | undefined {
  const result = graph.nodes[graph.nodes.length - 1];
  const producer = graph.nodes.find((n) => n.id === result.inputs[0]);
  return producer?.op === 'dense' ? producer.activation : producer?.op === 'activation' ? producer.activation : undefined;
}

/** log p(label) of one sample, from the output layer's values as its activation leaves them. */
function logProbability(activation: string | undefined, v: ArrayLike<number>, at: number, n: number, k: number): number {
  if (activation === 'softmax') return Math.log(v[at + k]);
  if (activation === 'log_softmax') return v[at + k];
  return logSoftmaxAt(v, at, n, k);
}

function logSoftmaxAt(v: ArrayLike<number>, at: number, n: number, k: number): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, v[at + i]);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(v[at + i] - max);
  return v[at + k] - max - Math.log(sum);
}
