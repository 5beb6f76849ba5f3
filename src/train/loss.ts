// Losses with PyTorch's mean reduction. Cross-entropy reads the output layer's values as
// logits (an output with `softmax` trains on the logits before it, as nn.CrossEntropyLoss
// expects); MSE averages over every element, as nn.MSELoss does.
import type { Scalar, Tensor1D, Tensor2D } from '@tensorflow/tfjs-core';
import type { Loss } from './job.js';
import type { Tf } from './tf.js';

/** `targets`: int32 class indices [n] for cross-entropy, float32 [n, outputs] for MSE. */
export function lossOf(tf: Tf, loss: Loss, output: Tensor2D, targets: Tensor1D | Tensor2D): Scalar {
  if (loss === 'mse') return tf.mean(tf.square(tf.sub(output, targets)));
  const oneHot = tf.oneHot(targets as Tensor1D, output.shape[1]);
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(output)), 1)));
}

/** Number of rows whose largest output is at the label. */
export function correctCount(tf: Tf, output: Tensor2D, labels: Tensor1D): Scalar {
  return tf.sum(tf.cast(tf.equal(tf.argMax(output, 1), labels), 'int32'));
}
