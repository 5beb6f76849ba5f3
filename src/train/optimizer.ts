// Optimizers with PyTorch's semantics on tfjs's implementations: Adam (betas 0.9/0.999, eps 1e-8,
// bias-corrected, `weight_decay` added to the gradient as torch.optim.Adam does: L2, not AdamW)
// and SGD with optional momentum (torch.optim.SGD, no dampening, no Nesterov).
import type { NamedTensorMap, Optimizer as TfOptimizer, Variable } from '@tensorflow/tfjs-core';
import type { TrainSettings } from './job.js';
import type { Tf } from './tf.js';

export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPS = 1e-8;

export interface Stepper {
  /** Applies one update from the gradients (keyed by variable name). */
  step(grads: NamedTensorMap): void;
  dispose(): void;
}

export function makeOptimizer(tf: Tf, settings: Pick<TrainSettings, 'optimizer' | 'lr' | 'momentum' | 'weightDecay'>, variables: readonly Variable[]): Stepper {
  const optimizer: TfOptimizer = settings.optimizer === 'adam' ? tf.train.adam(settings.lr, ADAM_BETA1, ADAM_BETA2, ADAM_EPS)
    : settings.momentum > 0 ? tf.train.momentum(settings.lr, settings.momentum)
    : tf.train.sgd(settings.lr);
  const byName = new Map(variables.map((v) => [v.name, v]));
  return {
    step(grads) {
      if (settings.weightDecay > 0) {
        grads = Object.fromEntries(Object.entries(grads).map(([name, g]) => {
          const decayed = tf.add(g, tf.mul(byName.get(name)!, settings.weightDecay));
          g.dispose();
          return [name, decayed];
        }));
      }
      optimizer.applyGradients(grads);
      for (const g of Object.values(grads)) g.dispose();
    },
    dispose: () => optimizer.dispose(),
  };
}
