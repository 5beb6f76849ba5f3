// Activation functions in float64, with PyTorch's definitions, NaN and infinities included:
// NaN goes through every activation (relu(NaN) is NaN, as torch.relu gives), and softmax and
// log_softmax, which subtract the row's maximum, give NaN for the whole row when it holds a NaN or
// +infinity (or is all -infinity).
import erf from '@stdlib/math-base-special-erf';
import type { Activation } from './graph.js';
import { isSoftmax, type RowActivation } from '../syntax/ast.js';

export { isSoftmax };

export const LEAKY_RELU_SLOPE = 0.01;

const elementwise: Record<Exclude<Activation, RowActivation>, (x: number) => number> = {
  relu: (x) => (x < 0 ? 0 : x),
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  leaky_relu: (x) => (x >= 0 ? x : LEAKY_RELU_SLOPE * x),
  linear: (x) => x,
};

/** Applies the activation in place to `batch` rows of `features` values. */
export function activate(values: Float64Array, batch: number, features: number, activation: Activation): void {
  if (isSoftmax(activation)) {
    const row = activation === 'softmax' ? softmaxRow : logSoftmaxRow;
    for (let b = 0; b < batch; b++) row(values, b * features, features);
    return;
  }
  const f = elementwise[activation];
  for (let i = 0; i < values.length; i++) values[i] = f(values[i]);
}

function softmaxRow(v: Float64Array, at: number, n: number): void {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, v[at + i]); // NaN if any is NaN
  let sum = 0;
  for (let i = 0; i < n; i++) {
    v[at + i] = Math.exp(v[at + i] - max);
    sum += v[at + i];
  }
  for (let i = 0; i < n; i++) v[at + i] /= sum;
}

/** PyTorch's log_softmax: `x - max - log(sum(exp(x - max)))`, never the log of a rounded-to-0 softmax. */
function logSoftmaxRow(v: Float64Array, at: number, n: number): void {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, v[at + i]); // NaN if any is NaN
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(v[at + i] - max);
  const log = Math.log(sum);
  for (let i = 0; i < n; i++) v[at + i] = v[at + i] - max - log;
}
