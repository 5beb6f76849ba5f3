// A packed batch as a generated tfjs module's predict takes it, for every caller that holds one
// (verify, evaluate, the tests, the playground page): no Node built-ins, so the browser shares it.
import type { Tensor2D } from '@tensorflow/tfjs-core';

type Tf = typeof import('@tensorflow/tfjs-core');

/** What a generated module says about its inputs (src/backends/tfjs/module.ts). */
export interface TfjsInputSizes {
  readonly inputSize: number;
  /** Only a module of a model with several inputs: their names and sizes, in the order of a packed batch. */
  readonly inputs?: readonly { readonly name: string; readonly size: number }[];
}

/** One tensor, or with several inputs a record of them by name. */
export type TfjsInput = Tensor2D | Readonly<Record<string, Tensor2D>>;

/**
 * Predict's argument for a packed batch (each row holds every input side by side, in the order
 * of the module's `inputs`): the batch as one tensor, or one tensor per input by name. The
 * caller disposes them (tf.dispose takes either).
 */
export function moduleInput(tf: Tf, module: TfjsInputSizes, x: Float32Array, batch: number): TfjsInput {
  const packed = tf.tensor2d(x, [batch, module.inputSize]);
  if (module.inputs === undefined) return packed;
  const inputs = module.inputs;
  const parts = tf.split<Tensor2D>(packed, inputs.map((i) => i.size), 1);
  packed.dispose();
  return Object.fromEntries(inputs.map((input, k) => [input.name, parts[k]]));
}
