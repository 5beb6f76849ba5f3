// The helpers every generated tfjs module carries besides its weights loader: the upload of
// folded Linears and the activations tfjs lacks or gets wrong. Compiled and tested as this file;
// the module embeds it verbatim from the marker below on (its imports are the module's own:
// tfjs-core, and the loader, which the module carries too).
import * as tf from '@tensorflow/tfjs-core';
import { foldLinear, type LinearSpec } from '../../runtime/safetensors-loader.js';
// ---- the tfjs helpers ------------------------------------------------------------------------

/**
 * The Linear with its batchnorms folded in, as float32 tensors: for each input part [column,
 * count], the block W[:, column .. column + count - 1] transposed to [count, units], so that
 * x_part · block is its share. `const`: a literal list of parts is typed as a tuple, so predict
 * indexes the parts without a check.
 */
export function upload<const P extends readonly (readonly [number, number])[]>(
  spec: LinearSpec,
  file: ReadonlyMap<string, Float32Array>,
  parts: P,
): { readonly parts: { readonly [K in keyof P]: tf.Tensor2D }; readonly bias: tf.Tensor1D } {
  const { units, inFeatures } = spec;
  const layer = foldLinear(spec, (name) => file.get(name) ?? new Float32Array(0));
  const matrices = parts.map(([column, count]) => {
    const block = new Float32Array(count * units);
    for (let i = 0; i < count; i++) {
      for (let o = 0; o < units; o++) block[i * units + o] = layer.weight[o * inFeatures + column + i] ?? 0;
    }
    return tf.tensor2d(block, [count, units]);
  });
  return { parts: matrices as { readonly [K in keyof P]: tf.Tensor2D }, bias: tf.tensor1d(Float32Array.from(layer.bias)) };
}

/** Exact gelu, 0.5 x (1 + erf(x / sqrt 2)), as PyTorch defines it; tfjs has no gelu op. */
export function gelu(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.mul<tf.Tensor2D>(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2)))));
}

/** max(x, 0) with NaN kept, as PyTorch has it: tf.relu on the wasm backend turns NaN into 0. */
export function relu(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.where(tf.less(x, 0), tf.zerosLike(x), x));
}

/**
 * The batch of a model's several inputs, taken by name: each must be a [batch, size] tensor, one
 * batch for all. Throws naming the first input that is missing or of another shape.
 */
export function inputBatch<N extends string>(
  x: { readonly [K in N]: tf.Tensor2D },
  inputs: readonly { readonly name: N; readonly size: number }[],
): number {
  let batch: number | undefined;
  for (const { name, size } of inputs) {
    // A JavaScript caller may leave one out, or pass something that is no tensor.
    const t: tf.Tensor | undefined = x[name];
    if (t?.rank !== 2 || t.shape[1] !== size || (batch !== undefined && t.shape[0] !== batch)) {
      const shape: unknown = t?.shape;
      const got = Array.isArray(shape) ? `[${shape.join(', ')}]` : 'no tensor';
      throw new Error(`predict: expected x.${name} of shape [${batch ?? 'batch'}, ${size}], got ${got}`);
    }
    batch = t.shape[0];
  }
  return batch ?? 0;
}
// ---- end of the tfjs helpers -----------------------------------------------------------------
